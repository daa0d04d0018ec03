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

    /**
     * Bytes that complete a frame go from {@code b} straight to the stream after the buffered head of
     * the frame, so bulk data (literal file data above all) is not copied through the frame buffer.
     */
    @Override
    public synchronized void write(byte[] b, int off, int n) throws IOException {
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

    static byte[] header(MsgCode code, int length) {
        byte[] h = new byte[4];
        putHeader(h, code, length);
        return h;
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
