package dev.jrsync.checksum;

/**
 * How the generator sizes a basis file's signature ({@code rsync/generator.c:sum_sizes_sqroot}): block
 * length about the square root of the file length, and a strong-sum prefix long enough that a false
 * match over the whole file is unlikely.
 */
public final class BlockSizing {
    private BlockSizing() {}

    /** {@code BLOCK_SIZE}: the smallest automatic block length. */
    public static final int BLOCK_SIZE = 700;
    /** {@code MAX_BLOCK_SIZE}: the largest block length from protocol 30 on. */
    public static final int MAX_BLOCK_SIZE = 1 << 17;
    /** {@code OLD_MAX_BLOCK_SIZE}: the largest block length before protocol 30. */
    public static final int OLD_MAX_BLOCK_SIZE = 1 << 29;
    /** {@code SUM_LENGTH}: the pass-2 (redo) strong-sum length. */
    public static final int SUM_LENGTH = 16;
    /** {@code SHORT_SUM_LENGTH}: the pass-1 csum_length, also the minimum s2length. */
    public static final int SHORT_SUM_LENGTH = 2;
    private static final int BLOCKSUM_BIAS = 10;

    public static int maxBlockLength(int protocol) {
        return protocol < 30 ? OLD_MAX_BLOCK_SIZE : MAX_BLOCK_SIZE;
    }

    /**
     * The block length for a basis of {@code fileLength} bytes; {@code blockSize} > 0 is a {@code -B}
     * override, 0 means automatic.
     */
    public static int blockLength(long fileLength, int protocol, int blockSize) {
        int max = maxBlockLength(protocol);
        if (blockSize < 0 || blockSize > max) {
            throw new IllegalArgumentException("--block-size=" + blockSize + " is out of range (max: " + max + ")");
        }
        if (blockSize > 0) {
            return blockSize;
        }
        if (fileLength <= (long) BLOCK_SIZE * BLOCK_SIZE) {
            return BLOCK_SIZE;
        }
        long c = 1;
        for (long l = fileLength; (l >>= 2) != 0; ) {
            c <<= 1;
        }
        if (c >= max) {
            return max;
        }
        // Set bits from the top down while the square stays within the file: the largest multiple of 8
        // whose square does not exceed the length.
        long b = 0;
        for (; c >= 8; c >>= 1) {
            if ((b | c) * (b | c) <= fileLength) {
                b |= c;
            }
        }
        return (int) Math.max(b, BLOCK_SIZE);
    }

    /**
     * Strong-sum bytes per block. {@code csumLength} is the pass's length: {@link #SHORT_SUM_LENGTH} in the
     * first pass, {@link #SUM_LENGTH} in the redo pass. Never longer than the digest (3.4+ senders reject
     * that, reference §14.2), and before protocol 27 fixed at the pass's length.
     */
    public static int s2Length(long fileLength, int blockLength, int protocol, int csumLength, int digestLength) {
        int max = Math.min(SUM_LENGTH, digestLength);
        if (protocol < 27) {
            return Math.min(csumLength, digestLength);
        }
        if (csumLength == SUM_LENGTH) {
            return max;
        }
        int b = BLOCKSUM_BIAS + 2 * floorLog2(fileLength);
        b = Math.max(0, b - floorLog2(blockLength));
        int s2 = (b + 1 - 32 + 7) / 8; // Java's division truncates toward zero, like C's
        return Math.min(Math.max(s2, csumLength), max);
    }

    /** Blocks covering {@code fileLength} bytes; throws if that does not fit rsync's int32 count. */
    public static int count(long fileLength, int blockLength) {
        long n = fileLength / blockLength + (fileLength % blockLength != 0 ? 1 : 0);
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("file of " + fileLength + " bytes needs more than 2^31 blocks of " + blockLength);
        }
        return (int) n;
    }

    /** Length of the short last block, or 0 when the file is a whole number of blocks. */
    public static int remainder(long fileLength, int blockLength) {
        return (int) (fileLength % blockLength);
    }

    private static int floorLog2(long v) {
        return v <= 0 ? 0 : 63 - Long.numberOfLeadingZeros(v);
    }
}
