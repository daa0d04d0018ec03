package dev.jrsync.checksum;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RollingChecksumTest {

    /** The definition from reference §15, summed term by term with signed bytes. */
    private static int naive(byte[] b, int off, int len) {
        int s1 = 0;
        int s2 = 0;
        for (int i = 0; i < len; i++) {
            s1 += b[off + i];
            s2 += (len - i) * b[off + i];
        }
        return (s1 & 0xFFFF) | (s2 << 16);
    }

    @Test
    void smallKnownValue() {
        byte[] b = "abc".getBytes(StandardCharsets.US_ASCII);
        // s1 = 97+98+99 = 294, s2 = 3*97 + 2*98 + 99 = 586
        assertEquals(294 | 586 << 16, RollingChecksum.of(b, 0, 3));
    }

    @Test
    void bytesAreSigned() {
        byte[] b = {(byte) 0xFF, (byte) 0x80};
        // s1 = -1 + -128 = -129, s2 = 2*(-1) + (-128) = -130
        assertEquals((-129 & 0xFFFF) | (-130 << 16), RollingChecksum.of(b, 0, 2));
    }

    @Test
    void oneShotMatchesDefinitionForAllLengthsAndOffsets() {
        byte[] b = new byte[300];
        new Random(1).nextBytes(b);
        for (int off = 0; off < 9; off++) {
            for (int len = 0; len + off <= b.length; len++) {
                assertEquals(naive(b, off, len), RollingChecksum.of(b, off, len), "off " + off + " len " + len);
            }
        }
    }

    @Test
    void rollingMatchesRecomputationAcrossAWholeFile() {
        byte[] b = new byte[5000];
        new Random(2).nextBytes(b);
        int n = 700;
        RollingChecksum r = new RollingChecksum();
        r.init(b, 0, n);
        for (int pos = 0; pos + n < b.length; pos++) {
            assertEquals(naive(b, pos, n), r.value(), "pos " + pos);
            r.roll(b[pos], b[pos + n]);
        }
        // At the end of the file the window shrinks one byte at a time.
        for (int pos = b.length - n; pos < b.length; pos++) {
            assertEquals(b.length - pos, r.length());
            assertEquals(naive(b, pos, b.length - pos), r.value(), "shrinking at " + pos);
            r.rollOut(b[pos]);
        }
        assertEquals(0, r.length());
        assertEquals(0, r.value());
    }

    @Test
    void wrapsModulo2To32LikeC() {
        byte[] b = new byte[1 << 20];
        java.util.Arrays.fill(b, (byte) 127);
        // s2 = 127 * n(n+1)/2 overflows 32 bits; both must wrap identically.
        assertEquals(naive(b, 0, b.length), RollingChecksum.of(b, 0, b.length));
    }
}
