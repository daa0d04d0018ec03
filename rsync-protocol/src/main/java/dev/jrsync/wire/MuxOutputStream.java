package dev.jrsync.wire;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The writing half of rsync's multiplexed I/O ({@code rsync/io.c:send_msg}, {@code io_start_multiplex_out}):
 * protocol data is buffered and sent as {@code MSG_DATA} frames; out-of-band messages are sent as
 * their own frames after any pending data, so the peer sees them in order.
 *
 * <p>Until {@link #startMultiplex()} is called the stream is raw (the handshake, and a protocol-29
 * client's whole output). Thread-safe: the generator and receiver of one session share it.
 *
 * <p>A thread that must keep reading (rsync's receiver) {@linkplain #post posts} its messages instead: they
 * are queued and written by whichever thread next holds the stream, or by a short-lived pump thread, so the
 * poster never waits for the socket. rsync gets the same from its receiver sending its messages to the
 * generator over a pipe ({@code rsync/io.c:send_msg} with {@code msg_fd_out}), which forwards them.
 */
public final class MuxOutputStream extends OutputStream {
    /** rsync writes frames of at most its output buffer size; stay well below the 24-bit limit. */
    private static final int MAX_FRAME = 32 * 1024;

    private final OutputStream out;
    private final byte[] buf = new byte[4 + MAX_FRAME];
    private int len;
    private volatile boolean multiplexed;
    /** Held by whoever writes to {@link #out}; a lock rather than monitors so that {@link #post} never waits. */
    private final ReentrantLock lock = new ReentrantLock();
    /** Whole frames posted and not yet written, in order. */
    private final ConcurrentLinkedQueue<byte[]> posted = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean pumping = new AtomicBoolean();

    public MuxOutputStream(OutputStream out) {
        this.out = out;
    }

    public void startMultiplex() throws IOException {
        lock.lock();
        try {
            flushBuffer();
            multiplexed = true;
        } finally {
            lock.unlock();
        }
    }

    public boolean isMultiplexed() {
        return multiplexed;
    }

    @Override
    public void write(int b) throws IOException {
        lock.lock();
        try {
            writePosted();
            if (len == MAX_FRAME) {
                flushBuffer();
            }
            buf[4 + len++] = (byte) b;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Bytes that complete a frame go from {@code b} straight to the stream after the buffered head of
     * the frame, so bulk data (literal file data above all) is not copied through the frame buffer.
     */
    @Override
    public void write(byte[] b, int off, int n) throws IOException {
        lock.lock();
        try {
            writePosted();
            while (n > 0) {
                int chunk = Math.min(n, MAX_FRAME - len);
                if (len + chunk == MAX_FRAME) {
                    writeHead(len + chunk);
                    out.write(b, off, chunk);
                    len = 0;
                } else {
                    System.arraycopy(b, off, buf, 4 + len, chunk);
                    len += chunk;
                }
                off += chunk;
                n -= chunk;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Sends an out-of-band message after any buffered data, and flushes. */
    public void sendMessage(MsgCode code, byte[] payload) throws IOException {
        byte[] frame = frame(code, payload);
        lock.lock();
        try {
            writePosted();
            flushBuffer();
            out.write(frame);
            out.flush();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues an out-of-band message and returns at once; it goes out after whatever the stream's writers had
     * written when it was posted, before anything they write afterwards.
     */
    public void post(MsgCode code, byte[] payload) {
        posted.add(frame(code, payload));
        if (pumping.compareAndSet(false, true)) {
            Thread.ofVirtual().name("jrsync-mux-pump").start(this::pump);
        }
    }

    /**
     * Writes what was posted, then lets go; a post that came after the queue was drained and before
     * {@link #pumping} was cleared saw a pump running and started none, so this one looks again.
     */
    private void pump() {
        do {
            lock.lock();
            try {
                writePosted();
            } catch (IOException e) {
                // the connection is gone: its reader and writers see the same failure on their next call
                posted.clear();
            } finally {
                lock.unlock();
                pumping.set(false);
            }
        } while (!posted.isEmpty() && pumping.compareAndSet(false, true));
    }

    @Override
    public void flush() throws IOException {
        lock.lock();
        try {
            writePosted();
            flushBuffer();
            out.flush();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            flush();
            out.close();
        } finally {
            lock.unlock();
        }
    }

    /** With the lock held: the posted messages, after the data buffered before them, and a flush. */
    private void writePosted() throws IOException {
        if (posted.isEmpty()) {
            return;
        }
        flushBuffer();
        for (byte[] frame; (frame = posted.poll()) != null; ) {
            out.write(frame);
        }
        out.flush();
    }

    private byte[] frame(MsgCode code, byte[] payload) {
        if (!multiplexed) {
            throw new IllegalStateException("message " + code + " before multiplexing started");
        }
        byte[] frame = new byte[4 + payload.length];
        putHeader(frame, code, payload.length);
        System.arraycopy(payload, 0, frame, 4, payload.length);
        return frame;
    }

    private void flushBuffer() throws IOException {
        if (len == 0) {
            return;
        }
        writeHead(len);
        len = 0;
    }

    /** Writes the buffered bytes as the start of a data frame of {@code frameLength} bytes. */
    private void writeHead(int frameLength) throws IOException {
        if (multiplexed) {
            putHeader(buf, MsgCode.DATA, frameLength);
            out.write(buf, 0, 4 + len);
        } else if (len > 0) {
            out.write(buf, 4, len);
        }
    }

    private static void putHeader(byte[] dst, MsgCode code, int length) {
        if (length > 0xFFFFFF) {
            throw new IllegalArgumentException("frame too long: " + length);
        }
        int h = ((MsgCode.MPLEX_BASE + code.code) << 24) | length;
        dst[0] = (byte) h;
        dst[1] = (byte) (h >>> 8);
        dst[2] = (byte) (h >>> 16);
        dst[3] = (byte) (h >>> 24);
    }
}
