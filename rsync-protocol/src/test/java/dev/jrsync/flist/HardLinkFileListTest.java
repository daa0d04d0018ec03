package dev.jrsync.flist;

import dev.jrsync.wire.ProtocolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.jrsync.flist.Wire.ascii;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code -H} in the file list: XMIT_HLINKED, HLINK_FIRST and the abbreviated later names (30+), dev/inode (29). */
class HardLinkFileListTest {
    private static final IdNames NAMES = IdNames.of(Map.of(0, "root", 1000, "alice"), Map.of(0, "root", 100, "users"));
    private static final int SUM = 16;

    /** protocol, varint flags, safe flist, -c sums, all with -H. */
    static Stream<FileListOptions> sessions() {
        return Stream.of(options(29, false, 0), options(30, false, 0), options(30, true, SUM), options(31, true, 0),
                options(32, true, SUM));
    }

    private static FileListOptions options(int protocol, boolean varint, int sums) {
        return new FileListOptions(protocol, varint, true, true, true, true, true, sums, false, varint, varint,
                FileListOptions.DEFAULT_MAX_ENTRIES, false, true);
    }

    private static FileEntry file(String name, int group, long size, long mtime, int uid, int sums) {
        FileEntry.Builder b = FileEntry.builder(name, 0100640).size(size).mtime(mtime, 0).owner(uid, 100);
        if (sums > 0) {
            b.checksum(ascii("0123456789abcdef".substring(0, sums)));
        }
        return b.hardLinkGroup(group).build();
    }

    /** Scanned group numbers: 7 for the three names of one file, 3 for two names of a symlink, 9 for a lone one. */
    private static List<FileEntry> entries(int sums) {
        return List.of(
                file("a", 7, 100, 1_700_000_000, 1000, sums),
                file("b", 9, 5, 1_700_000_001, 0, sums),
                file("c", 7, 100, 1_700_000_000, 1000, sums),
                FileEntry.builder("d", 040755).mtime(1_700_000_002, 0).build(),
                file("d/e", 7, 100, 1_700_000_000, 1000, sums),
                FileEntry.builder("d/l", 0120777).size(6).mtime(5, 0).linkTarget(ascii("target")).hardLinkGroup(3).build(),
                FileEntry.builder("d/m", 0120777).size(6).mtime(5, 0).linkTarget(ascii("target")).hardLinkGroup(3).build(),
                file("z", -1, 1, 1_700_000_003, 1000, sums));
    }

    private static byte[] encode(FileListOptions o, List<FileEntry> entries) {
        return Wire.encode(o, NAMES, entries);
    }

    @ParameterizedTest
    @MethodSource("sessions")
    void groupsAndAttributesSurviveTheWire(FileListOptions o) {
        List<FileEntry> sent = entries(o.checksumLength());
        List<FileEntry> got = new FileListDecoder(o).readList(Wire.in(encode(o, sent), o.protocol()));
        assertEquals(sent, got); // names and every attribute, the later names' taken from their first
        // the receiver's group is its first entry's index, as rsync's F_HL_GNUM
        int[] groups = got.stream().mapToInt(FileEntry::hardLinkGroup).toArray();
        assertArrayEquals(new int[] {0, 1, 0, -1, 0, 5, 5, -1}, groups);
        assertArrayEquals(ascii("target"), got.get(6).linkTarget());
    }

    @Test
    void laterNamesAreSentAsNameAndIndexFromProtocol30() {
        FileListOptions p32 = options(32, true, 0);
        List<FileEntry> one = List.of(file("a", 0, 100, 1_700_000_000, 1000, 0));
        List<FileEntry> two = List.of(one.get(0), file("b", 0, 100, 1_700_000_000, 1000, 0));
        int later = encode(p32, two).length - encode(p32, one).length;
        // flags (2-byte varint), l2, "b", index 0: no size, time, mode or ids
        assertEquals(5, later);
        byte[] wire = encode(p32, two);
        assertEquals(0, wire[wire.length - 3], "index of the first entry");

        // protocol 29 sends every name in full, with its inode
        FileListOptions p29 = options(29, false, 0);
        assertTrue(encode(p29, two).length - encode(p29, one).length > later);
    }

