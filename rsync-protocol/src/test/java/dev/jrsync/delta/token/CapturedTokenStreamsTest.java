package dev.jrsync.delta.token;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jrsync.wire.ProtocolException;
import dev.jrsync.wire.ProtocolInput;
import dev.jrsync.wire.ProtocolOutput;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Real token streams from stock rsync ({@link CapturedTokenStreams}) decode, and re-encode to the same bytes. */
class CapturedTokenStreamsTest {
    private static final int BLOCK_LENGTH = 700;
    private static final int PROTOCOL = 32;

    static byte[] basis() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            sb.append(String.format("line %05d: the quick brown fox jumps over the lazy dog\n", i));
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] source() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            if (i >= 500 && i < 510 || i == 1500) {
                sb.append(String.format("LINE %05d was changed by the capture script\n", i));
            } else {
                sb.append(String.format("line %05d: the quick brown fox jumps over the lazy dog\n", i));
            }
        }
        for (int i = 0; i < 50; i++) {
            sb.append(String.format("appended %03d: the quick brown fox jumps over the lazy dog\n", i));
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[][] blocks() {
        byte[] basis = basis();
        byte[][] blocks = new byte[160][];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = Arrays.copyOfRange(basis, i * BLOCK_LENGTH, Math.min(basis.length, (i + 1) * BLOCK_LENGTH));
        }
        return blocks;
    }

    private static byte[] captured(CompressionType type) {
        String hex = switch (type) {
            case NONE -> CapturedTokenStreams.NONE;
            case ZLIB -> CapturedTokenStreams.ZLIB;
            case ZLIBX -> CapturedTokenStreams.ZLIBX;
            case LZ4 -> CapturedTokenStreams.LZ4;
            case ZSTD -> CapturedTokenStreams.ZSTD;
        };
        return HexFormat.of().parseHex(hex.replaceAll("\\s", ""));
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void readerDecodesStockRsyncStream(CompressionType type) {
        assertArrayEquals(source(), TokenScript.decode(type, PROTOCOL, blocks(), captured(type), 1).get(0));
    }

    /**
     * Feeding the decoded literals and matches to our writer reproduces rsync's bytes. For the compressed
     * formats this relies on the compression library producing the same output as rsync's (classic zlib,
     * liblz4); zstd output varies with the library version, so zstd is only decoded.
     */
    @ParameterizedTest
    @EnumSource(names = {"NONE", "ZLIB", "ZLIBX", "LZ4"})
    void writerReproducesStockRsyncStream(CompressionType type) {
        byte[][] blocks = blocks();
        byte[] stream = captured(type);
        TokenReader reader = TokenCodecs.reader(type, new ProtocolInput(new ByteArrayInputStream(stream), PROTOCOL), PROTOCOL);
        ByteArrayOutputStream encoded = new ByteArrayOutputStream();
        TokenWriter writer = TokenCodecs.writer(type, CompressionType.LEVEL_NOT_SPECIFIED, 0,
                new ProtocolOutput(encoded, PROTOCOL), PROTOCOL);
        ByteArrayOutputStream run = new ByteArrayOutputStream();
        int t;
        while ((t = reader.next()) != 0) {
            if (t > 0) {
                run.write(reader.literalBuffer(), reader.literalOffset(), t);
                continue;
            }
            writer.literal(run.toByteArray(), 0, run.size());
            run.reset();
            int i = -(t + 1);
            reader.matched(blocks[i], 0, blocks[i].length);
            writer.match(i, blocks[i], 0, blocks[i].length);
        }
        writer.literal(run.toByteArray(), 0, run.size());
        writer.endFile();
        assertEquals(HexFormat.of().formatHex(stream), HexFormat.of().formatHex(encoded.toByteArray()));
    }

    /** The zlib capture really depends on matched blocks entering the inflater's history. */
    @Test
    void zlibCaptureNeedsMatchedBlockHistory() {
        TokenReader reader = TokenCodecs.reader(CompressionType.ZLIB,
                new ProtocolInput(new ByteArrayInputStream(captured(CompressionType.ZLIB)), PROTOCOL), PROTOCOL);
        assertThrows(ProtocolException.class, () -> {
            while (reader.next() != 0) {
                // blocks deliberately not passed to matched()
            }
        });
    }
}
