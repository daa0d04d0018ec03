package dev.jrsync.wire;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The writing half of rsync's multiplexed I/O ({@code rsync/io.c:send_msg}, {@code io_start_multiplex_out}):
 * protocol data is buffered and sent as {@code MSG_DATA} frames; out-of-band messages are sent as
 * their own frames after any pending data, so the peer sees them in order.
 *
 * <p>Until {@link #startMultiplex()} is called the stream is raw (the handshake, and a protocol-29
 * client's whole output). Thread-safe: the generator and receiver of one session share it.
 */
public final class MuxOutputStream extends OutputStream {
    /** rsync writes frames of at most its output buffer size; stay well below the 24-bit limit. */
    private static final int MAX_FRAME = 32 * 1024;

    private final OutputStream out;
    private final byte[] buf = new byte[4 + MAX_FRAME];
    private int len;
    private boolean multiplexed;

    public MuxOutputStream(OutputStream out) {
        this.out = out;
    }

    public synchronized void startMultiplex() throws IOException {
        flushBuffer();
        multiplexed = true;
    }

    public synchronized boolean isMultiplexed() {
        return multiplexed;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        if (len == MAX_FRAME) {
            flushBuffer();
        }
        buf[4 + len++] = (byte) b;
    }

    @Override
    public synchronized void write(byte[] b, int off, int n) throws IOException {
        while (n > 0) {
            if (len == MAX_FRAME) {
                flushBuffer();
            }
            int chunk = Math.min(n, MAX_FRAME - len);
            System.arraycopy(b, off, buf, 4 + len, chunk);
            len += chunk;
            off += chunk;
            n -= chunk;
        }
    }

    /** Sends an out-of-band message after any buffered data, and flushes. */
    public synchronized void sendMessage(MsgCode code, byte[] payload) throws IOException {
        if (!multiplexed) {
            throw new IllegalStateException("message " + code + " before multiplexing started");
        }
        flushBuffer();
        byte[] header = header(code, payload.length);
        out.write(header);
        out.write(payload);
        out.flush();
    }

    public synchronized void sendMessageInt(MsgCode code, int value) throws IOException {
        sendMessage(code, new byte[] {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)});
    }

    @Override
    public synchronized void flush() throws IOException {
        flushBuffer();
        out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        flush();
        out.close();
    }

    private void flushBuffer() throws IOException {
        if (len == 0) {
            return;
        }
        if (multiplexed) {
            byte[] h = header(MsgCode.DATA, len);
            System.arraycopy(h, 0, buf, 0, 4);
            out.write(buf, 0, 4 + len);
        } else {
            out.write(buf, 4, len);
        }
        len = 0;
    }

    static byte[] header(MsgCode code, int length) {
        if (length > 0xFFFFFF) {
            throw new IllegalArgumentException("frame too long: " + length);
        }
        int h = ((MsgCode.MPLEX_BASE + code.code) << 24) | length;
        return new byte[] {(byte) h, (byte) (h >>> 8), (byte) (h >>> 16), (byte) (h >>> 24)};
    }
}
