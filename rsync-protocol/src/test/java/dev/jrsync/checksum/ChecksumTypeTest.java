package dev.jrsync.checksum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChecksumTypeTest {

    @Test
    void namesAndDigestLengths() {
        assertEquals(16, ChecksumType.XXH128.digestLength());
        assertEquals(8, ChecksumType.XXH3.digestLength());
        assertEquals(8, ChecksumType.XXH64.digestLength());
        assertEquals(16, ChecksumType.MD5.digestLength());
        assertEquals(16, ChecksumType.MD4.digestLength());
        assertEquals(20, ChecksumType.SHA1.digestLength());
        assertEquals(1, ChecksumType.NONE.digestLength());
        assertEquals(Optional.of(ChecksumType.XXH64), ChecksumType.byName("xxhash"));
        assertEquals(Optional.of(ChecksumType.MD5), ChecksumType.byName("MD5"));
        assertEquals(Optional.of(ChecksumType.MD4), ChecksumType.byName("md4"));
        assertEquals(Optional.empty(), ChecksumType.byName("sha256"));
    }

    @Test
    void defaultListsMatchTheCapturedOnes() {
        assertEquals("xxh128 xxh3 xxh64 md5 md4 sha1", ChecksumType.defaultList(false));
        assertEquals("xxh128 xxh3 xxh64 md5 md4 sha1 none", ChecksumType.defaultList(true));
    }

    @Test
    void negotiationPicksTheClientsFirstCommonName() {
        List<String> client = ChecksumType.splitList(ChecksumType.defaultList(false));
        assertEquals(Optional.of(ChecksumType.XXH128), ChecksumType.negotiate(client, ChecksumType.splitList(ChecksumType.defaultList(true))));
        assertEquals(Optional.of(ChecksumType.XXH64), ChecksumType.negotiate(client, List.of("md5", "xxh64", "none")));
        assertEquals(Optional.of(ChecksumType.MD5), ChecksumType.negotiate(List.of("md5", "xxh64"), List.of("xxh64", "md5")));
        // Aliases compare as the same algorithm; unknown names are skipped.
        assertEquals(Optional.of(ChecksumType.XXH64), ChecksumType.negotiate(List.of("blake3", "xxhash"), List.of("xxh64")));
        assertEquals(Optional.empty(), ChecksumType.negotiate(List.of("md4"), List.of("md5", "none")));
        assertEquals(List.of("a", "b"), ChecksumType.splitList("  a   b "));
    }

    @Test
    void checksumChoiceOption() {
        assertEquals(ChecksumChoice.of(ChecksumType.XXH64), ChecksumChoice.parse("xxh64", 31));
        assertEquals(new ChecksumChoice(ChecksumType.XXH128, ChecksumType.MD5), ChecksumChoice.parse("xxh128,md5", 31));
        assertEquals(ChecksumChoice.of(ChecksumType.MD5), ChecksumChoice.parse("auto", 30));
        assertEquals(ChecksumChoice.of(ChecksumType.MD4_OLD), ChecksumChoice.parse("auto", 29));
        assertEquals(new ChecksumChoice(ChecksumType.MD4_OLD, ChecksumType.SHA1), ChecksumChoice.parse("auto,sha1", 28));
        assertThrows(IllegalArgumentException.class, () -> ChecksumChoice.parse("crc32", 31));
        assertThrows(IllegalArgumentException.class, () -> ChecksumChoice.parse("auto", 26));
    }
}
