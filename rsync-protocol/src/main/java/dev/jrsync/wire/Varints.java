package dev.jrsync.wire;

/**
 * rsync's variable-length integers as pure functions over byte arrays.
 *
 * <p>The lead byte carries as many leading one-bits as there are extra bytes beyond {@code min - 1},
 * then the value's most significant byte; the low bytes follow little-endian
 * ({@code rsync/io.c:write_varlong}, {@code read_varlong}). A varint is a varlong with {@code min = 1}
 * limited to 32 bits.
 */
public final class Varints {
    private Varints() {}

    /** Longest encoding of a varlong (lead byte plus eight value bytes). */
    public static final int MAX_VARLONG_BYTES = 9;

    /** Encodes {@code value} into {@code dst} at {@code off}; returns the number of bytes written. */
    public static int encodeVarlong(long value, int min, byte[] dst, int off) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (value >>> (8 * i));
        }
        int n = min - 1;
        for (int i = 7; i >= min - 1; i--) {
            if (b[i] != 0) {
                n = i;
                break;
            }
        }
        int extra = n - (min - 1);
        int top = b[n] & 0xFF;
        int lead;
        int valueBytes;
        if (extra < 7 && top < (1 << (7 - extra))) {
            lead = ((0xFF << (8 - extra)) & 0xFF) | top;
            valueBytes = n;
        } else {
            extra++;
            lead = (0xFF << (8 - extra)) & 0xFF;
            valueBytes = n + 1;
        }
        dst[off] = (byte) lead;
        System.arraycopy(b, 0, dst, off + 1, valueBytes);
        return 1 + valueBytes;
    }

    /** Encodes a 32-bit varint (the value is taken as unsigned 32 bits). */
    public static int encodeVarint(int value, byte[] dst, int off) {
        return encodeVarlong(value & 0xFFFFFFFFL, 1, dst, off);
    }

    /** Number of extra bytes announced by a lead byte (its count of leading one-bits). */
    public static int extraBytes(int lead) {
        return Integer.numberOfLeadingZeros(~lead & 0xFF) - 24;
    }

    /**
     * Decodes a varlong whose lead byte and following bytes are given; {@code rest} holds the
     * {@code min - 1 + extraBytes(lead)} bytes after the lead.
     */
    public static long decodeVarlong(int lead, byte[] rest, int min) {
        int extra = extraBytes(lead);
        int count = min - 1 + extra;
        if (count > 8) {
            throw new ProtocolException("overflow in varlong: lead byte 0x" + Integer.toHexString(lead));
        }
        long v = 0;
        for (int i = 0; i < count; i++) {
            v |= (rest[i] & 0xFFL) << (8 * i);
        }
        if (count < 8 && extra < 7) {
            v |= ((long) (lead & ((1 << (7 - extra)) - 1))) << (8 * count);
        }
        return v;
    }
}
