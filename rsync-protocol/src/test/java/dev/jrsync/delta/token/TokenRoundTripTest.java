package dev.jrsync.delta.token;

import static dev.jrsync.delta.token.TokenScript.lit;
import static dev.jrsync.delta.token.TokenScript.match;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every codec decodes what it encodes, across several files of one session. */
class TokenRoundTripTest {
    private static final byte[][] BLOCKS = TokenScript.blocks(40, 700, 11);

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void literalOnly(CompressionType type) {
        roundTrip(type, 31, List.of(List.of(lit(TokenScript.text(1, 5000)))));
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void matchesOnly(CompressionType type) {
        roundTrip(type, 31, List.of(List.of(match(0), match(1), match(2), match(39), match(3), match(3), match(38))));
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void mixed(CompressionType type) {
        roundTrip(type, 31, List.of(List.of(lit(TokenScript.text(2, 100)), match(4), match(5), lit(BLOCKS[4]),
                lit(TokenScript.random(3, 3000)), match(30), lit(new byte[] {1}), match(31), match(0),
                lit(TokenScript.text(4, 40_000)))));
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void emptyFiles(CompressionType type) {
        roundTrip(type, 31, List.of(List.of(), List.of(), List.of(lit(new byte[] {42})), List.of()));
    }

    /** Incompressible and compressible literal runs well past 64 KiB, given in one call and in many. */
    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void largeLiteralRuns(CompressionType type) {
        List<TokenScript.Op> pieces = new ArrayList<>();
        byte[] big = TokenScript.text(5, 150_000);
        for (int off = 0; off < big.length; off += 10_000) {
            pieces.add(lit(java.util.Arrays.copyOfRange(big, off, off + 10_000)));
        }
        pieces.add(match(7));
        roundTrip(type, 31, List.of(List.of(lit(TokenScript.random(6, 200_000)), match(1)),
                List.of(lit(new byte[300_000])), pieces));
    }

    /** Many files through one writer and one reader: zstd's stream and zlib's per-file resets must hold up. */
    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void manyFilesInOneSession(CompressionType type) {
        Random r = new Random(99);
        List<List<TokenScript.Op>> files = new ArrayList<>();
        for (int f = 0; f < 25; f++) {
            List<TokenScript.Op> ops = new ArrayList<>();
            int count = r.nextInt(12);
            for (int i = 0; i < count; i++) {
                switch (r.nextInt(4)) {
                    case 0 -> ops.add(lit(TokenScript.random(r.nextLong(), 1 + r.nextInt(5000))));
                    case 1 -> ops.add(lit(TokenScript.text(r.nextLong(), 1 + r.nextInt(20_000))));
                    case 2 -> ops.add(lit(BLOCKS[r.nextInt(BLOCKS.length)]));
                    default -> ops.add(match(r.nextInt(BLOCKS.length)));
                }
            }
            files.add(ops);
        }
        roundTrip(type, 32, files);
    }

    /** Levels are clamped, not rejected; every level still produces a decodable stream. */
    @ParameterizedTest
    @EnumSource(names = {"ZLIB", "ZLIBX", "ZSTD"})
    void extremeLevels(CompressionType type) {
        List<List<TokenScript.Op>> files = List.of(List.of(lit(TokenScript.text(8, 20_000)), match(2)));
        for (int level : new int[] {-1_000_000, -1, 1, 9, 22, 1_000_000}) {
            byte[] wire = TokenScript.encode(type, level, 31, BLOCKS, files);
            assertArrayEquals(TokenScript.expected(BLOCKS, files.get(0)),
                    TokenScript.decode(type, 31, BLOCKS, wire, 1).get(0));
        }
    }

    /**
     * {@code --compress-threads}: zstd's worker threads still complete every literal run at its flush, so the
     * reader gets each file whole from the stream as it stands, file by file.
     */
    @Test
    void zstdWithWorkerThreadsFlushesEveryFile() {
        List<List<TokenScript.Op>> files = List.of(
                List.of(lit(TokenScript.random(21, 300_000)), match(3), lit(TokenScript.text(22, 90_000))),
                List.of(match(5), lit(TokenScript.text(23, 5000))), List.of());
        byte[] wire = TokenScript.encode(CompressionType.ZSTD, CompressionType.LEVEL_NOT_SPECIFIED, 4, 31, BLOCKS,
                files);
        List<byte[]> got = TokenScript.decode(CompressionType.ZSTD, 31, BLOCKS, wire, files.size());
        for (int i = 0; i < files.size(); i++) {
            assertArrayEquals(TokenScript.expected(BLOCKS, files.get(i)), got.get(i), "file " + i);
        }
    }

    /** zlib's history insert is what lets a literal copy of a just-matched block shrink to a back-reference. */
    @Test
    void zlibHistoryMakesRepeatedBlockDataCheap() {
        byte[] block = TokenScript.random(12, 700);
        byte[][] blocks = {block};
        List<List<TokenScript.Op>> files = List.of(List.of(match(0), lit(block)));
        byte[] zlib = TokenScript.encode(CompressionType.ZLIB, 6, 31, blocks, files);
        byte[] zlibx = TokenScript.encode(CompressionType.ZLIBX, 6, 31, blocks, files);
        assertTrue(zlibx.length > 700, "zlibx cannot see the block: " + zlibx.length);
        assertTrue(zlib.length < 40, "zlib should reference its history: " + zlib.length);
        assertArrayEquals(TokenScript.expected(blocks, files.get(0)),
                TokenScript.decode(CompressionType.ZLIB, 31, blocks, zlib, 1).get(0));
    }

    /** The fallback for a JDK whose zlib cannot insert history: blocks go out as literal data. */
    @Test
    void literalOnlyFallbackDecodes() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        TokenWriter w = new LiteralOnlyTokenWriter(new DeflatedTokenWriter(
                new dev.jrsync.wire.ProtocolOutput(bytes, 31), 6, true, 31));
        List<TokenScript.Op> file = List.of(match(1), lit(TokenScript.text(1, 900)), match(2));
        TokenScript.write(w, BLOCKS, file);
        byte[] wire = bytes.toByteArray();
        TokenReader reader = TokenCodecs.reader(CompressionType.ZLIB,
                new dev.jrsync.wire.ProtocolInput(new java.io.ByteArrayInputStream(wire), 31), 31);
        int t;
        while ((t = reader.next()) != 0) {
            assertTrue(t > 0, "no block tokens expected, got " + t);
        }
        assertArrayEquals(TokenScript.expected(BLOCKS, file),
                TokenScript.decode(CompressionType.ZLIB, 31, BLOCKS, wire, 1).get(0));
    }

    @Test
    void thisJdkCanInsertDeflateHistory() {
        assertTrue(DeflateHistory.insertWorks());
    }

    private static void roundTrip(CompressionType type, int protocol, List<List<TokenScript.Op>> files) {
        byte[] wire = TokenScript.encode(type, CompressionType.LEVEL_NOT_SPECIFIED, protocol, BLOCKS, files);
        List<byte[]> got = TokenScript.decode(type, protocol, BLOCKS, wire, files.size());
        assertEquals(files.size(), got.size());
        for (int i = 0; i < files.size(); i++) {
            assertArrayEquals(TokenScript.expected(BLOCKS, files.get(i)), got.get(i), "file " + i);
        }
    }
}
