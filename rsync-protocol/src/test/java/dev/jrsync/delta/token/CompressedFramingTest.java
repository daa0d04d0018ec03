package dev.jrsync.delta.token;

import static dev.jrsync.delta.token.TokenScript.lit;
import static dev.jrsync.delta.token.TokenScript.match;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jrsync.wire.ProtocolInput;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The flag-byte framing shared by zlib, zlibx, lz4 and zstd (rsync/token.c), pinned with hand-built vectors. */
class CompressedFramingTest {
    private static final HexFormat HEX = HexFormat.of();

    /**
     * Blocks 5 | 7..9 | 200 | 300..301 | 250, then the end:
     * 5 is REL +5; 7..9 is RUN_REL +2 with 2 more; 200 is 191 past 9, too far for REL, so LONG;
     * 300..301 is RUNLONG with 1 more; 250 lies before 301, so LONG again.
     */
    private static final String BLOCK_VECTOR = "85" + "c2" + "0200" + "20" + "c8000000" + "21" + "2c010000" + "0100"
            + "20" + "fa000000" + "00";
    private static final int[] BLOCK_TOKENS = {5, 7, 8, 9, 200, 300, 301, 250};

    @ParameterizedTest
    @EnumSource(names = {"ZLIB", "ZLIBX", "LZ4", "ZSTD"})
    void blockTokensAndRuns(CompressionType type) {
        byte[][] blocks = TokenScript.blocks(400, 8, 3);
        List<TokenScript.Op> script = new ArrayList<>();
        for (int b : BLOCK_TOKENS) {
            script.add(match(b));
        }
        byte[] wire = TokenScript.encode(type, CompressionType.LEVEL_NOT_SPECIFIED, 32, blocks, List.of(script));
        assertEquals(BLOCK_VECTOR, HEX.formatHex(wire));

        TokenReader reader = reader(type, HEX.parseHex(BLOCK_VECTOR));
        for (int b : BLOCK_TOKENS) {
            int t = reader.next();
            assertEquals(-(b + 1), t);
            reader.matched(blocks[b], 0, blocks[b].length);
        }
        assertEquals(0, reader.next());
    }

    /** A run carries at most 65535 extra blocks; the next run continues relative to its end. */
    @ParameterizedTest
    @EnumSource(names = {"ZLIBX", "LZ4", "ZSTD"})
    void longRunsSplitAt65536Blocks(CompressionType type) {
        byte[][] blocks = new byte[70_001][];
        Arrays.fill(blocks, new byte[1]);
        List<TokenScript.Op> script = IntStream.rangeClosed(0, 70_000).mapToObj(TokenScript::match)
                .map(TokenScript.Op.class::cast).toList();
        byte[] wire = TokenScript.encode(type, 0, 32, blocks, List.of(script));
        // 0..65535: RUN_REL +0 with 0xFFFF more; 65536..70000: RUN_REL +1 with 4464 (0x1170) more
        assertEquals("c0ffff" + "c17011" + "00", HEX.formatHex(wire));
        assertEquals(1, TokenScript.decode(type, 32, blocks, wire, 1).size());
    }

    @ParameterizedTest
    @EnumSource(names = {"ZLIB", "ZLIBX", "LZ4", "ZSTD"})
    void emptyFileIsEndFlagOnly(CompressionType type) {
        assertEquals("00", HEX.formatHex(TokenScript.encode(type, 0, 32, new byte[0][], List.of(List.of()))));
    }

    /**
     * zlibx: block 10 (REL +10), then "hello hello hello" as one DEFLATED_DATA frame holding a raw deflate
     * sync flush without its 00 00 FF FF tail, then block 11 (REL +1 from the previous run), then END.
     */
    @Test
    void deflatedDataFrameDropsTheSyncTail() {
        byte[] text = "hello hello hello".getBytes();
        byte[] deflated = independentSyncFlush(text);
        byte[][] blocks = TokenScript.blocks(12, 4, 5);
        List<TokenScript.Op> script = List.of(match(10), lit(text), match(11));
        byte[] wire = TokenScript.encode(CompressionType.ZLIBX, 6, 32, blocks, List.of(script));
        int n = deflated.length - 4;
        assertEquals("0000ffff", HEX.formatHex(deflated, n, deflated.length));
        String expected = "8a" + String.format("%02x%02x", 0x40 | n >> 8, n & 0xFF)
                + HEX.formatHex(deflated, 0, n) + "81" + "00";
        assertEquals(expected, HEX.formatHex(wire));
        assertArrayEquals(TokenScript.expected(blocks, script),
                TokenScript.decode(CompressionType.ZLIBX, 32, blocks, wire, 1).get(0));
    }

    private static byte[] independentSyncFlush(byte[] text) {
        Deflater d = new Deflater(6, true);
        d.setInput(text);
        byte[] out = new byte[256];
        int n = d.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
        d.end();
        return Arrays.copyOf(out, n);
    }

    private static TokenReader reader(CompressionType type, byte[] wire) {
        return TokenCodecs.reader(type, new ProtocolInput(new ByteArrayInputStream(wire), 32), 32);
    }
}
