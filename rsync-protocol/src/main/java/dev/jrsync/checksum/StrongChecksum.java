package dev.jrsync.checksum;

/**
 * A session's transfer checksum: the negotiated type, the seed from the handshake and whether
 * {@code CF_CHKSUM_SEED_FIX} was agreed. Makes the block hashers and whole-file digests, each placing
 * the seed where rsync does (reference §16).
 */
public record StrongChecksum(ChecksumType type, int seed, boolean properSeedOrder) {

    public int digestLength() {
        return type.digestLength();
    }

    /**
     * Block sums ({@code rsync/checksum.c:get_checksum2}): xxhash seeded with the sign-extended seed;
     * MD5 with the seed before the block under {@code CF_CHKSUM_SEED_FIX}, after it otherwise; MD4
     * after; SHA1 (only OpenSSL builds offer it) before. A zero seed is never hashed.
     */
    public BlockHasher newBlockHasher() {
        BlockHasher.SeedPlacement placement = switch (type) {
            case MD5 -> properSeedOrder ? BlockHasher.SeedPlacement.PREFIX : BlockHasher.SeedPlacement.SUFFIX;
            case SHA1 -> BlockHasher.SeedPlacement.PREFIX;
            default -> BlockHasher.SeedPlacement.SUFFIX;
        };
        return new BlockHasher(type, seed, placement);
    }

    /**
     * The whole-file sum sent after the tokens ({@code rsync/checksum.c:sum_init}): unseeded, except
     * that protocol 27-29 MD4 ({@link ChecksumType#MD4_OLD}) hashes the 4 seed bytes first, even a zero seed.
     */
    public FileDigest newFileDigest() {
        if (type != ChecksumType.MD4_OLD) {
            return new FileDigest(type, new byte[0]);
        }
        byte[] prefix = new byte[4];
        DigestEngine.putIntLE(prefix, 0, seed);
        return new FileDigest(type, prefix);
    }
}
