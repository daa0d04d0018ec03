package dev.jrsync.wire;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes rsync's primitive values to one direction of a connection ({@code rsync/io.c:write_int},
 * {@code write_varint}, {@code write_varlong}, {@code write_ndx} ...). The underlying stream does the
 * buffering (normally a {@link MuxOutputStream}).
 */
public final class ProtocolOutput {
    private final OutputStream out;
    private final NdxCodec ndx = new NdxCodec();
    private final byte[] scratch = new byte[16];
    private int protocol;
    private long bytesWritten;

    public ProtocolOutput(OutputStream out, int protocol) {
        this.out = out;
        this.protocol = protocol;
    }

    public int protocol() {
        return protocol;
    }

    public void setProtocol(int protocol) {
        this.protocol = protocol;
    }

    public OutputStream stream() {
        return out;
    }

    /** Bytes of protocol data written so far (rsync's {@code total_written} as seen by this side). */
    public long bytesWritten() {
        return bytesWritten;
    }

    public void write(byte[] src, int off, int len) {
        try {
            out.write(src, off, len);
            bytesWritten += len;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void write(byte[] src) {
        write(src, 0, src.length);
    }

    public void writeByte(int b) {
        scratch[0] = (byte) b;
        write(scratch, 0, 1);
    }

    /** Two bytes little-endian ({@code write_shortint}). */
    public void writeShort(int v) {
        scratch[0] = (byte) v;
        scratch[1] = (byte) (v >>> 8);
        write(scratch, 0, 2);
    }

    public void writeInt(int v) {
        scratch[0] = (byte) v;
        scratch[1] = (byte) (v >>> 8);
        scratch[2] = (byte) (v >>> 16);
        scratch[3] = (byte) (v >>> 24);
        write(scratch, 0, 4);
    }

    /** The pre-30 64-bit form ({@code write_longint}). */
    public void writeLongint(long v) {
        if (v >= 0 && v <= 0x7FFFFFFFL) {
            writeInt((int) v);
            return;
        }
        writeInt(0xFFFFFFFF);
        writeInt((int) v);
        writeInt((int) (v >>> 32));
    }

    public void writeVarint(int v) {
        write(scratch, 0, Varints.encodeVarint(v, scratch, 0));
    }

    public void writeVarlong(long v, int min) {
        write(scratch, 0, Varints.encodeVarlong(v, min, scratch, 0));
    }

    public void writeVarint30(int v) {
        if (protocol >= 30) {
            writeVarint(v);
        } else {
            writeInt(v);
        }
    }

    public void writeVarlong30(long v, int min) {
        if (protocol >= 30) {
            writeVarlong(v, min);
        } else {
            writeLongint(v);
        }
    }

    public void writeVstring(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > 0x7FFF) {
            throw new IllegalArgumentException("vstring too long: " + b.length);
        }
        if (b.length > 0x7F) {
            writeByte(0x80 | (b.length >>> 8));
        }
        writeByte(b.length);
        write(b);
    }

    public void writeNdx(int v) {
        if (protocol >= 30) {
            write(scratch, 0, ndx.encode(v, scratch));
        } else {
            writeInt(v);
        }
    }

    public void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
