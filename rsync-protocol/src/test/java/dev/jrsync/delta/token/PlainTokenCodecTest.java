package dev.jrsync.delta.token;

import static dev.jrsync.delta.token.TokenScript.lit;
import static dev.jrsync.delta.token.TokenScript.match;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jrsync.wire.ProtocolInput;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlainTokenCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void literalBlocksAndEndAsInt32s() {
        byte[][] blocks = TokenScript.blocks(71, 10, 1);
        byte[] wire = TokenScript.encode(CompressionType.NONE, CompressionType.LEVEL_NOT_SPECIFIED, 32, blocks,
                List.of(List.of(lit("abc".getBytes()), match(0), match(70))));
        // 3 literal bytes, block 0 as -1, block 70 as -71, end 0 (rsync/token.c:simple_send_token)
        assertEquals("03000000" + "616263" + "ffffffff" + "b9ffffff" + "00000000", HEX.formatHex(wire));
    }

    @Test
    void emptyFileIsASingleZero() {
        byte[] wire = TokenScript.encode(CompressionType.NONE, 0, 32, new byte[0][], List.of(List.of()));
        assertEquals("00000000", HEX.formatHex(wire));
    }

    @Test
    void literalChunksNeverExceed32KiB() {
        byte[] data = TokenScript.random(7, 70_000);
        byte[] wire = TokenScript.encode(CompressionType.NONE, 0, 32, new byte[0][], List.of(List.of(lit(data))));
        ByteBuffer b = ByteBuffer.wrap(wire).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(32768, b.getInt(0));
        assertEquals(32768, b.getInt(4 + 32768));
        assertEquals(70_000 - 65536, b.getInt(8 + 65536));
        assertEquals(0, b.getInt(12 + 70_000));
        assertEquals(16 + 70_000, wire.length);
    }

    /** rsync 3.5.0 again accepts literal runs longer than 32 KiB; they are handed out in 32 KiB pieces. */
    @Test
    void readerAcceptsOneLongLiteralRunInPieces() {
        byte[] data = TokenScript.random(9, 100_000);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(le(100_000));
        wire.writeBytes(data);
        wire.writeBytes(le(-3));
        wire.writeBytes(le(0));
        TokenReader reader = TokenCodecs.reader(CompressionType.NONE,
                new ProtocolInput(new ByteArrayInputStream(wire.toByteArray()), 32), 32);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        int[] pieces = {32768, 32768, 32768, 1696};
        for (int expected : pieces) {
            int n = reader.next();
            assertEquals(expected, n);
            got.write(reader.literalBuffer(), reader.literalOffset(), n);
        }
        assertArrayEquals(data, got.toByteArray());
        assertEquals(-3, reader.next());
        assertEquals(0, reader.next());
    }

    @Test
    void truncatedLiteralIsAnEndOfStream() {
        byte[] wire = new byte[4 + 10];
        wire[0] = 20;
        TokenReader reader = TokenCodecs.reader(CompressionType.NONE,
                new ProtocolInput(new ByteArrayInputStream(wire), 32), 32);
        assertThrows(UncheckedIOException.class, reader::next);
    }

    private static byte[] le(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }
}
