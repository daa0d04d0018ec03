package dev.jrsync.checksum;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * rsync's weak block checksum ({@code rsync/checksum.c:get_checksum1}): over a window of signed bytes
 * x_0..x_{n-1}, {@code s1 = sum x_i} and {@code s2 = sum (n-i)*x_i} (both mod 2^32), and
 * {@code sum1 = (s1 & 0xFFFF) | (s2 << 16)}.
 *
 * <p>An instance is the rolling state the sender slides over its file one byte at a time
 * ({@code rsync/match.c:hash_search}); it allocates nothing.
 */
public final class RollingChecksum {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** The low byte of each of a long's four 16-bit lanes. */
    private static final long LANE_BYTES = 0x00FF00FF00FF00FFL;
    /** Flipping each byte's sign bit turns a signed x into x + 128, an unsigned 0..255 that lanes can add. */
    private static final long SIGN_BITS = 0x8080808080808080L;
    /** Sixteen longs: the most whose lane sums cannot overflow 16 bits (see {@link #sums}). */
    private static final int CHUNK = 128;
    /** Multiplying by this leaves the sum of the four lanes in the top lane. */
    private static final long LANE_SUM = 0x0001000100010001L;
    /** Multiplying by this leaves {@code x[1] + 2 x[2] + 3 x[3]} of the lanes x in the top lane. */
    private static final long LANE_INDEX_SUM = 0x0000000100020003L;

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
        // Whole chunks eight bytes per long, in four 16-bit lanes each for the even and the odd bytes
        // (e, o), with the bytes taken as unsigned x + 128. Within a chunk of 16 longs, byte k of long t
        // adds (8 - k) to b, plus 8 times everything before it; p collects the lane sums of the longs
        // before each long, so the chunk adds 128 a + 8 sum(p) + sum((8 - k) x_k) to b. No lane exceeds
        // 16 bits: e and o reach 16 * 255, p 120 * 510. A chunk costs four simple operations per long and
        // the lanes are folded once per chunk.
        for (; end - i >= CHUNK; i += CHUNK) {
            long e = 0;
            long o = 0;
            long p = 0;
            for (int k = i; k < i + CHUNK; k += 8) {
                long w = (long) LONGS.get(buf, k) ^ SIGN_BITS;
                p += e + o;
                e += w & LANE_BYTES;
                o += (w >>> 8) & LANE_BYTES;
            }
            long x = e + o;
            int sum = (int) ((x * LANE_SUM) >>> 48);
            int oddSum = (int) ((o * LANE_SUM) >>> 48);
            int indexSum = (int) ((x * LANE_INDEX_SUM) >>> 48);
            // p's four lanes may add up past 16 bits: fold them pairwise into 32-bit lanes first.
            long p32 = (p & 0x0000FFFF0000FFFFL) + ((p >>> 16) & 0x0000FFFF0000FFFFL);
            int prefixSum = (int) (p32 + (p32 >>> 32));
            // Byte weights 8..1 in a long: 8 for each even-lane byte at lane j minus 2j, one less for odd ones.
            b += (a << 7) + 8 * prefixSum + 8 * sum - oddSum - 2 * indexSum;
            a += sum;
        }
        // Take the 128 back off every byte summed so far; done bytes carried weights done..1.
        int done = i - off;
        a -= 128 * done;
        b -= (int) (64L * done * (done + 1));
        // Eight bytes per step: b gains eight copies of the old a plus the new bytes weighted 8..1, which
        // keeps the loop-carried dependency to two adds per eight bytes.
        for (; end - i >= 8; i += 8) {
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
