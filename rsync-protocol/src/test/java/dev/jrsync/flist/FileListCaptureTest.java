package dev.jrsync.flist;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.jrsync.flist.Wire.ascii;
import static dev.jrsync.flist.Wire.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The annotated capture of reference §9.3 (stock rsync, {@code -a} pull of {@code src/}). */
class FileListCaptureTest {
    private static final long MTIME = 0x6B06EABEL;
    private static final int NSEC = 986_133_311;
    private static final long FILE_MTIME = 1_700_000_000L;
    private static final IdNames ROOT_ONLY = IdNames.of(Map.of(0, "root"), Map.of(0, "root"));

    /** The five entries in the order the capture shows them arriving. */
    private static List<FileEntry> capturedEntries() {
        return List.of(
                FileEntry.builder(".", 040755).size(4096).mtime(MTIME, NSEC).dirFlags(XmitFlags.TOP_DIR).build(),
                FileEntry.builder("link", 0120777).size(5).mtime(MTIME, NSEC).linkTarget(ascii("a.txt")).build(),
                FileEntry.builder("sub", 040755).size(4096).mtime(MTIME + 10, 5).build(),
                FileEntry.builder("a.txt", 0100644).size(6).mtime(FILE_MTIME, 1).build(),
                FileEntry.builder("sub/big.bin", 0100644).size(100_000).mtime(FILE_MTIME, 979_575_014).build());
    }

    private static final String DOT_AND_LINK_32 = ""
            + "a0 01" + "01 2e" + "00 00 10" + "6b be ea 06" + "f0 3f 33 c7 3a" + "ed 41 00 00" + "00 00"
            + "a0 98" + "04 6c 69 6e 6b" + "00 05 00" + "f0 3f 33 c7 3a" + "ff a1 00 00" + "05 61 2e 74 78 74";
    private static final String BIG_BIN_TO_END_32 = ""
            + "a0 9a" + "0b" + "73 75 62 2f 62 69 67 2e 62 69 6e" + "01 a0 86" + "f0 e6 20 63 3a"
            + "00 00" + "00 04 72 6f 6f 74" + "00 04 72 6f 6f 74";

    private static FileListOptions protocol32() {
        return FileListOptions.archive(32, true, true, true);
    }

    @Test
    void encodesTheCapturedBytesAtProtocol32() {
        byte[] wire = encodeAll(protocol32(), capturedEntries());
        String all = hex(wire);
        assertEquals(hex(hex(DOT_AND_LINK_32)), all.substring(0, hex(hex(DOT_AND_LINK_32)).length()));
        assertEquals(hex(hex(BIG_BIN_TO_END_32)), all.substring(all.length() - hex(hex(BIG_BIN_TO_END_32)).length()));
    }

    @Test
    void decodesTheCapturedBytesAtProtocol32() throws Exception {
        byte[] wire = concat(hex(DOT_AND_LINK_32), hex("00 00 00 04 72 6f 6f 74 00 04 72 6f 6f 74"));
        var in = Wire.in(wire, 32);
        FileListDecoder dec = new FileListDecoder(protocol32());
        List<FileEntry> got = dec.readList(in);
        IdLists ids = dec.readIdLists(in);
        assertEquals(0, in.stream().available(), "trailing bytes");

        assertEquals(2, got.size());
        FileEntry dot = got.get(0);
        assertEquals(".", dot.displayName());
        assertEquals(040755, dot.mode());
        assertEquals(4096, dot.size());
        assertEquals(MTIME, dot.mtime());
        assertEquals(NSEC, dot.mtimeNsec());
        assertEquals(XmitFlags.TOP_DIR, dot.dirFlags());
        FileEntry link = got.get(1);
        assertEquals("link", link.displayName());
        assertEquals(0120777, link.mode());
        assertEquals(5, link.size());
        assertEquals(MTIME, link.mtime());
        assertArrayEquals(ascii("a.txt"), link.linkTarget());
        assertEquals(0, dec.ioError());
        assertEquals("root", ids.userName(0));
        assertEquals("root", ids.groupName(0));
    }

    @Test
    void roundTripsTheCapturedListAtProtocol32() throws Exception {
        List<FileEntry> entries = capturedEntries();
        byte[] wire = encodeAll(protocol32(), entries);
        var in = Wire.in(wire, 32);
        FileListDecoder dec = new FileListDecoder(protocol32());
        assertEquals(entries, dec.readList(in));
        dec.readIdLists(in);
        assertEquals(0, in.stream().available(), "trailing bytes");
    }

    /**
     * The same list in a forced protocol-29 session: byte flags ({@code 01}, {@code 98}), int32
     * lengths, mtimes, ids and symlink length, no nanoseconds; then the bare end byte, two
     * id-list terminators and the int32 I/O-error word.
     */
    @Test
    void protocol29UsesByteFlagsAndInt32Fields() {
        FileListOptions p29 = FileListOptions.archive(29, false, false, false);
        String expectedStart = ""
                + "01" + "01 2e" + "00 10 00 00" + "be ea 06 6b" + "ed 41 00 00" + "00 00 00 00" + "00 00 00 00"
                + "98" + "04 6c 69 6e 6b" + "05 00 00 00" + "ff a1 00 00" + "05 00 00 00 61 2e 74 78 74";
        String expectedEnd = "00" + "00 00 00 00" + "00 00 00 00" + "00 00 00 00";
        byte[] wire = encodeAll(p29, capturedEntries());
        String all = hex(wire);
        assertEquals(hex(hex(expectedStart)), all.substring(0, hex(hex(expectedStart)).length()));
        assertEquals(hex(hex(expectedEnd)), all.substring(all.length() - hex(hex(expectedEnd)).length()));

        var in = Wire.in(wire, 29);
        FileListDecoder dec = new FileListDecoder(p29);
        List<FileEntry> got = dec.readList(in);
        IdLists ids = dec.readIdLists(in);
        assertEquals(0, dec.readIoErrorTrailer(in));
        assertEquals(5, got.size());
        assertEquals(0, got.get(0).mtimeNsec(), "no nanoseconds before protocol 31");
        assertEquals(MTIME, got.get(1).mtime());
        assertEquals(100_000, got.get(4).size());
        assertNull(ids.userName(0), "protocol 29 has no id-0 names");
    }

    private static byte[] encodeAll(FileListOptions options, List<FileEntry> entries) {
        Wire.Sink sink = new Wire.Sink(options.protocol());
        FileListEncoder enc = new FileListEncoder(options, ROOT_ONLY);
        for (FileEntry e : entries) {
            enc.writeEntry(sink.out, e);
        }
        enc.writeEnd(sink.out, 0);
        enc.writeIdLists(sink.out);
        if (options.protocol() < 30) {
            enc.writeIoErrorTrailer(sink.out, 0);
        }
        return sink.bytes();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(a);
        o.writeBytes(b);
        return o.toByteArray();
    }

    @Test
    void capturedIndexOrder() {
        FileList list = FileList.forReceiver(capturedEntries(), 32);
        String[] names = new String[list.size()];
        for (int i = 0; i < names.length; i++) {
            names[i] = list.get(i).displayName();
        }
        assertEquals(Arrays.asList(".", "a.txt", "link", "sub", "sub/big.bin"), Arrays.asList(names));
    }
}
