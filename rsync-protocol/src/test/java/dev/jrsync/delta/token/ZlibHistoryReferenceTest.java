package dev.jrsync.delta.token;

import static dev.jrsync.delta.token.TokenScript.lit;
import static dev.jrsync.delta.token.TokenScript.match;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

/**
 * The zlib sender's history insert (Deflater.setDictionary after a sync flush) checked against a decoder
 * written here independently of the codec, the way rsync's receiver works: frames into a plain raw
 * Inflater, 00 00 FF FF re-inserted before a token that follows data, and every matched block fed as
 * stored blocks of at most 0xFFFF bytes (protocol 30 repeats the block's start for each piece).
 */
class ZlibHistoryReferenceTest {

    @Test
    void writerOutputDecodesWithReferenceDecoder() throws Exception {
        byte[][] blocks = TokenScript.blocks(20, 700, 21);
        List<TokenScript.Op> file = List.of(match(3), lit(blocks[3]), match(4), match(5), lit(blocks[4]),
                lit(TokenScript.text(22, 5000)), match(3), lit(blocks[5]), lit(blocks[3]));
        List<List<TokenScript.Op>> files = List.of(file, List.of(match(6), lit(blocks[6])), file);
        byte[] wire = TokenScript.encode(CompressionType.ZLIB, 6, 31, blocks, files);
        List<byte[]> got = referenceDecode(wire, blocks, 31, files.size());
        for (int i = 0; i < files.size(); i++) {
            assertArrayEquals(TokenScript.expected(blocks, files.get(i)), got.get(i), "file " + i);
        }
        assertTrue(wire.length < 5000, "history references should keep the stream small: " + wire.length);
    }

    /** Blocks over 64 KiB: protocol 30's duplicated first piece and protocol 31's straight pieces both mirror. */
    @Test
    void largeBlocksFollowTheProtocolRule() throws Exception {
        byte[][] blocks = {TokenScript.random(31, 100_000)};
        // protocol 30's history ends with block[0..34465) (the first 64 KiB piece, then its start again),
        // protocol 31's with block[65535..100000): each can reference only one of these two literals
        List<TokenScript.Op> file = List.of(match(0), lit(Arrays.copyOfRange(blocks[0], 20_000, 34_465)),
                lit(Arrays.copyOfRange(blocks[0], 90_000, 100_000)));
        byte[] expected = TokenScript.expected(blocks, file);
        for (int protocol : new int[] {30, 31}) {
            byte[] wire = TokenScript.encode(CompressionType.ZLIB, 6, protocol, blocks, List.of(file));
            assertArrayEquals(expected, referenceDecode(wire, blocks, protocol, 1).get(0), "reference, protocol " + protocol);
            assertArrayEquals(expected, TokenScript.decode(CompressionType.ZLIB, protocol, blocks, wire, 1).get(0),
                    "reader, protocol " + protocol);
            assertTrue(wire.length < 17_000, "one literal should come from history: " + wire.length);
        }
        byte[] old = TokenScript.encode(CompressionType.ZLIB, 6, 30, blocks, List.of(file));
        byte[] misread;
        try {
            misread = referenceDecode(old, blocks, 31, 1).get(0);
        } catch (DataFormatException e) {
            misread = null;
        }
        assertFalse(Arrays.equals(expected, misread), "protocol 30 history must differ from protocol 31's");
    }

    private static List<byte[]> referenceDecode(byte[] wire, byte[][] blocks, int protocol, int files)
            throws DataFormatException {
        ByteBuffer in = ByteBuffer.wrap(wire).order(ByteOrder.LITTLE_ENDIAN);
        List<byte[]> result = new java.util.ArrayList<>();
        for (int f = 0; f < files; f++) {
            Inflater inflater = new Inflater(true);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int last = 0;
            boolean afterData = false;
            while (true) {
                int flag = in.get() & 0xFF;
                if (flag >= 0x40 && flag < 0x80) {
                    int len = (flag & 0x3F) << 8 | in.get() & 0xFF;
                    byte[] payload = new byte[len];
                    in.get(payload);
                    out.writeBytes(inflateAll(inflater, payload));
                    afterData = true;
                    continue;
                }
                if (afterData) {
                    assertEquals(0, inflateAll(inflater, new byte[] {0, 0, (byte) 0xFF, (byte) 0xFF}).length);
                    afterData = false;
                }
                if (flag == 0) {
                    break;
                }
                int first = (flag & 0x80) != 0 ? last + (flag & 0x3F) : in.getInt();
                boolean run = (flag & 0x80) != 0 ? (flag & 0x40) != 0 : flag == 0x21;
                int extra = run ? in.getShort() & 0xFFFF : 0;
                for (int b = first; b <= first + extra; b++) {
                    out.writeBytes(blocks[b]);
                    ByteArrayOutputStream stored = new ByteArrayOutputStream();
                    int done = 0;
                    while (done < blocks[b].length) {
                        int piece = Math.min(0xFFFF, blocks[b].length - done);
                        stored.write(0);
                        stored.write(piece & 0xFF);
                        stored.write(piece >> 8);
                        stored.write(~piece & 0xFF);
                        stored.write((~piece >> 8) & 0xFF);
                        stored.write(blocks[b], protocol >= 31 ? done : 0, piece);
                        done += piece;
                    }
                    inflateAll(inflater, stored.toByteArray());
                }
                last = first + extra;
            }
            inflater.end();
            result.add(out.toByteArray());
        }
        return result;
    }

    private static byte[] inflateAll(Inflater inflater, byte[] input) throws DataFormatException {
        inflater.setInput(input);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = inflater.inflate(buf)) > 0) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }
}
