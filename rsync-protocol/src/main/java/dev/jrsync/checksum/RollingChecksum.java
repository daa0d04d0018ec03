package dev.jrsync.checksum;

/**
 * rsync's weak block checksum ({@code rsync/checksum.c:get_checksum1}): over a window of signed bytes
 * x_0..x_{n-1}, {@code s1 = sum x_i} and {@code s2 = sum (n-i)*x_i} (both mod 2^32), and
 * {@code sum1 = (s1 & 0xFFFF) | (s2 << 16)}.
 *
 * <p>An instance is the rolling state the sender slides over its file one byte at a time
 * ({@code rsync/match.c:hash_search}); it allocates nothing.
 */
public final class RollingChecksum {
    private int s1;
    private int s2;
    private int length;

    /** The weak sum of {@code buf[off..off+len)} in one go. */
    public static int of(byte[] buf, int off, int len) {
        long sums = sums(buf, off, len);
        return ((int) sums & 0xFFFF) | ((int) (sums >>> 32) << 16);
    }

    /** Starts a window over {@code buf[off..off+len)}. */
    public void init(byte[] buf, int off, int len) {
        long sums = sums(buf, off, len);
        s1 = (int) sums;
        s2 = (int) (sums >>> 32);
        length = len;
    }

    /** s1 in the low half, s2 in the high half. */
    private static long sums(byte[] buf, int off, int len) {
        int a = 0;
        int b = 0;
        int i = off;
        int end = off + len;
        // Eight bytes per step: b gains eight copies of the old a plus the new bytes weighted 8..1, which
        // keeps the loop-carried dependency to two adds per eight bytes.
        for (; i + 8 <= end; i += 8) {
            int x0 = buf[i], x1 = buf[i + 1], x2 = buf[i + 2], x3 = buf[i + 3];
            int x4 = buf[i + 4], x5 = buf[i + 5], x6 = buf[i + 6], x7 = buf[i + 7];
            b += (a << 3) + 8 * x0 + 7 * x1 + 6 * x2 + 5 * x3 + 4 * x4 + 3 * x5 + 2 * x6 + x7;
            a += x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7;
        }
        for (; i < end; i++) {
            a += buf[i];
            b += a;
        }
        return (a & 0xFFFFFFFFL) | ((long) b << 32);
    }

    /** Slides the window one byte: {@code out} leaves at the front, {@code in} joins at the back. */
    public void roll(byte out, byte in) {
        s1 += in - out;
        s2 += s1 - length * out;
    }

    /** Drops {@code out} from the front without adding a byte: the window shrinks at the end of the file. */
    public void rollOut(byte out) {
        s1 -= out;
        s2 -= length * out;
        length--;
    }

    /** The current window's sum1. */
    public int value() {
        return (s1 & 0xFFFF) | (s2 << 16);
    }

    /** Bytes in the current window. */
    public int length() {
        return length;
    }
}
