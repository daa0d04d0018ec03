package dev.jrsync.wire;

/**
 * File-index delta coding for protocol 30 and later ({@code rsync/io.c:write_ndx}, {@code read_ndx}).
 *
 * <p>One instance per direction and connection: the previous positive and negative values persist
 * across phases and file lists, and resetting them corrupts redo-phase indexes.
 */
public final class NdxCodec {
    public static final int NDX_DONE = -1;
    public static final int NDX_FLIST_EOF = -2;
    public static final int NDX_DEL_STATS = -3;
    public static final int NDX_FLIST_OFFSET = -101;

    private int prevPositive = -1;
    private int prevNegative = 1;

    /** Encodes {@code ndx} into {@code dst} (at least 6 bytes); returns the length. */
    public int encode(int ndx, byte[] dst) {
        if (ndx == NDX_DONE) {
            dst[0] = 0;
            return 1;
        }
        int pos = 0;
        int value;
        int diff;
        if (ndx >= 0) {
            value = ndx;
            diff = value - prevPositive;
            prevPositive = value;
        } else {
            dst[pos++] = (byte) 0xFF;
            value = -ndx;
            diff = value - prevNegative;
            prevNegative = value;
        }
        if (diff > 0 && diff < 0xFE) {
            dst[pos++] = (byte) diff;
        } else if (diff < 0 || diff > 0x7FFF) {
            dst[pos++] = (byte) 0xFE;
            dst[pos++] = (byte) ((value >>> 24) | 0x80);
            dst[pos++] = (byte) value;
            dst[pos++] = (byte) (value >>> 8);
            dst[pos++] = (byte) (value >>> 16);
        } else {
            dst[pos++] = (byte) 0xFE;
            dst[pos++] = (byte) (diff >>> 8);
            dst[pos++] = (byte) diff;
        }
        return pos;
    }

    /** Decodes one index from {@code in}. */
    public int decode(ProtocolInput in) {
        int b = in.readUnsignedByte();
        if (b == 0) {
            return NDX_DONE;
        }
        boolean negative = false;
        if (b == 0xFF) {
            negative = true;
            b = in.readUnsignedByte();
        }
        int prev = negative ? prevNegative : prevPositive;
        int value;
        if (b == 0xFE) {
            int b0 = in.readUnsignedByte();
            int b1 = in.readUnsignedByte();
            if ((b0 & 0x80) != 0) {
                int b2 = in.readUnsignedByte();
                int b3 = in.readUnsignedByte();
                value = ((b0 & 0x7F) << 24) | b1 | (b2 << 8) | (b3 << 16);
            } else {
                value = prev + ((b0 << 8) | b1);
            }
        } else {
            value = prev + b;
        }
        if (negative) {
            prevNegative = value;
            return -value;
        }
        prevPositive = value;
        return value;
    }
}
