package dev.jrsync.mirror;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class IndexFileTest {
    private static final byte[] SRC = bytes("/src");
    private static final byte[] DST = bytes("rsync://h/m/");
    private static final IndexFile.Header HEADER = new IndexFile.Header(SRC, DST, 0x0102030405060708L);
    private static final byte[] NO_SUM = new byte[0];

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] encode(IndexFile.Header header, IndexFile.Entry... entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        IndexFile.Writer w = new IndexFile.Writer(Channels.newChannel(out), header);
        for (IndexFile.Entry e : entries) {
            w.add(e);
        }
        w.finish();
        return out.toByteArray();
    }

    private static IndexFile.Decoded decode(byte[] index, List<IndexFile.Entry> into) {
        return IndexFile.decode(ByteBuffer.wrap(index), SRC, DST, into::add);
    }

    /** The bytes of one small index, field by field: the format is what restarts of other versions will read. */
    @Test
    void oneEntryIsEncodedAsTheFormatSays() throws IOException {
        byte[] index = encode(HEADER, new IndexFile.Entry(bytes("a"), 0100644, 5, 0x10, 2, 3, new byte[] {9, 8}));
        byte[] body = HexFormat.of().parseHex(""
                + "6a7273796e63495800000001" // magic "jrsyncIX", version 1
                + "04" + "2f737263" // source
                + "0c" + "7273796e633a2f2f682f6d2f" // destination
                + "0102030405060708" // saved at
                + "01" + "00" + "01" + "61" // entry: nothing shared, one byte "a"
                + "c0a481" // mode 0100644: the lead byte says two bytes follow, low byte first
                + "000500" // size 5 (at least three bytes: the lead holds the top one)
                + "00100000" // mtime (at least four bytes)
                + "02" + "03" // dev, inode
                + "02" + "0908" // checksum of two bytes
                + "00" + "01"); // end, one entry
        CRC32C crc = new CRC32C();
        crc.update(body);
        ByteBuffer expected = ByteBuffer.allocate(body.length + 4).put(body).putInt((int) crc.getValue());
        assertArrayEquals(expected.array(), index);
    }

    @Test
    void entriesComeBackAsWritten() throws IOException {
        List<IndexFile.Entry> written = List.of(
                new IndexFile.Entry(bytes("dir"), 040755, 0, 1_700_000_000_123_456_789L, 64768, 1, NO_SUM),
                new IndexFile.Entry(bytes("dir/caf\u00e9"), 0100600, 1L << 40, -5, 64768, Long.MAX_VALUE, NO_SUM),
                new IndexFile.Entry(new byte[] {'d', 'i', 'r', '/', (byte) 0xe9}, 0120777, 3, Long.MIN_VALUE, -1, 7,
                        new byte[32]));
        List<IndexFile.Entry> read = new ArrayList<>();
        IndexFile.Decoded d = decode(encode(HEADER, written.toArray(IndexFile.Entry[]::new)), read);
        assertEquals(new IndexFile.Decoded.Valid(HEADER.savedAtNanos(), 3), d);
        assertEquals(written.size(), read.size());
        for (int i = 0; i < written.size(); i++) {
            IndexFile.Entry w = written.get(i);
            IndexFile.Entry r = read.get(i);
            assertArrayEquals(w.name(), r.name());
            assertEquals(List.of(w.mode(), w.size(), w.mtimeNanos(), w.dev(), w.ino()),
                    List.of(r.mode(), r.size(), r.mtimeNanos(), r.dev(), r.ino()));
            assertArrayEquals(w.sum(), r.sum());
        }
    }

    @Test
    void everyTruncationIsCorrupt() throws IOException {
        byte[] index = encode(HEADER, new IndexFile.Entry(bytes("a"), 0100644, 5, 6, 2, 3, NO_SUM),
                new IndexFile.Entry(bytes("ab"), 0100644, 5, 6, 2, 4, NO_SUM));
        for (int len = 0; len < index.length; len++) {
            byte[] cut = Arrays.copyOf(index, len);
            assertInstanceOf(IndexFile.Decoded.Corrupt.class, decode(cut, new ArrayList<>()), "length " + len);
        }
    }

    @Test
    void everyFlippedBitIsCorrupt() throws IOException {
        byte[] index = encode(HEADER, new IndexFile.Entry(bytes("a"), 0100644, 5, 6, 2, 3, NO_SUM));
        for (int bit = 0; bit < index.length * 8; bit++) {
            byte[] bad = index.clone();
            bad[bit / 8] ^= (byte) (1 << (bit % 8));
            assertInstanceOf(IndexFile.Decoded.Corrupt.class, decode(bad, new ArrayList<>()), "bit " + bit);
        }
    }

    @Test
    void badMagicAndOtherVersionsAreCorrupt() throws IOException {
        byte[] index = encode(HEADER);
        byte[] magic = index.clone();
        magic[0] = 'J';
        assertEquals(new IndexFile.Decoded.Corrupt("not a jrsync index"), decode(magic, new ArrayList<>()));
        byte[] version = index.clone();
        version[11] = 2;
        assertEquals(new IndexFile.Decoded.Corrupt("version 2, expected 1"), decode(version, new ArrayList<>()));
    }

    @Test
    void anIndexOfAnotherSourceOrDestinationIsAMismatch() throws IOException {
        byte[] other = encode(new IndexFile.Header(bytes("/elsewhere"), DST, 1));
        assertEquals(new IndexFile.Decoded.Mismatch("it is the index of /elsewhere -> rsync://h/m/"),
                decode(other, new ArrayList<>()));
        byte[] otherTarget = encode(new IndexFile.Header(SRC, bytes("/local/"), 1));
        assertInstanceOf(IndexFile.Decoded.Mismatch.class, decode(otherTarget, new ArrayList<>()));
    }

    /**
     * Lengths are checked before anything is allocated for them: a shared prefix longer than the previous name,
     * a name past the limit, a count that does not match, each with a checksum that does match.
     */
    @Test
    void lengthsOutOfRangeAreCorruptEvenUnderAGoodChecksum() {
        String head = "6a7273796e63495800000001" + "04" + "2f737263" + "0c" + "7273796e633a2f2f682f6d2f"
                + "0000000000000000";
        String entry = "c0a481" + "000500" + "00100000" + "02" + "03" + "00";
        assertCorrupt(head + "01" + "05" + "01" + "61" + entry + "00" + "01", "a length of 5 where at most 0 fits");
        assertCorrupt(head + "01" + "00" + "c00180" + "61", "a length of 32769 where at most 32768 fits");
        assertCorrupt(head + "01" + "00" + "00" + entry + "00" + "00", "entry 0: an empty name");
        assertCorrupt(head + "01" + "00" + "01" + "61" + entry + "00" + "02", "1 entries where the index counts 2");
        assertCorrupt(head + "07", "entry 0: tag 7");
        assertCorrupt(head + "01" + "00" + "01" + "61" + "c0a481" + "000500" + "00100000" + "02" + "03" + "ff",
                "entry 0: a checksum of 255 bytes");
    }

    private static void assertCorrupt(String hex, String why) {
        byte[] body = HexFormat.of().parseHex(hex);
        CRC32C crc = new CRC32C();
        crc.update(body);
        byte[] index = ByteBuffer.allocate(body.length + 4).put(body).putInt((int) crc.getValue()).array();
        IndexFile.Decoded d = decode(index, new ArrayList<>());
        assertEquals(new IndexFile.Decoded.Corrupt(why), d);
    }

    @Test
    void aNameTheIndexCannotHoldFailsTheSave() {
        IndexFile.Entry huge = new IndexFile.Entry(new byte[IndexFile.MAX_NAME + 1], 0100644, 0, 0, 0, 0, NO_SUM);
        assertThrows(IOException.class, () -> encode(HEADER, huge));
    }
}
