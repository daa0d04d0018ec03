package dev.jrsync.flist;

import dev.jrsync.wire.ProtocolException;
import dev.jrsync.wire.ProtocolInput;
import dev.jrsync.wire.ProtocolOutput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.UncheckedIOException;
import java.util.function.Consumer;

import static dev.jrsync.flist.Wire.ascii;
import static dev.jrsync.flist.Wire.hex;
import static dev.jrsync.flist.XmitFlags.LONG_NAME;
import static dev.jrsync.flist.XmitFlags.MOD_NSEC;
import static dev.jrsync.flist.XmitFlags.SAME_GID;
import static dev.jrsync.flist.XmitFlags.SAME_MODE;
import static dev.jrsync.flist.XmitFlags.SAME_NAME;
import static dev.jrsync.flist.XmitFlags.SAME_UID;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Lists a malicious sender could send; every one must end the session with a clear message. */
class HostileFileListTest {
    private static final int IDS_SAME = SAME_UID | SAME_GID;
    private static final FileListOptions P32 = FileListOptions.archive(32, true, true, true);
    private static final FileListOptions P29 = FileListOptions.archive(29, false, false, false);

    /** One varint-flag entry: flags, l2 byte, name, length, mtime, [nsec], mode, then {@code tail}. */
    private static byte[] entry32(int flags, byte[] name, int mode, Consumer<ProtocolOutput> tail) {
        Wire.Sink s = new Wire.Sink(32);
        s.out.writeVarint(flags);
        s.out.writeByte(name.length);
        s.out.write(name);
        s.out.writeVarlong(0, 3);
        s.out.writeVarlong(1_700_000_000L, 4);
        if ((flags & MOD_NSEC) != 0) {
            s.out.writeVarint(5);
        }
        if ((flags & SAME_MODE) == 0) {
            s.out.writeInt(mode);
        }
        tail.accept(s.out);
        s.out.writeVarint(0);
        s.out.writeVarint(0);
        return s.bytes();
    }

    private static byte[] entry32(int flags, String name, int mode) {
        return entry32(flags, ascii(name), mode, o -> {});
    }

