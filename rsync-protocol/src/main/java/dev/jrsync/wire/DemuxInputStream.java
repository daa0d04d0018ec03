package dev.jrsync.wire;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The reading half of multiplexed I/O ({@code rsync/io.c:read_a_msg}): presents the concatenated
 * {@code MSG_DATA} payloads as one stream and hands every other frame to a {@link MessageHandler}.
 * Values may straddle frames; empty data frames are keep-alives. Raw until {@link #startMultiplex()}.
 */
public final class DemuxInputStream extends InputStream {
    /** Text and deletion messages at or above rsync's {@code BIGPATHBUFLEN} kill the peer. */
    public static final int MAX_MESSAGE = 5120;

    private final InputStream in;
    private final MessageHandler handler;
    private boolean multiplexed;
    private int remaining;
    private final byte[] header = new byte[4];

    public DemuxInputStream(InputStream in, MessageHandler handler) {
        this.in = in;
        this.handler = handler;
    }

    public void startMultiplex() {
        multiplexed = true;
    }

    public boolean isMultiplexed() {
        return multiplexed;
    }

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
        if (!multiplexed) {
            return in.read(b, off, len);
        }
        while (remaining == 0) {
            if (!readFrameHeader()) {
                return -1;
            }
        }
        int n = in.read(b, off, Math.min(len, remaining));
        if (n < 0) {
            throw new EOFException("connection unexpectedly closed (inside a data frame)");
        }
        remaining -= n;
        return n;
    }

    /**
     * Data bytes a read takes without blocking. Complete message frames already here are handled on the way,
     * as a read would; a frame whose header or payload is still on its way counts as nothing. The sender
     * flushes only when this is zero, as rsync's {@code perform_io} writes out while it waits for input: a
     * figure above what is here would let it wait for a peer that waits for its unflushed bytes.
     */
    @Override
    public int available() throws IOException {
        if (!multiplexed) {
            return in.available();
        }
        if (!in.markSupported()) {
            return remaining == 0 ? 0 : Math.min(remaining, in.available());
        }
        while (remaining == 0) {
            if (in.available() < header.length) {
                return 0;
            }
            in.mark(header.length);
            readFully(header, 0, header.length);
            int length = (header[0] & 0xFF) | (header[1] & 0xFF) << 8 | (header[2] & 0xFF) << 16;
            boolean data = (header[3] & 0xFF) - MsgCode.MPLEX_BASE == MsgCode.DATA.code;
            in.reset();
            if (!data && in.available() < header.length + length) {
                return 0;
            }
            if (!readFrameHeader()) {
                return 0;
            }
        }
        return Math.min(remaining, in.available());
    }

    /** Reads frame headers until a data frame with a payload starts; false at a clean end of stream. */
    private boolean readFrameHeader() throws IOException {
        int first = in.read();
        if (first < 0) {
            return false;
        }
        header[0] = (byte) first;
        readFully(header, 1, 3);
        int word = (header[0] & 0xFF) | (header[1] & 0xFF) << 8 | (header[2] & 0xFF) << 16 | (header[3] & 0xFF) << 24;
        int tag = (word >>> 24) - MsgCode.MPLEX_BASE;
        int length = word & 0xFFFFFF;
        MsgCode code = MsgCode.of(tag);
        if (tag < 0 || code == null) {
            throw new ProtocolException("unexpected tag " + tag + " in multiplexed stream");
        }
        if (code == MsgCode.DATA) {
            remaining = length;
            return true;
        }
        if (length >= MAX_MESSAGE) {
            throw new ProtocolException("multiplexing overflow " + tag + ":" + length);
        }
        byte[] payload = new byte[length];
        readFully(payload, 0, length);
        handler.onMessage(code, payload);
        return true;
    }

    private void readFully(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = in.read(b, off, len);
            if (n < 0) {
                throw new EOFException("connection unexpectedly closed");
            }
            off += n;
            len -= n;
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
