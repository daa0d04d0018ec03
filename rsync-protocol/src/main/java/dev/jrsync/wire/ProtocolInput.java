package dev.jrsync.wire;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads rsync's primitive values from one direction of a connection ({@code rsync/io.c:read_int},
 * {@code read_varint}, {@code read_varlong}, {@code read_ndx} ...).
 *
 * <p>I/O failures surface as {@link UncheckedIOException} so that codecs stay plain functions; an
 * early end of stream is an {@link EOFException} inside it ("connection unexpectedly closed").
 */
public final class ProtocolInput {
    private final InputStream in;
    private final NdxCodec ndx = new NdxCodec();
    private final byte[] scratch = new byte[16];
    private int protocol;
    private long bytesRead;
    private MaxAlloc maxAlloc = MaxAlloc.standard();

    public ProtocolInput(InputStream in, int protocol) {
        this.in = in;
        this.protocol = protocol;
    }

    public int protocol() {
        return protocol;
    }

    public void setProtocol(int protocol) {
        this.protocol = protocol;
    }

    /** What the peer may make this side allocate: {@code --max-alloc} and the process's budget. */
    public MaxAlloc maxAlloc() {
        return maxAlloc;
    }

    public void setMaxAlloc(MaxAlloc maxAlloc) {
        this.maxAlloc = maxAlloc;
    }

    public InputStream stream() {
        return in;
    }

    /** Bytes of protocol data consumed so far (rsync's {@code total_read} as seen by this side). */
    public long bytesRead() {
        return bytesRead;
    }

    public void readFully(byte[] dst, int off, int len) {
        try {
            int done = 0;
            while (done < len) {
                int n = in.read(dst, off + done, len - done);
                if (n < 0) {
                    throw new EOFException("connection unexpectedly closed");
                }
                done += n;
            }
            bytesRead += len;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public byte[] readBytes(int len) {
        byte[] b = new byte[len];
        readFully(b, 0, len);
        return b;
    }

    public int readUnsignedByte() {
        readFully(scratch, 0, 1);
        return scratch[0] & 0xFF;
    }

    /** Two bytes little-endian, unsigned ({@code read_shortint}). */
    public int readUnsignedShort() {
        readFully(scratch, 0, 2);
        return (scratch[0] & 0xFF) | (scratch[1] & 0xFF) << 8;
    }

    public int readInt() {
        readFully(scratch, 0, 4);
        return (scratch[0] & 0xFF) | (scratch[1] & 0xFF) << 8 | (scratch[2] & 0xFF) << 16 | (scratch[3] & 0xFF) << 24;
    }

    /** The pre-30 64-bit form: an int32, or 0xFFFFFFFF then eight bytes ({@code read_longint}). */
    public long readLongint() {
        int v = readInt();
        if (v != 0xFFFFFFFF) {
            return v & 0xFFFFFFFFL;
        }
        long lo = readInt() & 0xFFFFFFFFL;
        long hi = readInt() & 0xFFFFFFFFL;
        return lo | hi << 32;
    }

    public int readVarint() {
        int lead = readUnsignedByte();
        int extra = Varints.extraBytes(lead);
        if (extra > 4) {
            throw new ProtocolException("overflow in read_varint");
        }
        readFully(scratch, 0, extra);
        return (int) Varints.decodeVarlong(lead, scratch, 1);
    }

    public long readVarlong(int min) {
        readFully(scratch, 0, min);
        int lead = scratch[0] & 0xFF;
        int extra = Varints.extraBytes(lead);
        if (min + extra > 9) {
            throw new ProtocolException("overflow in read_varlong");
        }
        byte[] rest = new byte[8];
        System.arraycopy(scratch, 1, rest, 0, min - 1);
        readFully(rest, min - 1, extra);
        return Varints.decodeVarlong(lead, rest, min);
    }

    /** varint from protocol 30 on, int32 before. */
    public int readVarint30() {
        return protocol >= 30 ? readVarint() : readInt();
    }

    /** varlong(min) from protocol 30 on, longint before. */
    public long readVarlong30(int min) {
        return protocol >= 30 ? readVarlong(min) : readLongint();
    }

    /** A vstring ({@code read_vstring}); lengths above {@code max} are a protocol error. */
    public String readVstring(int max) {
        int len = readUnsignedByte();
        if ((len & 0x80) != 0) {
            len = ((len & 0x7F) << 8) | readUnsignedByte();
        }
        if (len > max) {
            throw new ProtocolException("over-long vstring received (" + len + " > " + max + ")");
        }
        return new String(readBytes(len), StandardCharsets.UTF_8);
    }

    /** A file index: delta-coded from protocol 30 on, int32 before. */
    public int readNdx() {
        return protocol >= 30 ? ndx.decode(this) : readInt();
    }
}
