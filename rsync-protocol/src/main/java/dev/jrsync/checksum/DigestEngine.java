package dev.jrsync.checksum;

import com.dynatrace.hash4j.hashing.HashStream128;
import com.dynatrace.hash4j.hashing.HashStream64;
import com.dynatrace.hash4j.hashing.HashValue128;
import com.dynatrace.hash4j.hashing.Hashing;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import net.jpountz.xxhash.StreamingXXHash64;
import net.jpountz.xxhash.XXHashFactory;
import org.bouncycastle.crypto.digests.MD4Digest;

/**
 * One incremental digest computation in rsync's output byte order; {@link #finish} writes the digest and
 * resets, so an engine is reused for every block and file ({@code rsync/checksum.c:sum_init},
 * {@code sum_update}, {@code sum_end}).
 */
abstract sealed class DigestEngine {
    /**
     * Safe (pure Java, no {@code sun.misc.Unsafe}, no JNI) so JDK 25 prints no warnings; it is still
     * several GB/s.
     */
    static final XXHashFactory XXHASH = XXHashFactory.safeInstance();

    abstract void update(byte[] buf, int off, int len);

    /** Writes the digest ({@link ChecksumType#digestLength()} bytes) to {@code out[off..]} and resets. */
    abstract void finish(byte[] out, int off);

    /**
     * A fresh unseeded engine for {@code type}: streamed xxhash sums always start from seed 0 in rsync
     * (seeded block sums are computed one-shot by {@link BlockHasher}).
     */
    static DigestEngine create(ChecksumType type) {
        return switch (type) {
            case XXH128 -> new Xxh3_128();
            case XXH3 -> new Xxh3_64();
            case XXH64 -> new Xxh64();
            case MD5 -> new Jdk("MD5");
            case SHA1 -> new Jdk("SHA-1");
            case MD4, MD4_OLD -> new Md4();
            case NONE -> new None();
        };
    }

    /** {@code SIVAL64}: rsync stores xxhash results little-endian. */
    static void putLongLE(byte[] out, int off, long v) {
        for (int i = 0; i < 8; i++) {
            out[off + i] = (byte) (v >>> (8 * i));
        }
    }

    /** {@code SIVAL}: the seed is hashed as four little-endian bytes. */
    static void putIntLE(byte[] out, int off, int v) {
        out[off] = (byte) v;
        out[off + 1] = (byte) (v >>> 8);
        out[off + 2] = (byte) (v >>> 16);
        out[off + 3] = (byte) (v >>> 24);
    }

    static final class Jdk extends DigestEngine {
        private final MessageDigest md;

        Jdk(String algorithm) {
            try {
                md = MessageDigest.getInstance(algorithm);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("JDK lacks " + algorithm, e);
            }
        }

        @Override
        void update(byte[] buf, int off, int len) {
            md.update(buf, off, len);
        }

        @Override
        void finish(byte[] out, int off) {
            try {
                md.digest(out, off, md.getDigestLength());
            } catch (DigestException e) {
                throw new IllegalArgumentException("digest does not fit at offset " + off, e);
            }
        }
    }

    static final class Md4 extends DigestEngine {
        private final MD4Digest md = new MD4Digest();

        @Override
        void update(byte[] buf, int off, int len) {
            md.update(buf, off, len);
        }

        @Override
        void finish(byte[] out, int off) {
            md.doFinal(out, off);
        }
    }

    static final class Xxh64 extends DigestEngine {
        private final StreamingXXHash64 state = XXHASH.newStreamingHash64(0);

        @Override
        void update(byte[] buf, int off, int len) {
            state.update(buf, off, len);
        }

        @Override
        void finish(byte[] out, int off) {
            putLongLE(out, off, state.getValue());
            state.reset();
        }
    }

    static final class Xxh3_64 extends DigestEngine {
        private final HashStream64 state = Hashing.xxh3_64().hashStream();

        @Override
        void update(byte[] buf, int off, int len) {
            state.putBytes(buf, off, len);
        }

        @Override
        void finish(byte[] out, int off) {
            putLongLE(out, off, state.getAsLong());
            state.reset();
        }
    }

    static final class Xxh3_128 extends DigestEngine {
        private final HashStream128 state = Hashing.xxh3_128().hashStream();

        @Override
        void update(byte[] buf, int off, int len) {
            state.putBytes(buf, off, len);
        }

        @Override
        void finish(byte[] out, int off) {
            HashValue128 v = state.get();
            putLongLE(out, off, v.getLeastSignificantBits());
            putLongLE(out, off + 8, v.getMostSignificantBits());
            state.reset();
        }
    }

    /** "none": rsync sends a single zero byte as the whole-file sum. */
    static final class None extends DigestEngine {
        @Override
        void update(byte[] buf, int off, int len) {}

        @Override
        void finish(byte[] out, int off) {
            out[off] = 0;
        }
    }
}
