package dev.jrsync.delta.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CompressionTypeTest {

    @Test
    void canonicalListsAsCaptured() {
        // [captured] client list "zstd lz4 zlibx zlib"; the server adds "none" (reference doc §6.3)
        assertEquals("zstd lz4 zlibx zlib", CompressionType.negotiationList(false));
        assertEquals("zstd lz4 zlibx zlib none", CompressionType.negotiationList(true));
    }

    @Test
    void negotiationPicksTheClientsFirstMutualName() {
        assertEquals(Optional.of(CompressionType.ZSTD),
                CompressionType.negotiate("zstd lz4 zlibx zlib", "zstd lz4 zlibx zlib none"));
        assertEquals(Optional.of(CompressionType.ZLIBX),
                CompressionType.negotiate("zstd lz4 zlibx zlib", "zlib zlibx none"));
        assertEquals(Optional.of(CompressionType.ZLIB),
                CompressionType.negotiate("brotli zlib", "ZLIB none"));
        assertEquals(Optional.empty(), CompressionType.negotiate("zstd lz4", "zlibx zlib none"));
        assertEquals(Optional.empty(), CompressionType.negotiate("", "zlib"));
    }

    @Test
    void receivedListsSkipUnknownAndRepeatedNames() {
        assertEquals(List.of(CompressionType.LZ4, CompressionType.ZLIB),
                CompressionType.parseList("  lz4  xz lz4 zlib "));
    }

    @Test
    void compressChoiceNames() {
        assertEquals(Optional.of(CompressionType.ZSTD), CompressionType.parseChoice("ZSTD"));
        assertEquals(Optional.of(CompressionType.NONE), CompressionType.parseChoice("none"));
        assertEquals(Optional.empty(), CompressionType.parseChoice("Auto"));
        assertThrows(IllegalArgumentException.class, () -> CompressionType.parseChoice("zlib2"));
        assertThrows(IllegalArgumentException.class, () -> CompressionType.parseChoice("zst"));
    }

    @Test
    void plainZWithoutNegotiationIsZlib() {
        assertEquals(CompressionType.ZLIB, CompressionType.withoutNegotiation(Optional.empty()));
        assertEquals(CompressionType.LZ4, CompressionType.withoutNegotiation(Optional.of(CompressionType.LZ4)));
    }

    @Test
    void levelsFollowInitCompressionLevel() {
        int unset = CompressionType.LEVEL_NOT_SPECIFIED;
        assertEquals(6, CompressionType.ZLIB.resolveLevel(unset));
        assertEquals(6, CompressionType.ZLIBX.resolveLevel(-1));
        assertEquals(1, CompressionType.ZLIB.resolveLevel(-7));
        assertEquals(9, CompressionType.ZLIBX.resolveLevel(12));
        assertEquals(4, CompressionType.ZLIB.resolveLevel(4));
        assertTrue(CompressionType.ZLIB.levelDisablesCompression(0));
        assertTrue(CompressionType.ZLIBX.levelDisablesCompression(0));
        assertFalse(CompressionType.ZSTD.levelDisablesCompression(0));

        assertEquals(3, CompressionType.ZSTD.resolveLevel(unset));
        assertEquals(3, CompressionType.ZSTD.resolveLevel(0));
        assertEquals(22, CompressionType.ZSTD.resolveLevel(99));
        assertEquals(-5, CompressionType.ZSTD.resolveLevel(-5));
        assertEquals(-131072, CompressionType.ZSTD.resolveLevel(Integer.MIN_VALUE + 1));

        assertEquals(0, CompressionType.LZ4.resolveLevel(9));
        assertFalse(CompressionType.LZ4.levelDisablesCompression(0));
    }
}
