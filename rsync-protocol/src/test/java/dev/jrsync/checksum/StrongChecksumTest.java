package dev.jrsync.checksum;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.bouncycastle.crypto.digests.MD4Digest;
import org.junit.jupiter.api.Test;

class StrongChecksumTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final long PRIME64 = Long.parseUnsignedLong("11400714785074694797");

    /** xxHash's sanity-check input (cli/xsum_sanity_check.c: XSUM_fillTestBuffer). */
    private static byte[] xxhTestBuffer(int len) {
        byte[] b = new byte[len];
        long gen = 2654435761L;
        for (int i = 0; i < len; i++) {
            b[i] = (byte) (gen >>> 56);
            gen *= PRIME64;
        }
        return b;
    }

    private static byte[] le64(long... values) {
        byte[] out = new byte[8 * values.length];
        for (int v = 0; v < values.length; v++) {
            for (int i = 0; i < 8; i++) {
                out[8 * v + i] = (byte) (values[v] >>> (8 * i));
            }
        }
        return out;
    }

    private static byte[] block(ChecksumType type, int seed, boolean seedFix, byte[] data) {
        BlockHasher h = new StrongChecksum(type, seed, seedFix).newBlockHasher();
        byte[] out = new byte[h.digestLength() + 3];
        h.hash(data, 0, data.length, out, 3);
        return java.util.Arrays.copyOfRange(out, 3, out.length);
    }

    /** Whole-file digest, fed in uneven pieces to exercise the streaming state. */
    private static byte[] whole(FileDigest d, byte[] data) {
        int[] pieces = {1, 7, 64, 3, 1000};
        int off = 0;
        for (int i = 0; off < data.length; i++) {
            int n = Math.min(pieces[i % pieces.length], data.length - off);
            d.update(data, off, n);
            off += n;
        }
        return d.finish();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] jdk(String alg, byte[] data) throws Exception {
        return MessageDigest.getInstance(alg).digest(data);
    }

    private static byte[] md4(byte[] data) {
        MD4Digest d = new MD4Digest();
        d.update(data, 0, data.length);
        byte[] out = new byte[16];
        d.doFinal(out, 0);
        return out;
    }

    @Test
    void xxh3_128OfHelloMatchesTheCapturedWireBytes() {
        byte[] expected = HEX.parseHex("9ce4c8f135b4105a6df569e0c786ba6b"); // reference §16 [captured]
        byte[] hello = ascii("hello\n");
        assertArrayEquals(expected, whole(new StrongChecksum(ChecksumType.XXH128, 0x6b0ef103, true).newFileDigest(), hello));
        assertArrayEquals(expected, block(ChecksumType.XXH128, 0, true, hello));
        assertArrayEquals(expected, whole(FileDigest.forFileList(ChecksumType.XXH128), hello));
    }

    @Test
    void xxh64PublishedVectors() {
        long[][] vectors = {{0, 0xEF46DB3751D8E999L}, {1, 0xE934A84ADB052768L}, {4, 0x9136A0DCA57457EEL},
            {14, 0x8282DCC4994E35C8L}, {222, 0xB641AE8CB691C174L}};
        for (long[] v : vectors) {
            byte[] data = xxhTestBuffer((int) v[0]);
            assertArrayEquals(le64(v[1]), block(ChecksumType.XXH64, 0, true, data), "block, len " + v[0]);
            assertArrayEquals(le64(v[1]), whole(new StrongChecksum(ChecksumType.XXH64, 99, true).newFileDigest(), data),
                    "whole file, len " + v[0]);
        }
    }

    @Test
    void xxh3PublishedVectors() {
        long[][] vectors = {{0, 0x2D06800538D394C2L}, {1, 0xC44BDFF4074EECDBL}, {6, 0x27B56A84CD2D7325L},
            {12, 0xA713DAF0DFBB77E7L}, {24, 0xA3FE70BF9D3510EBL}, {48, 0x397DA259ECBA1F11L}, {80, 0xBCDEFBBB2C47C90AL},
            {195, 0xCD94217EE362EC3AL}, {403, 0xCDEB804D65C6DEA4L}, {512, 0x617E49599013CB6BL},
            {2048, 0xDD59E2C3A5F038E0L}, {2240, 0x6E73A90539CF2948L}, {2367, 0xCB37AEB9E5D361EDL}};
        for (long[] v : vectors) {
            byte[] data = xxhTestBuffer((int) v[0]);
            assertArrayEquals(le64(v[1]), block(ChecksumType.XXH3, 0, true, data), "block, len " + v[0]);
            assertArrayEquals(le64(v[1]), whole(new StrongChecksum(ChecksumType.XXH3, -7, true).newFileDigest(), data),
                    "whole file, len " + v[0]);
        }
    }

    @Test
    void xxh128PublishedVectorsLowHalfFirst() {
        // {len, low64, high64}
        long[][] vectors = {{0, 0x6001C324468D497FL, 0x99AA06D3014798D8L}, {1, 0xC44BDFF4074EECDBL, 0xA6CD5E9392000F6AL},
            {6, 0x3E7039BDDA43CFC6L, 0x082AFE0B8162D12AL}, {12, 0x061A192713F69AD9L, 0x6E3EFD8FC7802B18L},
            {24, 0x1E7044D28B1B901DL, 0x0CE966E4678D3761L}, {48, 0xF942219AED80F67BL, 0xA002AC4E5478227EL},
            {81, 0x5E8BAFB9F95FB803L, 0x4952F58181AB0042L}, {222, 0xF1AEBD597CEC6B3AL, 0x337E09641B948717L},
            {403, 0xCDEB804D65C6DEA4L, 0x1B6DE21E332DD73DL}, {512, 0x617E49599013CB6BL, 0x18D2D110DCC9BCA1L},
            {2048, 0xDD59E2C3A5F038E0L, 0xF736557FD47073A5L}, {2240, 0x6E73A90539CF2948L, 0xCCB134FBFA7CE49DL},
            {2367, 0xCB37AEB9E5D361EDL, 0xE89C0F6FF369B427L}};
        for (long[] v : vectors) {
            byte[] data = xxhTestBuffer((int) v[0]);
            assertArrayEquals(le64(v[1], v[2]), block(ChecksumType.XXH128, 0, true, data), "block, len " + v[0]);
            assertArrayEquals(le64(v[1], v[2]), whole(new StrongChecksum(ChecksumType.XXH128, 5, true).newFileDigest(), data),
                    "whole file, len " + v[0]);
        }
    }

    @Test
    void xxh3StreamingSelfTestFromRsync() {
        // rsync/checksum.c:verify_digest feeds prefixes of this buffer and expects 0xadbcf16d4678d1de.
        byte[] buf = new byte[32816];
        for (int j = 0; j < buf.length; j++) {
            buf[j] = (byte) (' ' + j % 96);
        }
        FileDigest d = FileDigest.forFileList(ChecksumType.XXH3);
        for (int n : new int[] {32816, 31152, 32474, 9322}) {
            d.update(buf, 0, n);
        }
        assertArrayEquals(le64(0xadbcf16d4678d1deL), d.finish());
    }

    @Test
    void xxhSeedIsSignExtended() {
        byte[] data = xxhTestBuffer(100);
        long signExtended = DigestEngine.XXHASH.hash64().hash(data, 0, data.length, -5L);
        long zeroExtended = DigestEngine.XXHASH.hash64().hash(data, 0, data.length, 0xFFFFFFFBL);
        assertArrayEquals(le64(signExtended), block(ChecksumType.XXH64, -5, true, data));
        assertFalse(java.util.Arrays.equals(le64(zeroExtended), block(ChecksumType.XXH64, -5, true, data)));
        long xxh3 = com.dynatrace.hash4j.hashing.Hashing.xxh3_64(-5L).hashBytesToLong(data);
        assertArrayEquals(le64(xxh3), block(ChecksumType.XXH3, -5, true, data));
    }

    @Test
    void md4Rfc1320Vectors() {
        String[][] vectors = {{"", "31d6cfe0d16ae931b73c59d7e0c089c0"}, {"a", "bde52cb31de33e46245e05fbdbd6fb24"},
            {"abc", "a448017aaf21d8525fc10ae87aa6729d"}, {"message digest", "d9130a8164549fe818874806e1c7014b"},
            {"abcdefghijklmnopqrstuvwxyz", "d79e1c308aa5bbcdeea8ed63df412da9"},
            {"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "043f8582f241db351ce627e153e7f0e4"},
            {"1234567890".repeat(8), "e33b4ddc9c38f2199c3e7b164fcc0536"}};
        for (String[] v : vectors) {
            byte[] expected = HEX.parseHex(v[1]);
            assertArrayEquals(expected, block(ChecksumType.MD4, 0, false, ascii(v[0])), v[0]);
            assertArrayEquals(expected, whole(new StrongChecksum(ChecksumType.MD4, 1234, true).newFileDigest(), ascii(v[0])), v[0]);
            assertArrayEquals(expected, whole(FileDigest.forFileList(ChecksumType.MD4_OLD), ascii(v[0])), v[0]);
        }
    }

    @Test
    void md5Rfc1321Vectors() {
        String[][] vectors = {{"", "d41d8cd98f00b204e9800998ecf8427e"}, {"a", "0cc175b9c0f1b6a831c399e269772661"},
            {"abc", "900150983cd24fb0d6963f7d28e17f72"}, {"message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
            {"abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"},
            {"1234567890".repeat(8), "57edf4a22be3c955ac49da2e2107b67a"}};
        for (String[] v : vectors) {
            byte[] expected = HEX.parseHex(v[1]);
            assertArrayEquals(expected, block(ChecksumType.MD5, 0, true, ascii(v[0])), v[0]);
            // The whole-file MD5 ignores the seed.
            assertArrayEquals(expected, whole(new StrongChecksum(ChecksumType.MD5, -99, true).newFileDigest(), ascii(v[0])), v[0]);
        }
    }

    @Test
    void sha1Vector() {
        byte[] expected = HEX.parseHex("a9993e364706816aba3e25717850c26c9cd0d89d");
        assertArrayEquals(expected, whole(FileDigest.forFileList(ChecksumType.SHA1), ascii("abc")));
        assertArrayEquals(expected, block(ChecksumType.SHA1, 0, true, ascii("abc")));
    }

    @Test
    void md5SeedPrefixWithSeedFixSuffixWithout() throws Exception {
        byte[] data = xxhTestBuffer(700);
        byte[] seedLe = {0x04, 0x03, 0x02, 0x01};
        assertArrayEquals(jdk("MD5", concat(seedLe, data)), block(ChecksumType.MD5, 0x01020304, true, data));
        assertArrayEquals(jdk("MD5", concat(data, seedLe)), block(ChecksumType.MD5, 0x01020304, false, data));
        assertArrayEquals(jdk("MD5", data), block(ChecksumType.MD5, 0, true, data));
        assertArrayEquals(jdk("MD5", data), block(ChecksumType.MD5, 0, false, data));
    }

    @Test
    void md4BlockSeedIsAppendedAndOmittedWhenZero() {
        byte[] data = xxhTestBuffer(640); // a multiple of 64: the length pre-27 MD4 got wrong
        byte[] seedLe = {(byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
        for (ChecksumType t : new ChecksumType[] {ChecksumType.MD4, ChecksumType.MD4_OLD}) {
            assertArrayEquals(md4(concat(data, seedLe)), block(t, -2, true, data), t.name());
            assertArrayEquals(md4(data), block(t, 0, true, data), t.name());
        }
    }

    @Test
    void sha1BlockSeedIsPrefixed() throws Exception {
        byte[] data = xxhTestBuffer(100);
        assertArrayEquals(jdk("SHA-1", concat(new byte[] {7, 0, 0, 0}, data)), block(ChecksumType.SHA1, 7, false, data));
    }

    @Test
    void protocol29WholeFileMd4AlwaysPrefixesTheSeed() {
        byte[] data = ascii("some file content");
        assertArrayEquals(md4(concat(new byte[] {0x78, 0x56, 0x34, 0x12}, data)),
                whole(new StrongChecksum(ChecksumType.MD4_OLD, 0x12345678, false).newFileDigest(), data));
        // Even a zero seed is hashed.
        FileDigest d = new StrongChecksum(ChecksumType.MD4_OLD, 0, false).newFileDigest();
        assertArrayEquals(md4(concat(new byte[4], data)), whole(d, data));
        // ... and again for the next file: finish() restarts with the prefix.
        assertArrayEquals(md4(new byte[4]), d.finish());
    }

    @Test
    void noneSendsOneZeroByteAndHasNoBlockSums() {
        assertArrayEquals(new byte[] {0}, new StrongChecksum(ChecksumType.NONE, 1, true).newFileDigest().finish());
        assertThrows(IllegalArgumentException.class, () -> new StrongChecksum(ChecksumType.NONE, 1, true).newBlockHasher());
        assertThrows(IllegalArgumentException.class, () -> FileDigest.forFileList(ChecksumType.NONE));
    }

    @Test
    void hasherIsReusable() {
        BlockHasher h = new StrongChecksum(ChecksumType.MD5, 42, true).newBlockHasher();
        byte[] a = new byte[16];
        byte[] b = new byte[16];
        byte[] data = xxhTestBuffer(50);
        h.hash(data, 0, 50, a, 0);
        h.hash(data, 10, 20, b, 0);
        h.hash(data, 0, 50, b, 0);
        assertArrayEquals(a, b);
        assertEquals(16, h.digestLength());
    }
}
