package dev.jrsync.net;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;

/**
 * {@code --bwlimit} on a stream that is not a Netty channel (a local copy's pipe, a remote shell's or an inetd
 * daemon's stdout), as {@code rsync/io.c:sleep_for_bwlimit} paces them: what was written beyond what the rate allows
 * since the last pause is slept off once it amounts to a tenth of a second, and a large write goes out in pieces
 * of that size, so the rate holds over the whole run and within one file.
 */
public final class PacedOutputStream extends FilterOutputStream {
    private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long MIN_PAUSE_NANOS = NANOS_PER_SECOND / 10;

    private final long bytesPerSecond;
    private final int chunk;
    /** Bytes written and not yet paid for by time passing. */
    private long owed;
    private long lastNanos = System.nanoTime();

    /** {@code out} written at no more than {@code bytesPerSecond} (positive) on average. */
    public PacedOutputStream(OutputStream out, long bytesPerSecond) {
        super(out);
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("rate must be positive: " + bytesPerSecond);
        }
        this.bytesPerSecond = bytesPerSecond;
        this.chunk = (int) Math.max(1, Math.min(64 * 1024, bytesPerSecond / 10));
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        pace(1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = Math.min(len, chunk);
            out.write(b, off, n);
            pace(n);
            off += n;
            len -= n;
        }
    }

    private void pace(int written) throws IOException {
        long now = System.nanoTime();
        long paid = (now - lastNanos) * bytesPerSecond / NANOS_PER_SECOND;
        owed = Math.max(0, owed - paid) + written;
        lastNanos = now;
        long pause = owed * NANOS_PER_SECOND / bytesPerSecond;
        if (pause < MIN_PAUSE_NANOS) {
            return;
        }
        out.flush(); // what is paced must reach the peer before the pause, not after it
        try {
            TimeUnit.NANOSECONDS.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while pacing writes for --bwlimit");
        }
        long after = System.nanoTime();
        owed = Math.max(0, owed - (after - lastNanos) * bytesPerSecond / NANOS_PER_SECOND);
        lastNanos = after;
    }
}
