package dev.jrsync.flist;

import dev.jrsync.wire.ProtocolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.jrsync.flist.Wire.ascii;
import static dev.jrsync.flist.Wire.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileListRoundTripTest {
    private static final IdNames NAMES = IdNames.of(Map.of(0, "root", 1000, "alice"), Map.of(0, "root", 100, "users"));

    /** protocol, varint flags, safe flist. */
    static Stream<FileListOptions> sessions() {
        return Stream.of(
                FileListOptions.archive(28, false, false, false),
                FileListOptions.archive(29, false, false, false),
                FileListOptions.archive(30, false, false, false),
                FileListOptions.archive(30, true, true, true),
                FileListOptions.archive(31, false, false, false),
                FileListOptions.archive(31, true, true, true),
                FileListOptions.archive(32, true, true, true));
    }

    private static final String LONG_DIR = "d".repeat(40);
    private static final String LONG_LEAF = "é".repeat(150) + ".dat"; // 304 bytes: suffix > 255 even after the prefix

    static List<FileEntry> allKinds() {
        long t = 1_600_000_000L;
        List<FileEntry> l = new ArrayList<>();
        l.add(FileEntry.builder(".", 040755).size(4096).mtime(t, 123).owner(0, 0).dirFlags(XmitFlags.TOP_DIR).build());
        l.add(FileEntry.builder("a file with spaces.txt", 0100644).size(12).mtime(t + 1, 999_999_999).owner(1000, 100).build());
        l.add(FileEntry.builder("ünïcödé", 040700).size(4096).mtime(t + 1, 0).owner(1000, 100).build());
        l.add(FileEntry.builder("ünïcödé/日本語.txt", 0100600).size(3L << 33).mtime(t + 2, 7).owner(1001, 100).build());
        l.add(FileEntry.builder("ünïcödé/link", 0120777).size(3).mtime(t + 2, 0).owner(1001, 101)
                .linkTarget(ascii("../x y")).build());
        l.add(FileEntry.builder("ünïcödé/tty", 020620).mtime(t, 0).owner(0, 5).rdev(4, 64).build());
        l.add(FileEntry.builder("ünïcödé/sda", 060660).mtime(t, 0).owner(0, 6).rdev(8, 300).build());
        l.add(FileEntry.builder("ünïcödé/sdb", 060660).mtime(t, 0).owner(0, 6).rdev(8, 16).build());
        l.add(FileEntry.builder("ünïcödé/nvme", 060660).mtime(t, 0).owner(0, 6).rdev(259, 70000).build());
        l.add(FileEntry.builder("fifo", 010644).mtime(t, 0).owner(1000, 100).build());
        l.add(FileEntry.builder("sock", 0140755).mtime(t, 0).owner(1000, 100).build());
        l.add(FileEntry.builder("fifo2", 010600).mtime(t, 0).owner(1000, 100).build());
        l.add(FileEntry.builder(LONG_DIR, 040755).size(4096).mtime(t, 0).owner(1000, 100)
                .dirFlags(XmitFlags.NO_CONTENT_DIR).build());
        l.add(FileEntry.builder(LONG_DIR + "/" + LONG_LEAF, 0100644).size(0).mtime(t, 0).owner(1000, 100).build());
        l.add(FileEntry.builder(LONG_DIR + "/" + LONG_LEAF + "2", 0100644).size(1).mtime(t, 0).owner(1000, 100).build());
        l.add(FileEntry.builder("implied", 040755).size(4096).mtime(t, 0).owner(1000, 100)
                .dirFlags(XmitFlags.TOP_DIR | XmitFlags.NO_CONTENT_DIR).build());
        l.add(FileEntry.builder("empty-dir", 040755).size(0).mtime(t, 0).owner(1000, 100).build());
        return l;
    }

    /** What the peer can know of an entry at this protocol. */
    private static FileEntry expected(FileEntry e, int protocol) {
        FileEntry.Builder b = FileEntry.builder(e.name(), e.mode()).size(e.size())
                .mtime(e.mtime(), protocol >= 31 ? e.mtimeNsec() : 0).owner(e.uid(), e.gid())
                .rdev(e.rdevMajor(), e.rdevMinor()).linkTarget(e.linkTarget()).checksum(e.checksum());
        if (e.isDirectory()) {
            b.dirFlags(protocol >= 30 ? e.dirFlags() : e.isTopDir() && !e.isNoContentDir() ? XmitFlags.TOP_DIR : 0);
        }
        return b.build();
    }

    @ParameterizedTest
    @MethodSource("sessions")
    void allEntryKindsSurvive(FileListOptions options) throws Exception {
        List<FileEntry> entries = allKinds();
        Wire.Sink sink = new Wire.Sink(options.protocol());
        FileListEncoder enc = new FileListEncoder(options, NAMES);
        for (FileEntry e : entries) {
            enc.writeEntry(sink.out, e);
        }
        enc.writeEnd(sink.out, 0);
        enc.writeIdLists(sink.out);
        if (options.protocol() < 30) {
            enc.writeIoErrorTrailer(sink.out, 0);
        }

        var in = Wire.in(sink.bytes(), options.protocol());
        FileListDecoder dec = new FileListDecoder(options);
        List<FileEntry> got = dec.readList(in);
        IdLists ids = dec.readIdLists(in);
        if (options.protocol() < 30) {
            assertEquals(0, dec.readIoErrorTrailer(in));
        }
        assertEquals(0, in.stream().available(), "trailing bytes");
        assertEquals(entries.size(), got.size());
        for (int i = 0; i < entries.size(); i++) {
            assertEquals(expected(entries.get(i), options.protocol()), got.get(i), "entry " + i);
        }
        assertEquals("alice", ids.userName(1000));
        assertEquals("users", ids.groupName(100));
        assertEquals(options.id0Names() ? "root" : null, ids.userName(0));
    }

    @ParameterizedTest
    @MethodSource("sessions")
    void checksumsTravelWithRegularFilesOnly(FileListOptions archive) {
        FileListOptions options = new FileListOptions(archive.protocol(), archive.varintFlags(), false, false,
                false, false, true, 16, false, archive.id0Names(), archive.safeFlist(), 100);
        byte[] sum = hex("00112233445566778899aabbccddeeff");
        List<FileEntry> entries = List.of(
                FileEntry.builder("d", 040755).mtime(5, 0).build(),
                FileEntry.builder("d/f", 0100644).size(10).mtime(5, 0).checksum(sum).build(),
                FileEntry.builder("d/l", 0120777).size(1).mtime(5, 0).linkTarget(ascii("f")).build());
        Wire.Sink sink = new Wire.Sink(options.protocol());
        FileListEncoder enc = new FileListEncoder(options, NAMES);
        entries.forEach(e -> enc.writeEntry(sink.out, e));
        enc.writeEnd(sink.out, 0);
        enc.writeIdLists(sink.out);

        FileListDecoder dec = new FileListDecoder(options);
        List<FileEntry> got = dec.readList(Wire.in(sink.bytes(), options.protocol()));
        assertArrayEquals(sum, got.get(1).checksum());
        assertEquals(null, got.get(0).checksum());
        assertEquals(null, got.get(2).checksum());
    }

    @Test
    void wideTimesAtProtocol30() {
        FileListOptions options = FileListOptions.archive(30, true, true, true);
        List<FileEntry> entries = List.of(
                FileEntry.builder("old", 0100644).mtime(-1, 0).build(),
                FileEntry.builder("future", 0100644).mtime(1L << 40, 0).build());
        assertEquals(entries, roundTrip(options, entries));
    }

    /** Reference §9.2: previous {@code sub/a.txt}, current {@code sub/b.txt} → l1 = 4, l2 = 5, "b.txt". */
    @Test
    void prefixCompression() {
        FileListOptions bare = new FileListOptions(32, true, false, false, false, false, false, 0, true, true, true, 10);
        Wire.Sink sink = new Wire.Sink(32);
        FileListEncoder enc = new FileListEncoder(bare, NAMES);
        enc.writeEntry(sink.out, FileEntry.builder("sub/a.txt", 0100644).size(1).mtime(9, 0).build());
        int first = sink.bytes().length;
        enc.writeEntry(sink.out, FileEntry.builder("sub/b.txt", 0100644).size(1).mtime(9, 0).build());
        byte[] all = sink.bytes();
        byte[] second = java.util.Arrays.copyOfRange(all, first, all.length);
        int flags = XmitFlags.SAME_NAME | XmitFlags.SAME_TIME | XmitFlags.SAME_MODE | XmitFlags.SAME_UID | XmitFlags.SAME_GID;
        assertEquals(0xBA, flags);
        // varint 0xBA needs two bytes (top bit set): 80 ba
        // then length 1 as varlong(3)
        assertEquals("80 ba 04 05 62 2e 74 78 74 00 01 00", hex(second));
    }

    /** l1 is a byte, so at most 255 bytes are reused; the rest (here > 255) goes as a LONG_NAME suffix. */
    @Test
    void prefixIsCappedAt255AndLongSuffixesUseVarint30() {
        FileListOptions options = FileListOptions.archive(29, false, false, false);
        String base = "p".repeat(200) + "/" + "q".repeat(400);
        List<FileEntry> entries = List.of(
                FileEntry.builder(base, 0100644).size(1).mtime(9, 0).build(),
                FileEntry.builder(base + "r", 0100644).size(1).mtime(9, 0).build(),
                FileEntry.builder("p".repeat(200) + "/" + "x".repeat(300), 0100644).size(1).mtime(9, 0).build());
        assertEquals(entries, roundTrip(options, entries));

        Wire.Sink sink = new Wire.Sink(29);
        FileListEncoder enc = new FileListEncoder(options, NAMES);
        enc.writeEntry(sink.out, entries.get(0));
        int start = sink.bytes().length;
        enc.writeEntry(sink.out, entries.get(1));
        byte[] b = sink.bytes();
        // SAME_NAME|LONG_NAME|SAME_TIME|SAME_MODE|SAME_UID|SAME_GID = 0xFA, l1 = 255, l2 = 602 - 255 = 347 as int32
        assertEquals("fa ff 5b 01 00 00 71", hex(java.util.Arrays.copyOfRange(b, start, start + 7)));
    }

    @Test
    void endMarkerForms() {
        // varint mode: always flags 0 + error varint
        assertEquals("00 03", endBytes(FileListOptions.archive(32, true, true, true), 3, true));
        assertEquals("00 00", endBytes(FileListOptions.archive(30, true, true, false), 3, false));
        // byte mode with a safe list: 0x1004 short + varint
        assertEquals("04 10 03", endBytes(FileListOptions.archive(31, false, false, false), 3, true));
        assertEquals("04 10 01", endBytes(FileListOptions.archive(30, false, false, true), 1, true));
        // otherwise a lone zero byte
        assertEquals("00", endBytes(FileListOptions.archive(31, false, false, false), 0, false));
        assertEquals("00", endBytes(FileListOptions.archive(30, false, false, false), 2, false));
        assertEquals("00", endBytes(FileListOptions.archive(29, false, false, false), 2, false));
    }

    private static String endBytes(FileListOptions options, int ioError, boolean expectCarried) {
        Wire.Sink sink = new Wire.Sink(options.protocol());
        boolean carried = new FileListEncoder(options, NAMES).writeEnd(sink.out, ioError);
        assertEquals(expectCarried, carried);
        FileListDecoder dec = new FileListDecoder(options);
        assertTrue(dec.readList(Wire.in(sink.bytes(), options.protocol())).isEmpty());
        assertEquals(carried ? ioError : 0, dec.ioError());
        return hex(sink.bytes());
    }

    @Test
    void receivedIoErrorIsMaskedAndTrailerRead() {
        FileListOptions options = FileListOptions.archive(32, true, true, true);
        FileListDecoder dec = new FileListDecoder(options);
        dec.readList(Wire.in(hex("00 80 ff"), 32));
        assertEquals(FileListDecoder.IOERR_VALID_MASK, dec.ioError());

        FileListOptions p29 = FileListOptions.archive(29, false, false, false);
        Wire.Sink sink = new Wire.Sink(29);
        new FileListEncoder(p29, NAMES).writeIoErrorTrailer(sink.out, 0x41);
        assertEquals(1, new FileListDecoder(p29).readIoErrorTrailer(Wire.in(sink.bytes(), 29)));
        assertThrows(IllegalStateException.class, () -> new FileListEncoder(options, NAMES).writeIoErrorTrailer(sink.out, 0));
    }

    @Test
    void sessionIsStatefulAcrossEntries() {
        // a repeated mode/time/uid is flagged, not resent: the second entry is tiny
        FileListOptions options = FileListOptions.archive(32, true, true, true);
        Wire.Sink sink = new Wire.Sink(32);
        FileListEncoder enc = new FileListEncoder(options, NAMES);
        enc.writeEntry(sink.out, FileEntry.builder("a", 0100644).size(1).mtime(99, 0).owner(1000, 100).build());
        int first = sink.bytes().length;
        enc.writeEntry(sink.out, FileEntry.builder("b", 0100644).size(1).mtime(99, 0).owner(1000, 100).build());
        // flags(2) + l2(1) + "b"(1) + length(3)
        assertEquals(7, sink.bytes().length - first);
    }

    @Test
    void encoderRefusesEntriesItCannotSend() {
        FileListOptions options = FileListOptions.archive(32, true, true, true);
        FileListEncoder enc = new FileListEncoder(options, NAMES);
        Wire.Sink sink = new Wire.Sink(32);
        assertThrows(IllegalArgumentException.class,
                () -> enc.writeEntry(sink.out, FileEntry.builder("l", 0120777).build()));
        FileListOptions withSums = new FileListOptions(32, true, true, true, true, true, true, 16, false, true, true, 10);
        assertThrows(IllegalArgumentException.class,
                () -> new FileListEncoder(withSums, NAMES).writeEntry(sink.out, FileEntry.builder("f", 0100644).build()));
        assertThrows(IllegalArgumentException.class,
                () -> enc.writeEntry(sink.out, FileEntry.builder("x".repeat(4096), 0100644).build()));
    }

    /**
     * A mode-0 entry is a source the sender did not find, read only when {@code --delete-missing-args} says one
     * may come (rsync's #910: the 3.4 mode check had refused it); otherwise it is an invalid mode.
     */
    @Test
    void aMissingArgumentsModeZeroIsReadOnlyWithDeleteMissingArgs() {
        FileListOptions plain = FileListOptions.archive(32, true, true, true);
        FileListOptions deleting = new FileListOptions(32, true, true, true, true, true, true, 0, false, true, true,
                FileListOptions.DEFAULT_MAX_ENTRIES, false, false, null, false, false, true, false);
        List<FileEntry> entries = List.of(FileEntry.builder("keep", 0100644).build(),
                FileEntry.missing("ghost".getBytes(StandardCharsets.UTF_8), java.nio.file.Path.of("/src")));
        List<FileEntry> got = roundTrip(deleting, entries);
        assertEquals(false, got.get(0).isMissing());
        assertEquals(true, got.get(1).isMissing());
        assertEquals("ghost", new String(got.get(1).name(), StandardCharsets.UTF_8));
        ProtocolException ex = assertThrows(ProtocolException.class, () -> roundTrip(plain, entries));
        assertTrue(ex.getMessage().contains("invalid file mode 00 for ghost"), ex.getMessage());
    }

    @Test
    void decoderCapsTheNumberOfEntries() {
        FileListOptions small = new FileListOptions(32, true, true, true, true, true, true, 0, false, true, true, 2);
        List<FileEntry> three = List.of(
                FileEntry.builder("a", 0100644).build(), FileEntry.builder("b", 0100644).build(),
                FileEntry.builder("c", 0100644).build());
        ProtocolException ex = assertThrows(ProtocolException.class, () -> roundTrip(small, three));
        assertTrue(ex.getMessage().contains("more than 2 entries"), ex.getMessage());
    }

    static List<FileEntry> roundTrip(FileListOptions options, List<FileEntry> entries) {
        Wire.Sink sink = new Wire.Sink(options.protocol());
        FileListEncoder enc = new FileListEncoder(options, NAMES);
        entries.forEach(e -> enc.writeEntry(sink.out, e));
        enc.writeEnd(sink.out, 0);
        return new FileListDecoder(options).readList(Wire.in(sink.bytes(), options.protocol()));
    }
}
