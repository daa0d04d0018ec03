package dev.jrsync.flist;

import static dev.jrsync.flist.Wire.ascii;
import static dev.jrsync.flist.Wire.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Protocol 27's file list (rsync/flist.c:send_file_entry and recv_file_entry before 28): one flag byte, a device
 * number as one int32 with SAME_RDEV_pre28, with -H a device and inode after every regular file and only those, and
 * with -c a checksum after every entry.
 */
class Protocol27FileListTest {
    private static final IdNames NAMES = IdNames.of(Map.of(1000, "alice"), Map.of(100, "users"));

    private static FileListOptions options(boolean hardLinks, int sums) {
        return new FileListOptions(27, false, true, true, true, true, true, sums, false, false, false,
                FileListOptions.DEFAULT_MAX_ENTRIES, false, hardLinks);
    }

    private static byte[] encode(FileListOptions o, List<FileEntry> entries) {
        return Wire.encode(o, NAMES, entries);
    }

    private static FileEntry device(String name, int major, int minor) {
        return FileEntry.builder(name, 020600).mtime(0x10, 0).owner(1000, 100).rdev(major, minor).build();
    }

    private static final List<FileEntry> FILE_AND_DEVICES = List.of(
            FileEntry.builder("a", 0100640).size(5).mtime(0x10, 0).owner(1000, 100).build(),
            device("c", 8, 0x123),
            device("d", 8, 0x123),
            FileEntry.builder("e", 040755).mtime(0x10, 0).owner(1000, 100).build());

    @Test
    void entriesAreOneFlagByteAndADeviceIsOneInt() {
        String a = "01 01 61" + "05000000" + "10000000" + "a0810000" + "e8030000" + "64000000"
                + "02000000 00000000"; // -H: device 1 (sent 1-incremented), its own index as the inode
        String c = "98 01 63" + "00000000" + "80210000" + "23081000"; // SAME_UID|SAME_GID|SAME_TIME, rdev 8,0x123
        String d = "9e 01 64" + "00000000"; // and SAME_MODE|SAME_RDEV_pre28
        String e = "98 01 65" + "00000000" + "ed410000"; // a directory has no inode
        assertEquals(hex(hex(a + c + d + e + "00")), hex(encode(options(true, 0), FILE_AND_DEVICES)));
    }

    @Test
    void aDirectoryWithNoFlagsSetsLongNameAndSendsItsLengthAsAnInt() {
        FileListOptions o = options(false, 0);
        FileEntry root = FileEntry.builder(".", 040755).mtime(5, 0).build();
        // a first entry shares nothing with the initial state: its flags are 0
        byte[] bytes = encode(o, List.of(root));
        assertEquals(hex(hex("40 01000000 2e 00000000 05000000 ed410000 00000000 00000000 00")), hex(bytes));
        assertEquals(List.of(root), new FileListDecoder(o).readList(Wire.in(bytes, 27)));
    }

    @Test
    void devicesAndLinkGroupsSurviveTheWire() {
        FileListOptions o = options(true, 0);
        List<FileEntry> sent = List.of(
                FileEntry.builder("a", 0100640).size(5).mtime(0x10, 0).owner(1000, 100).hardLinkGroup(4).build(),
                FileEntry.builder("b", 0100640).size(5).mtime(0x10, 0).owner(1000, 100).build(),
                device("c", 0xABC, 0xFFFFF),
                FileEntry.builder("d", 0100640).size(5).mtime(0x10, 0).owner(1000, 100).hardLinkGroup(4).build(),
                FileEntry.builder("l", 0120777).size(1).mtime(0x10, 0).owner(1000, 100).linkTarget(ascii("a"))
                        .build());
        List<FileEntry> got = new FileListDecoder(o).readList(Wire.in(encode(o, sent), 27));
        assertEquals(0xABC, got.get(2).rdevMajor());
        assertEquals(0xFFFFF, got.get(2).rdevMinor());
        // every regular file is in a group, one of its own unless it shares an inode
        assertArrayEquals(new int[] {0, 1, -1, 0, -1}, got.stream().mapToInt(FileEntry::hardLinkGroup).toArray());
        assertEquals(sent.stream().map(FileEntry::displayName).toList(),
                got.stream().map(FileEntry::displayName).toList());
    }

    @Test
    void checksumsFollowEveryEntryZerosForAllButFiles() {
        FileListOptions o = options(false, 16);
        byte[] sum = ascii("0123456789abcdef");
        List<FileEntry> sent = List.of(
                FileEntry.builder("a", 0100640).size(5).mtime(0x10, 0).owner(1000, 100).checksum(sum).build(),
                device("c", 1, 2));
        byte[] bytes = encode(o, sent);
        byte[] c = hex("98 01 63" + "00000000" + "80210000" + "02010000" + "00".repeat(16) + "00");
        assertEquals(hex(c), hex(Arrays.copyOfRange(bytes, bytes.length - c.length, bytes.length)));
        assertEquals(sent, new FileListDecoder(o).readList(Wire.in(bytes, 27)));
    }
}
