package dev.jrsync.checksum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BlockSizingTest {
    private static final int P31 = 31;
    private static final int SHORT = BlockSizing.SHORT_SUM_LENGTH;

    @Test
    void worked100000() {
        // Reference §14.2 [captured]: blength 700, s2length 2, count 143, remainder 600.
        int b = BlockSizing.blockLength(100_000, P31, 0);
        assertEquals(700, b);
        assertEquals(2, BlockSizing.s2Length(100_000, b, P31, SHORT, 16));
        assertEquals(143, BlockSizing.count(100_000, b));
        assertEquals(600, BlockSizing.remainder(100_000, b));
    }

    @Test
    void workedOneMillion() {
        int b = BlockSizing.blockLength(1_000_000, P31, 0);
        assertEquals(1000, b);
        assertEquals(2, BlockSizing.s2Length(1_000_000, b, P31, SHORT, 16));
        assertEquals(1000, BlockSizing.count(1_000_000, b));
        assertEquals(0, BlockSizing.remainder(1_000_000, b));
    }

    @Test
    void smallFilesUse700() {
        assertEquals(700, BlockSizing.blockLength(0, P31, 0));
        assertEquals(700, BlockSizing.blockLength(1, P31, 0));
        assertEquals(700, BlockSizing.blockLength(490_000, P31, 0));
        // Just above 700^2 the square root rounds down to 696, floored at 700.
        assertEquals(700, BlockSizing.blockLength(490_001, P31, 0));
    }

    @Test
    void largestMultipleOf8WhoseSquareFits() {
        // sqrt(1e7) = 3162.3 -> 3160 (3168^2 > 1e7).
        assertEquals(3160, BlockSizing.blockLength(10_000_000, P31, 0));
        assertEquals(1 << 15, BlockSizing.blockLength(1L << 30, P31, 0));
        assertEquals(3, BlockSizing.s2Length(1L << 30, 1 << 15, P31, SHORT, 16));
    }

    @Test
    void maximumDependsOnProtocol() {
        long tib = 1L << 40;
        assertEquals(1 << 17, BlockSizing.blockLength(tib, 30, 0));
        assertEquals(1 << 20, BlockSizing.blockLength(tib, 29, 0));
        // b = 10 + 2*40 - 17 = 73 -> (73 + 1 - 32 + 7) / 8 = 6; with 2^20 blocks: 70 -> 5.
        assertEquals(6, BlockSizing.s2Length(tib, 1 << 17, 30, SHORT, 16));
        assertEquals(5, BlockSizing.s2Length(tib, 1 << 20, 29, SHORT, 16));
    }

    @Test
    void redoPassUsesFullLengthCappedAtTheDigest() {
        assertEquals(16, BlockSizing.s2Length(100_000, 700, P31, BlockSizing.SUM_LENGTH, 16));
        assertEquals(8, BlockSizing.s2Length(100_000, 700, P31, BlockSizing.SUM_LENGTH, 8));
        assertEquals(16, BlockSizing.s2Length(100_000, 700, P31, BlockSizing.SUM_LENGTH, 20));
        // First pass too: never above the digest.
        assertEquals(1, BlockSizing.s2Length(100_000, 700, P31, SHORT, 1));
    }

    @Test
    void beforeProtocol27TheLengthIsThePass() {
        assertEquals(2, BlockSizing.s2Length(1L << 40, 1 << 20, 26, SHORT, 16));
        assertEquals(16, BlockSizing.s2Length(100, 700, 26, BlockSizing.SUM_LENGTH, 16));
    }

    @Test
    void blockSizeOverride() {
        assertEquals(2048, BlockSizing.blockLength(100_000, P31, 2048));
        assertEquals(1 << 17, BlockSizing.blockLength(100_000, P31, 1 << 17));
        assertThrows(IllegalArgumentException.class, () -> BlockSizing.blockLength(100_000, P31, (1 << 17) + 1));
        assertEquals(1 << 18, BlockSizing.blockLength(100_000, 29, 1 << 18));
    }

    @Test
    void countMustFitInt32() {
        assertThrows(IllegalArgumentException.class, () -> BlockSizing.count(Long.MAX_VALUE, 700));
        assertEquals(1, BlockSizing.count(1, 700));
        assertEquals(0, BlockSizing.count(0, 700));
    }
}
