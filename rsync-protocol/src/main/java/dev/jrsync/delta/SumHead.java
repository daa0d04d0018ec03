package dev.jrsync.delta;

import dev.jrsync.checksum.BlockSizing;
import dev.jrsync.wire.ProtocolException;
import dev.jrsync.wire.ProtocolInput;
import dev.jrsync.wire.ProtocolOutput;

/**
 * The header in front of a basis file's block sums ({@code rsync/rsync.h:struct sum_struct}): how many
 * blocks, their length, how many strong-sum bytes each carries, and the length of a short last block
 * (0 when the last block is full). Count 0 means "no basis: send everything as literal data".
 */
public record SumHead(int count, int blockLength, int s2Length, int remainder) {

    /**
     * Largest signature we accept from a peer: {@code count * (4 + s2length)} bytes. 256 MiB holds the
     * sums of any file up to about 1.7 TB at the 128 KiB maximum block length even with 16-byte strong
     * sums (stock rsync sizes blocks to about the square root of the file, so that is where real headers
     * end), while a hostile header cannot make us allocate gigabytes (CVE-2024-12084).
     */
    public static final long MAX_SIGNATURE_BYTES = 256L << 20;

    /**
     * Largest block length we accept even where the protocol allows more (2^29 before protocol 30): the
     * matcher's window holds two blocks, so this caps it at 256 MiB. rsync only picks blocks this long
     * for files over 2^54 bytes.
     */
    public static final int MAX_ACCEPTED_BLOCK_LENGTH = 1 << 27;

    /** The header a generator sends when there is no basis (new file, {@code --whole-file}). */
    public static final SumHead EMPTY = new SumHead(0, 0, 0, 0);

    /**
     * The header for a basis of {@code basisLength} bytes ({@code rsync/generator.c:sum_sizes_sqroot});
     * see {@link BlockSizing} for the parameters.
     */
    public static SumHead forBasis(long basisLength, int protocol, int blockSize, int csumLength, int digestLength) {
        int blength = BlockSizing.blockLength(basisLength, protocol, blockSize);
        return new SumHead(
                BlockSizing.count(basisLength, blength),
                blength,
                BlockSizing.s2Length(basisLength, blength, protocol, csumLength, digestLength),
                BlockSizing.remainder(basisLength, blength));
    }

    /** Length of block {@code i}: the remainder for a short last block, else the block length. */
    public int lengthOfBlock(int i) {
        return i == count - 1 && remainder != 0 ? remainder : blockLength;
    }

    /** Bytes of basis the sums describe. */
    public long basisLength() {
        return count == 0 ? 0 : (long) (count - 1) * blockLength + lengthOfBlock(count - 1);
    }

    /**
     * Reads and validates a header from the peer ({@code rsync/io.c:read_sum_head}, with the checks
     * that close CVE-2024-12084 and CVE-2026-53792). {@code maxDigestLength} is the negotiated digest's
     * length. Before protocol 27 s2length is not sent; it is then the first pass's 2 bytes.
     */
    public static SumHead read(ProtocolInput in, int protocol, int maxDigestLength) {
        int count = in.readInt();
        int blength = in.readInt();
        int s2length = protocol < 27 ? Math.min(BlockSizing.SHORT_SUM_LENGTH, maxDigestLength) : in.readInt();
        int remainder = in.readInt();
        if (count < 0) {
            throw new ProtocolException("Invalid checksum count " + count);
        }
        int maxBlength = Math.min(BlockSizing.maxBlockLength(protocol), MAX_ACCEPTED_BLOCK_LENGTH);
        if (blength < 0 || blength > maxBlength) {
            throw new ProtocolException("Invalid block length " + blength + " (max " + maxBlength + ")");
        }
        if (count > 0 && blength == 0) {
            throw new ProtocolException("Invalid zero block length with " + count + " blocks");
        }
        if (s2length < 0 || s2length > maxDigestLength) {
            throw new ProtocolException("Invalid checksum length " + s2length + " (digest has " + maxDigestLength + ")");
        }
        if (remainder < 0 || remainder > blength) {
            throw new ProtocolException("Invalid remainder length " + remainder + " (block length " + blength + ")");
        }
        if ((long) count * (4 + s2length) > MAX_SIGNATURE_BYTES) {
            throw new ProtocolException("Invalid checksum count " + count + ": " + count + " sums of " + (4 + s2length)
                    + " bytes exceed the " + (MAX_SIGNATURE_BYTES >> 20) + " MiB limit");
        }
        return new SumHead(count, blength, s2length, remainder);
    }

    // rsync/io.c:write_sum_head
    public void write(ProtocolOutput out, int protocol) {
        out.writeInt(count);
        out.writeInt(blockLength);
        if (protocol >= 27) {
            out.writeInt(s2Length);
        }
        out.writeInt(remainder);
    }
}
