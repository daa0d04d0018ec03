package dev.jrsync.flist;

import dev.jrsync.wire.ProtocolException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static dev.jrsync.flist.Wire.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code -U}'s access time in the file list ({@code rsync/flist.c:send_file_entry} and {@code recv_file_entry}): a
 * varlong of at least four bytes after the mode, for every entry but a directory, left out with
 * {@code XMIT_SAME_ATIME} (0x4000, so the flag word takes two bytes) when it is the previous one's.
 */
class FileListAtimesTest {
    private static final long MTIME = 0x6B06EABEL;
    private static final long ATIME = 0x3A7C4E36L;
    private static final long WIDE_ATIME = 1L << 32;
    private static final IdNames NO_NAMES = IdNames.of(Map.of(), Map.of());

    /** Protocol 31 with byte flags, no owners: only names, sizes, times and modes travel. */
    private static FileListOptions options(boolean atimes, boolean hardLinks) {
        return new FileListOptions(31, false, false, false, false, false, false, 0, true, false, true, 1000, false,
                hardLinks, null, false, false, false, atimes);
    }

    private static List<FileEntry> entries() {
        return List.of(
                FileEntry.builder("d", 040755).mtime(MTIME, 0).build(),
                FileEntry.builder("d/a", 0100644).size(3).mtime(MTIME, 0).atime(ATIME).build(),
                FileEntry.builder("d/b", 0100644).size(3).mtime(MTIME, 0).atime(ATIME).build(),
                FileEntry.builder("d/c", 0100644).size(3).mtime(MTIME, 0).atime(WIDE_ATIME).build());
    }

    private static final String WIRE = ""
            // a directory: no atime
            + "18" + "01 64" + "00 00 00" + "6b be ea 06" + "ed 41 00 00"
            // SAME_TIME|SAME_NAME|SAME_GID|SAME_UID; the mode, then the atime (high byte first, as rsync's varlong)
            + "b8" + "01 02 2f 61" + "00 03 00" + "a4 81 00 00" + "3a 36 4e 7c"
            // the same atime: XMIT_SAME_ATIME, a two-byte flag word with XMIT_EXTENDED_FLAGS
            + "be 40" + "02 01 62" + "00 03 00"
            // an atime past 32 bits takes a fifth byte
            + "ba" + "02 01 63" + "00 03 00" + "81 00 00 00 00"
            + "00";

    @Test
    void encodesTheAtimeAfterTheModeAndFlagsARepeat() {
        assertEquals(hex(hex(WIRE)), hex(encode(options(true, false), entries())));
    }

    @Test
    void decodesEachEntrysAtimeAndNoneForADirectory() {
        List<FileEntry> got = new FileListDecoder(options(true, false)).readList(Wire.in(hex(WIRE), 31));
        assertEquals(List.of(0L, ATIME, ATIME, WIDE_ATIME), got.stream().map(FileEntry::atime).toList());
        assertEquals(entries(), got);
    }

    @Test
    void withoutAtimesNoneIsSentAndARepeatFlagIsRefused() {
        byte[] wire = encode(options(false, false), entries());
        List<FileEntry> plain = new FileListDecoder(options(false, false)).readList(Wire.in(wire, 31));
        assertEquals(List.of(0L, 0L, 0L, 0L), plain.stream().map(FileEntry::atime).toList());

        // a first entry flagged XMIT_SAME_ATIME (with the owners' "same" flags and XMIT_EXTENDED_FLAGS)
        ProtocolException ex = assertThrows(ProtocolException.class,
                () -> new FileListDecoder(options(false, false)).readList(Wire.in(hex("1c 40 01 61 00 03 00"), 31)));
        assertTrue(ex.getMessage().contains("--atimes"), ex.getMessage());
    }

    /** A later name of a hard-link group sends no attributes: it takes the first's atime, and so does the next entry's "same". */
    @Test
    void aLaterHardLinkTakesTheFirstsAtime() {
        List<FileEntry> linked = List.of(
                FileEntry.builder("a", 0100644).size(3).mtime(MTIME, 0).atime(ATIME).hardLinkGroup(0).build(),
                FileEntry.builder("b", 0100644).size(3).mtime(MTIME, 0).atime(ATIME).hardLinkGroup(0).build(),
                FileEntry.builder("c", 0100644).size(3).mtime(MTIME, 0).atime(ATIME).build());
        byte[] wire = encode(options(true, true), linked);
        List<FileEntry> got = new FileListDecoder(options(true, true)).readList(Wire.in(wire, 31));
        assertEquals(List.of(ATIME, ATIME, ATIME), got.stream().map(FileEntry::atime).toList());
        assertTrue(hex(wire).contains(hex(hex("9e 40 01 63"))), "c's atime is flagged the same: " + hex(wire));
    }

    private static byte[] encode(FileListOptions options, List<FileEntry> entries) {
        Wire.Sink sink = new Wire.Sink(options.protocol());
        FileListEncoder enc = new FileListEncoder(options, NO_NAMES);
        entries.forEach(e -> enc.writeEntry(sink.out, e));
        enc.writeEnd(sink.out, 0);
        return sink.bytes();
    }
}