    @Test
    void withoutDashHTheGroupIsNotSent() {
        FileListOptions plain = FileListOptions.archive(32, true, true, true);
        Wire.Sink sink = new Wire.Sink(32);
        FileListEncoder enc = new FileListEncoder(plain, NAMES);
        enc.writeEntry(sink.out, file("a", 0, 1, 1, 0, 0));
        enc.writeEntry(sink.out, file("b", 0, 1, 1, 0, 0));
        enc.writeEnd(sink.out, 0);
        List<FileEntry> got = new FileListDecoder(plain).readList(Wire.in(sink.bytes(), 32));
        assertEquals(-1, got.get(1).hardLinkGroup());
        assertEquals(1, got.get(1).size());
    }

    private static void assertRefused(FileListOptions o, byte[] wire, String expected) {
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> new FileListDecoder(o).readList(Wire.in(wire, o.protocol())));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private static final int SAME = XmitFlags.SAME_UID | XmitFlags.SAME_GID;

    /** One varint-flag entry named {@code name} with the given flags, and the rest of a plain file. */
    private static void entry(Wire.Sink s, int flags, String name, int mode) {
        s.out.writeVarint(flags);
        s.out.writeByte(name.length());
        s.out.write(ascii(name));
        s.out.writeVarlong(0, 3);
        s.out.writeVarlong(1, 4);
        s.out.writeInt(mode);
    }

    /** An abbreviated later name of the group opened by entry {@code first}. */
    private static void laterName(Wire.Sink s, String name, int first) {
        s.out.writeVarint(SAME | XmitFlags.HLINKED);
        s.out.writeByte(name.length());
        s.out.write(ascii(name));
        s.out.writeVarint(first);
    }

    @Test
    void hostileReferencesAreRefused() {
        FileListOptions p32 = options(32, true, 0);
        // a later name before any first, or pointing past the list
        Wire.Sink s = new Wire.Sink(32);
        laterName(s, "b", 0);
        assertRefused(p32, s.bytes(), "hard-link reference out of range: 0");

        // pointing at an entry that opened no group
        s = new Wire.Sink(32);
        entry(s, SAME, "a", 0100644);
        laterName(s, "b", 0);
        assertRefused(p32, s.bytes(), "is not the first of a group");

        // HLINK_FIRST without HLINKED, and a linked directory
        s = new Wire.Sink(32);
        entry(s, SAME | XmitFlags.HLINK_FIRST, "a", 0100644);
        assertRefused(p32, s.bytes(), "without its flag");
        s = new Wire.Sink(32);
        entry(s, SAME | XmitFlags.HLINKED | XmitFlags.HLINK_FIRST, "d", 040755);
        assertRefused(p32, s.bytes(), "hard-link flag on directory");
    }

    @Test
    void protocol29GroupsByDeviceAndInode() {
        FileListOptions p29 = options(29, false, 0);
        Wire.Sink s = new Wire.Sink(29);
        for (String[] e : new String[][] {{"a", "5", "77"}, {"b", "6", "77"}, {"c", "5", "77"}}) {
            s.out.writeShort(SAME | XmitFlags.HLINKED | XmitFlags.EXTENDED_FLAGS);
            s.out.writeByte(1);
            s.out.write(ascii(e[0]));
            s.out.writeLongint(0);
            s.out.writeInt(1);
            s.out.writeInt(0100644);
            s.out.writeLongint(Long.parseLong(e[1]));
            s.out.writeLongint(Long.parseLong(e[2]));
        }
        s.out.writeByte(0);
        List<FileEntry> got = new FileListDecoder(p29).readList(Wire.in(s.bytes(), 29));
        assertEquals(0, got.get(0).hardLinkGroup());
        assertEquals(1, got.get(1).hardLinkGroup(), "same inode on another device");
        assertEquals(0, got.get(2).hardLinkGroup());
        assertNotEquals(got.get(0).hardLinkGroup(), got.get(1).hardLinkGroup());
    }
}
