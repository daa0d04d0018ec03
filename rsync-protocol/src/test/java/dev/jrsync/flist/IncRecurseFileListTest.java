package dev.jrsync.flist;

import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import dev.jrsync.wire.ProtocolException;
import dev.jrsync.wire.ProtocolInput;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.jrsync.flist.Wire.ascii;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * File lists under incremental recursion ({@code rsync/flist.c:send_file_entry}, {@code recv_file_list}
 * with a {@code dir_ndx}): owner names inline the first time an id is seen, no id lists, and each
 * sub-list confined to the directory it was announced for.
 */
class IncRecurseFileListTest {
    private static final IdNames NAMES = IdNames.of(Map.of(0, "root", 1000, "alice"), Map.of(0, "root", 100, "users"));
    private static final FileListOptions INC = new FileListOptions(32, true, true, true, true, true, true, 0,
            false, true, true, FileListOptions.DEFAULT_MAX_ENTRIES, true, false);

    private static FileEntry file(String name, int uid, int gid) {
        return FileEntry.builder(name, 0100644).size(5).mtime(1_600_000_000L, 0).owner(uid, gid).build();
    }

    private static FileEntry dir(String name) {
        return FileEntry.builder(name, 040755).size(4096).mtime(1_600_000_000L, 0).owner(1000, 100).build();
    }

    @Test
    void topListThenSubListsCarryNamesInlineOnce() throws Exception {
        List<FileEntry> top = List.of(dir("."), file("a", 1000, 100), dir("d"));
        List<FileEntry> sub = List.of(file("d/x", 1000, 100), file("d/y", 0, 0), dir("d/z"));
        List<FileEntry> subSub = List.of(file("d/z/w", 1000, 100));
        Wire.Sink sink = new Wire.Sink(32);
        FileListEncoder enc = new FileListEncoder(INC, NAMES);
        top.forEach(e -> enc.writeEntry(sink.out, e));
        enc.writeEnd(sink.out, 0);
        enc.writeIdLists(sink.out);
        sub.forEach(e -> enc.writeEntry(sink.out, e));
        enc.writeEnd(sink.out, 0);
        subSub.forEach(e -> enc.writeEntry(sink.out, e));
        enc.writeEnd(sink.out, 0);
        byte[] wire = sink.bytes();
        assertEquals(1, occurrences(wire, ascii("alice")), "a name travels once, with the first entry using the id");
        assertEquals(1, occurrences(wire, ascii("users")));

        FileListDecoder dec = new FileListDecoder(INC);
        ProtocolInput in = Wire.in(wire, 32);
        assertNames(top, dec.readList(in));
        IdLists ids = dec.readIdLists(in);
        assertNames(sub, dec.readDirList(in, ascii("d")));
        assertNames(subSub, dec.readDirList(in, ascii("d/z")));
        assertEquals(-1, in.stream().read(), "nothing left: no id lists after any list");
        assertEquals("alice", ids.userName(1000));
        assertEquals("users", ids.groupName(100));
        assertEquals("root", ids.userName(0));
    }

    @Test
    void numericIdsSendNoNames() {
        FileListOptions numeric = new FileListOptions(32, true, true, true, true, true, true, 0,
                true, true, true, FileListOptions.DEFAULT_MAX_ENTRIES, true, false);
        Wire.Sink sink = new Wire.Sink(32);
        FileListEncoder enc = new FileListEncoder(numeric, NAMES);
        enc.writeEntry(sink.out, file("a", 1000, 100));
        enc.writeEnd(sink.out, 0);
        assertEquals(0, occurrences(sink.bytes(), ascii("alice")));
        FileListDecoder dec = new FileListDecoder(numeric);
        assertEquals(1000, dec.readList(Wire.in(sink.bytes(), 32)).getFirst().uid());
    }

    @Test
    void aSubListEntryOutsideItsDirectoryAborts() {
        // CVE-2024-12087's shape: a list announced for "d" that names a file elsewhere
        for (String stray : List.of("e/x", "x", "d/z/x", "dd/x")) {
            byte[] wire = list(file(stray, 1000, 100));
            RsyncException ex = assertThrows(RsyncException.class,
                    () -> new FileListDecoder(INC).readDirList(Wire.in(wire, 32), ascii("d")), stray);
            assertEquals(ExitCode.UNSUPPORTED, ex.exitCode());
            assertTrue(ex.getMessage().contains("ABORTING due to invalid path from sender"), ex.getMessage());
        }
    }

    @Test
    void theTopListHoldsTopLevelEntriesOnly() {
        byte[] wire = list(dir("."), file("d/x", 1000, 100));
        RsyncException ex = assertThrows(RsyncException.class, () -> new FileListDecoder(INC).readList(Wire.in(wire, 32)));
        assertTrue(ex.getMessage().contains("d/x"), ex.getMessage());
    }

    @Test
    void anOwnerNameWithoutItsIdIsRefused() {
        // flags: USER_NAME_FOLLOWS with SAME_UID (rsync only names an id it sends)
        int flags = XmitFlags.SAME_UID | XmitFlags.USER_NAME_FOLLOWS;
        Wire.Sink sink = new Wire.Sink(32);
        sink.out.writeVarint(flags);
        sink.out.writeByte(1);
        sink.out.write(ascii("f"));
        sink.out.writeVarlong30(0, 3);
        sink.out.writeVarlong(1, 4);
        sink.out.writeInt(0100644);
        sink.out.writeVarint30(100);
        ProtocolException ex = assertThrows(ProtocolException.class,
                () -> new FileListDecoder(INC).readList(Wire.in(sink.bytes(), 32)));
        assertTrue(ex.getMessage().contains("without its id"), ex.getMessage());
    }

    private static byte[] list(FileEntry... entries) {
        Wire.Sink sink = new Wire.Sink(32);
        FileListEncoder enc = new FileListEncoder(INC, NAMES);
        for (FileEntry e : entries) {
            enc.writeEntry(sink.out, e);
        }
        enc.writeEnd(sink.out, 0);
        return sink.bytes();
    }

    private static void assertNames(List<FileEntry> expected, List<FileEntry> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i).name(), actual.get(i).name());
            assertEquals(expected.get(i).uid(), actual.get(i).uid());
            assertEquals(expected.get(i).gid(), actual.get(i).gid());
        }
    }

    private static int occurrences(byte[] hay, byte[] needle) {
        int n = 0;
        for (int i = 0; i + needle.length <= hay.length; i++) {
            if (java.util.Arrays.equals(hay, i, i + needle.length, needle, 0, needle.length)) {
                n++;
            }
        }
        return n;
    }
}