    private static String refused(FileListOptions options, byte[] wire) {
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> new FileListDecoder(options).readList(Wire.in(wire, options.protocol())));
        return e.getMessage();
    }

    private static void assertRefused(FileListOptions options, byte[] wire, String fragment) {
        String msg = refused(options, wire);
        assertTrue(msg.contains(fragment), "message was: " + msg);
    }

    @Test
    void theHelperBuildsAValidEntry() {
        assertDoesNotThrow(() -> new FileListDecoder(P32).readList(Wire.in(entry32(IDS_SAME, "ok/name", 0100644), 32)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "../x", "a/../b", "a/..", "/etc/passwd", "/", "a//b", "a/", "./a", "a/./b", "a/.", ""})
    void unsafeNames(String name) {
        assertRefused(P32, entry32(IDS_SAME, name, 0100644), "ABORTING due to unsafe pathname from sender: " + name);
    }

    @Test
    void nulInName() {
        assertRefused(P32, entry32(IDS_SAME, new byte[] {'a', 0, 'b'}, 0100644, o -> {}), "unsafe pathname");
    }

    @Test
    void dotDotBuiltFromThePreviousName() {
        Wire.Sink s = new Wire.Sink(32);
        s.out.writeVarint(IDS_SAME);
        s.out.writeByte(1);
        s.out.write(ascii("."));
        s.out.writeVarlong(0, 3);
        s.out.writeVarlong(1, 4);
        s.out.writeInt(040755);
        // second name: reuse "." and append "./x" -> "../x"
        s.out.writeVarint(IDS_SAME | SAME_NAME);
        s.out.writeByte(1);
        s.out.writeByte(3);
        s.out.write(ascii("./x"));
        assertRefused(P32, s.bytes(), "unsafe pathname from sender: ../x");
    }

    @ParameterizedTest
    @ValueSource(ints = {0170755, 0, 0070644, 0110644, 0x10000 | 0100644})
    void modesOutsideTheSevenTypes(int mode) {
        assertRefused(P32, entry32(IDS_SAME, "f", mode), "invalid file mode");
    }

    @Test
    void sameModeOnTheFirstEntryMeansMode0() {
        assertRefused(P32, entry32(IDS_SAME | SAME_MODE, "f", 0), "invalid file mode 00");
    }

    @Test
    void nanosecondsOutOfRange() {
        Wire.Sink s = new Wire.Sink(32);
        s.out.writeVarint(IDS_SAME | MOD_NSEC);
        s.out.writeByte(1);
        s.out.write(ascii("f"));
        s.out.writeVarlong(0, 3);
        s.out.writeVarlong(1, 4);
        s.out.writeVarint(1_000_000_000);
        assertRefused(P32, s.bytes(), "nanoseconds out of range (1000000000)");
    }

    /**
     * rsync's suite, daemon-namecvt-newline-token: an owner's name inline in an entry is read without incremental
     * recursion too, as stock rsync's receiver reads it whenever the flag is set, and is the one the id list
     * that follows the entries keeps for that id (where a daemon's name converter gets to refuse it).
     */
    @Test
    void inlineOwnerNamesWithoutIncrementalRecursion() {
        FileListOptions p32 = FileListOptions.archive(32, true, false, true);
        Wire.Sink s = new Wire.Sink(32);
        s.out.write(entry32(SAME_GID | XmitFlags.USER_NAME_FOLLOWS, ascii("f"), 0100644, o -> {
            o.writeVarint(1);
            o.writeByte(8);
            o.write(ascii("bad\nname"));
        }));
        s.out.writeVarint(1); // the uid list after the entries names uid 1 again
        s.out.writeByte(5);
        s.out.write(ascii("other"));
        s.out.writeVarint(0);
        s.out.writeVarint(0); // an empty gid list
        ProtocolInput in = Wire.in(s.bytes(), 32);
        FileListDecoder d = new FileListDecoder(p32);
        assertEquals(1, d.readList(in).size());
        assertEquals("bad\nname", d.readIdLists(in).userName(1));
    }

    @Test
    void hardLinkFlagWithoutDashH() {
        // CVE-2026-70458
        assertRefused(P32, entry32(IDS_SAME | XmitFlags.HLINKED, "f", 0100644), "hard links (-H)");
        assertRefused(P32, entry32(IDS_SAME | XmitFlags.HLINKED | XmitFlags.HLINK_FIRST, "f", 0100644), "hard links");
        // byte/short mode: 0x021C = HLINKED | SAME_GID | SAME_UID | EXTENDED_FLAGS
        assertRefused(P29, hex("1c 02 01 66"), "hard links (-H)");
    }

    @Test
    void otherFeaturesNotNegotiated() {
        assertRefused(P32, entry32(IDS_SAME | XmitFlags.USER_NAME_FOLLOWS, "f", 0100644), "an owner without its id");
        assertRefused(P32, entry32(IDS_SAME | XmitFlags.GROUP_NAME_FOLLOWS, "f", 0100644), "an owner without its id");
        FileListOptions noGroups = new FileListOptions(32, true, true, false, true, true, true, 0, false, false, true,
                FileListOptions.DEFAULT_MAX_ENTRIES);
        assertRefused(noGroups, entry32(SAME_UID | XmitFlags.GROUP_NAME_FOLLOWS, "f", 0100644), "owner names (-o/-g)");
        assertRefused(P32, entry32(IDS_SAME | XmitFlags.SAME_ATIME, "f", 0100644), "--atimes");
        assertRefused(P32, entry32(IDS_SAME | XmitFlags.CRTIME_EQ_MTIME, "f", 0100644), "--crtimes");
        assertRefused(P32, entry32(IDS_SAME | 0x8000, "f", 0100644), "unknown bits");
        assertRefused(P32, entry32(IDS_SAME | 0x10000, "f", 0100644), "unknown bits");
        FileListOptions p30 = FileListOptions.archive(30, true, true, true);
        assertRefused(p30, entry32(IDS_SAME | MOD_NSEC, "f", 0100644), "nanosecond");
    }

    @Test
    void typeDependentBitsOnTheWrongType() {
        // 0x100 is SAME_RDEV_MAJOR for devices and NO_CONTENT_DIR for directories, nothing for a file
        assertRefused(P32, entry32(IDS_SAME | XmitFlags.SAME_RDEV_MAJOR, "f", 0100644), "do not fit mode");
        // protocol 29 has no NO_CONTENT_DIR: 0x011C on a directory
        Wire.Sink s = new Wire.Sink(29);
        s.out.writeShort(IDS_SAME | XmitFlags.EXTENDED_FLAGS | XmitFlags.NO_CONTENT_DIR);
        s.out.writeByte(1);
        s.out.write(ascii("d"));
        s.out.writeLongint(0);
        s.out.writeInt(1);
        s.out.writeInt(040755);
        assertRefused(P29, s.bytes(), "do not fit mode");
        // RDEV_MINOR_8 on a regular file at protocol 29: 0x081C
        Wire.Sink t = new Wire.Sink(29);
        t.out.writeShort(IDS_SAME | XmitFlags.EXTENDED_FLAGS | XmitFlags.RDEV_MINOR_8_PRE30);
        t.out.writeByte(1);
        t.out.write(ascii("f"));
        t.out.writeLongint(0);
        t.out.writeInt(1);
        t.out.writeInt(0100644);
        assertRefused(P29, t.bytes(), "do not fit mode");
    }

    @Test
    void oversizedNameLengths() {
        Wire.Sink a = new Wire.Sink(32);
        a.out.writeVarint(IDS_SAME | LONG_NAME);
        a.out.writeVarint(4096);
        assertRefused(P32, a.bytes(), "overflow");

        Wire.Sink b = new Wire.Sink(32);
        b.out.writeVarint(IDS_SAME | LONG_NAME);
        b.out.writeVarint(-1);
        assertRefused(P32, b.bytes(), "overflow");

        Wire.Sink d = new Wire.Sink(29);
        d.out.writeByte(IDS_SAME | LONG_NAME);
        d.out.writeInt(Integer.MIN_VALUE);
        assertRefused(P29, d.bytes(), "overflow");
    }

    @Test
    void prefixLongerThanThePreviousName() {
        Wire.Sink s = new Wire.Sink(32);
        s.out.writeVarint(IDS_SAME | SAME_NAME);
        s.out.writeByte(3);
        s.out.writeByte(1);
        s.out.write(ascii("x"));
        assertRefused(P32, s.bytes(), "exceeds the previous name");
    }

    @Test
    void prefixPlusSuffixTooLong() {
        byte[] first = entry32(IDS_SAME, ascii("a".repeat(255)), 0100644, o -> {});
        Wire.Sink s = new Wire.Sink(32);
        s.out.write(first, 0, first.length - 2); // drop the end marker
        s.out.writeVarint(IDS_SAME | SAME_NAME | LONG_NAME);
        s.out.writeByte(255);
        s.out.writeVarint(4096 - 255);
        assertRefused(P32, s.bytes(), "overflow: flags=0x78 l1=255 l2=3841");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 4096, 100_000})
    void symlinkTargetLengths(int len) {
        assertRefused(P32, entry32(IDS_SAME, ascii("l"), 0120777, o -> o.writeVarint(len)), "linkname_len=" + len);
    }

    @Test
    void symlinkTargetWithNul() {
        byte[] wire = entry32(IDS_SAME, ascii("l"), 0120777, o -> {
            o.writeVarint(3);
            o.write(new byte[] {'a', 0, 'b'});
        });
        assertRefused(P32, wire, "NUL");
    }

    @Test
    void negativeLength() {
        Wire.Sink s = new Wire.Sink(32);
        s.out.writeVarint(IDS_SAME);
        s.out.writeByte(1);
        s.out.write(ascii("f"));
        s.out.writeVarlong(-1, 3);
        assertRefused(P32, s.bytes(), "file-length is negative");

        Wire.Sink t = new Wire.Sink(29);
        t.out.writeByte(IDS_SAME);
        t.out.writeByte(1);
        t.out.write(ascii("f"));
        t.out.writeLongint(Long.MIN_VALUE);
        assertRefused(P29, t.bytes(), "file-length is negative");
    }

    @ParameterizedTest
    @ValueSource(ints = {0100644, 0120777, 010644, 020644})
    void transferRootMustBeADirectory(int mode) {
        // CVE-2026-70459
        FileListOptions noLinks = new FileListOptions(32, true, true, true, true, true, false, 0, false, true, true, 10);
        assertRefused(noLinks, entry32(IDS_SAME, ".", mode), "rejecting non-directory transfer-root entry");
    }

    @Test
    void errorEndMarkerNeedsASafeList() {
        FileListOptions unsafe30 = FileListOptions.archive(30, false, false, false);
        assertRefused(unsafe30, hex("04 10 01"), "Invalid flist flag: 0x1004");
        assertDoesNotThrow(() -> new FileListDecoder(FileListOptions.archive(30, false, false, true))
                .readList(Wire.in(hex("04 10 01"), 30)));
    }

    @Test
    void tooManyIds() {
        FileListOptions small = new FileListOptions(32, true, true, true, true, true, true, 0, false, true, true, 2);
        Wire.Sink s = new Wire.Sink(32);
        for (int id = 1; id <= 3; id++) {
            s.out.writeVarint(id);
            s.out.writeByte(1);
            s.out.write(ascii("u"));
        }
        ProtocolException e = assertThrows(ProtocolException.class, () -> IdLists.read(Wire.in(s.bytes(), 32), small));
        assertTrue(e.getMessage().contains("too many entries in the uid list"), e.getMessage());
    }

    @Test
    void truncatedListIsAnEofNotAHang() {
        byte[] wire = entry32(IDS_SAME, "file", 0100644);
        byte[] cut = java.util.Arrays.copyOf(wire, wire.length - 4);
        assertThrows(UncheckedIOException.class, () -> new FileListDecoder(P32).readList(Wire.in(cut, 32)));
    }
}
