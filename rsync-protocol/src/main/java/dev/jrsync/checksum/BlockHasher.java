package dev.jrsync.checksum;

import com.dynatrace.hash4j.hashing.HashValue128;
import com.dynatrace.hash4j.hashing.Hasher128;
import com.dynatrace.hash4j.hashing.Hasher64;
import com.dynatrace.hash4j.hashing.Hashing;
import net.jpountz.xxhash.XXHash64;

/**
 * Per-block strong sums, seeded ({@code rsync/checksum.c:get_checksum2}). Holds reusable state and
 * allocates nothing per block for the xxhash family, MD4 and MD5; one instance per thread.
 */
public final class BlockHasher {
    /** Where the 4 seed bytes go relative to the block data; a seed of 0 is never hashed. */
    enum SeedPlacement { PREFIX, SUFFIX }

    private final ChecksumType type;
    private final int seed;
    private final SeedPlacement placement;
    private final byte[] seedBytes = new byte[4];
    private final DigestEngine engine;
    private final XXHash64 xxh64;
    private final Hasher64 xxh3;
    private final Hasher128 xxh128;

    BlockHasher(ChecksumType type, int seed, SeedPlacement placement) {
        if (type == ChecksumType.NONE) {
            throw new IllegalArgumentException("checksum \"none\" has no block sums (it forces whole-file transfers)");
        }
        this.type = type;
        this.seed = seed;
        this.placement = placement;
        DigestEngine.putIntLE(seedBytes, 0, seed);
        // xxhash seeds are the int sign-extended to 64 bits, as C converts int to unsigned long long.
        this.xxh64 = type == ChecksumType.XXH64 ? DigestEngine.XXHASH.hash64() : null;
        this.xxh3 = type == ChecksumType.XXH3 ? Hashing.xxh3_64(seed) : null;
        this.xxh128 = type == ChecksumType.XXH128 ? Hashing.xxh3_128(seed) : null;
        this.engine = switch (type) {
            case MD5, MD4, MD4_OLD, SHA1 -> DigestEngine.create(type);
            default -> null;
        };
    }

    public ChecksumType type() {
        return type;
    }

    /** Bytes {@link #hash} writes: the full digest, of which the wire carries the first s2length. */
    public int digestLength() {
        return type.digestLength();
    }

    /** Writes the block's full strong sum to {@code out[outOff..outOff+digestLength())}. */
    public void hash(byte[] buf, int off, int len, byte[] out, int outOff) {
        switch (type) {
            case XXH64 -> DigestEngine.putLongLE(out, outOff, xxh64.hash(buf, off, len, seed));
            case XXH3 -> DigestEngine.putLongLE(out, outOff, xxh3.hashBytesToLong(buf, off, len));
            case XXH128 -> {
                HashValue128 v = xxh128.hashBytesTo128Bits(buf, off, len);
                DigestEngine.putLongLE(out, outOff, v.getLeastSignificantBits());
                DigestEngine.putLongLE(out, outOff + 8, v.getMostSignificantBits());
            }
            default -> {
                if (seed != 0 && placement == SeedPlacement.PREFIX) {
                    engine.update(seedBytes, 0, 4);
                }
                engine.update(buf, off, len);
                if (seed != 0 && placement == SeedPlacement.SUFFIX) {
                    engine.update(seedBytes, 0, 4);
                }
                engine.finish(out, outOff);
            }
        }
    }
}
