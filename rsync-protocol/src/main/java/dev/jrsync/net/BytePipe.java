package dev.jrsync.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded in-memory byte pipe for one direction, for sessions whose two ends run in one process (a local copy,
 * {@code Transport.pipe()}). Writers block while it is full, readers while it is empty; {@link #abort} (or
 * closing the reading end) wakes both with an error, the in-process counterpart of a dropped socket; closing
 * the writing end is the end of the stream once the reader has drained it. Unlike
 * {@link java.io.PipedInputStream} neither end is tied to a thread, and a wait ends when its thread is
 * interrupted.
 */
public final class BytePipe {
    private final byte[] buf;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private int head;
    private int count;
    private boolean closed;
    private boolean aborted;

    public BytePipe(int capacity) {
        this.buf = new byte[capacity];
    }

    /**
     * {@code from}, read ahead on a thread of its own into a pipe of {@code capacity} bytes. A session over blocking
     * streams (a remote shell's pipes, a server's stdin) writes while its peer writes too: rsync's io.c reads
     * whenever it would wait to write, and a side that only writes would leave both blocked on full OS pipes. With
     * this, the peer's writes land here while this side writes, up to {@code capacity}. The end of {@code from}
     * (or a failed read, after what came before it) is the end of the result; closing the result stops the pump.
     */
    public static InputStream readAhead(InputStream from, int capacity, String threadName) {
        BytePipe pipe = new BytePipe(capacity);
        OutputStream sink = pipe.output();
        Thread.ofPlatform().daemon().name(threadName).start(() -> {
            byte[] buf = new byte[Math.min(capacity, 64 << 10)];
            try (from; sink) {
                for (int n; (n = from.read(buf)) >= 0; ) {
                    sink.write(buf, 0, n);
                }
            } catch (IOException e) {
                // the peer is gone, or the reader closed the pipe: either way the stream ends here
            }
        });
        return pipe.input();
    }

    public void abort() {
        lock.lock();
        try {
            aborted = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public InputStream input() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                lock.lock();
                try {
                    while (count == 0) {
                        if (aborted) {
                            throw new IOException("local pipe aborted");
                        }
                        if (closed) {
                            return -1;
                        }
                        await();
                    }
                    int n = Math.min(len, count);
                    int first = Math.min(n, buf.length - head);
                    System.arraycopy(buf, head, b, off, first);
                    System.arraycopy(buf, 0, b, off + first, n - first);
                    head = (head + n) % buf.length;
                    count -= n;
                    changed.signalAll();
                    return n;
                } finally {
                    lock.unlock();
                }
            }

            @Override
            public void close() {
                abort();
            }
        };
    }

    public OutputStream output() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                lock.lock();
                try {
                    while (len > 0) {
                        while (count == buf.length && !aborted && !closed) {
                            await();
                        }
                        if (aborted || closed) {
                            throw new IOException("local pipe closed");
                        }
                        int tail = (head + count) % buf.length;
                        int n = Math.min(len, Math.min(buf.length - count, buf.length - tail));
                        System.arraycopy(b, off, buf, tail, n);
                        count += n;
                        off += n;
                        len -= n;
                        changed.signalAll();
                    }
                } finally {
                    lock.unlock();
                }
            }

            @Override
            public void close() {
                lock.lock();
                try {
                    closed = true;
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        };
    }

    /** Waits for a change; an interrupt (a cancelled transfer) ends the wait as a failed read or write. */
    private void await() throws InterruptedIOException {
        try {
            changed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting on a local pipe");
        }
    }
}
