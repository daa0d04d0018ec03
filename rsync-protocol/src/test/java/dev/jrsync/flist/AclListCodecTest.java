package dev.jrsync.flist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.wire.AllocationRefused;
import dev.jrsync.wire.HeapBudget;
import dev.jrsync.wire.MaxAlloc;
import dev.jrsync.wire.ProtocolException;
import dev.jrsync.wire.ProtocolInput;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@code -A} ACLs after each file-list entry ({@code rsync/acls.c:send_acl}, {@code receive_acl}) as byte
 * vectors: a new ACL with its {@code XMIT_*} flags, one sent before as its index plus one, a directory's default ACL
 * in a list of its own, names inline under incremental recursion, and what a hostile sender could send.
 */
class AclListCodecTest {
    private static final int NO = RsyncAcl.NO_ENTRY;
    private static final int USER = RsyncAcl.NAME_IS_USER;
    private static final IdNames NAMES = IdNames.of(Map.of(1, "daemon"), Map.of(2, "bin"));

    /** A file's condensed access ACL: its owning group's bits (a mask hides them), user 1 r-x, group 2 rw-. */
    private static final RsyncAcl FILE_ACL = new RsyncAcl(NO, 4, NO, NO,
            List.of(new RsyncAcl.Ida(1, 5 | USER), new RsyncAcl.Ida(2, 6)));
    /** 0 (new), flags GROUP_OBJ|NAME_LIST, group 4, two names: id, then the bits shifted by two under their flags. */
    private static final String FILE_WIRE = "00" + "12" + "04" + "02" + "01" + "16" + "02" + "18";
    /** A directory's default ACL, every object entry present and user 4 r-x. */
    private static final RsyncAcl DEFAULT_ACL = new RsyncAcl(7, 5, 5, 0, List.of(new RsyncAcl.Ida(4, 5 | USER)));
    private static final String DEFAULT_WIRE = "00" + "1f" + "07" + "05" + "05" + "00" + "01" + "04" + "16";

    private static FileEntry file(String name, RsyncAcl acl) {
        return FileEntry.builder(name, 0100674).acls(acl, null).build();
    }

    private static FileEntry dir(String name, RsyncAcl acl, RsyncAcl dflt) {
        return FileEntry.builder(name, 040755).acls(acl, dflt).build();
    }

    private static byte[] write(boolean incRecurse, FileEntry... entries) {
        Wire.Sink s = new Wire.Sink(32);
        AclListWriter w = new AclListWriter(IdLists.forSending(NAMES), false, incRecurse);
        for (FileEntry e : entries) {
            w.write(s.out, e);
        }
        return s.bytes();
    }

    private static String hex(byte[] b) {
        return Wire.hex(b).replace(" ", "");
    }

    private static final FileListOptions OPTIONS = FileListOptions.archive(32, true, false, true);

    /** Reads one ACL per type letter: 'a' access, 'd' default. */
    private static List<RsyncAcl> read(AclListReader r, ProtocolInput in, String types) {
        List<RsyncAcl> out = new ArrayList<>();
        for (char t : types.toCharArray()) {
            out.add(t == 'a' ? r.readAccess(in) : r.readDefault(in));
        }
        return out;
    }

    private static List<RsyncAcl> read(String wireHex, String types, boolean fakeSuper) {
        return read(AclListReader.standalone(OPTIONS, fakeSuper), Wire.in(Wire.hex(wireHex), 32), types);
    }

    @Test
    void aNewAclGoesWholeAndARepeatAsItsIndexPlusOneInTheListOfItsType() {
        // a, b (the same ACL), plain (none: flags 0), dir (no access ACL beyond its mode, and a default ACL)
        String wire = hex(write(false, file("a", FILE_ACL), file("b", FILE_ACL), file("plain", RsyncAcl.EMPTY),
                dir("d", RsyncAcl.EMPTY, DEFAULT_ACL), dir("e", FILE_ACL, RsyncAcl.EMPTY)));
        assertEquals(FILE_WIRE + "01" + "0000" + "02" + DEFAULT_WIRE + "01" + "0000", wire);
    }

    @Test
    void anAclReadBackIsTheOneSentAndAnIndexNamesTheOneReadBefore() {
        List<RsyncAcl> got = read(FILE_WIRE + "01" + "0000" + "02" + DEFAULT_WIRE + "01", "aaaada", false);
        assertEquals(FILE_ACL, got.get(0));
        assertSame(got.get(0), got.get(1));
        assertEquals(RsyncAcl.EMPTY, got.get(2));
        assertSame(got.get(2), got.get(3));
        assertEquals(DEFAULT_ACL, got.get(4));
        assertSame(got.get(0), got.get(5));
    }

    @Test
    void underIncrementalRecursionANameFollowsTheFirstUseOfItsId() {
        // user 1 and group 2 are named once, after their ids (XFLAG_NAME_FOLLOWS, a length byte, the name)
        String named = "00" + "12" + "04" + "02" + "01" + "17" + "06" + hex(Wire.ascii("daemon"))
                + "02" + "19" + "03" + hex(Wire.ascii("bin"));
        RsyncAcl other = new RsyncAcl(NO, 4, NO, NO, List.of(new RsyncAcl.Ida(1, 7 | USER)));
        assertEquals(named + "00" + "12" + "04" + "01" + "01" + "1e",
                hex(write(true, file("a", FILE_ACL), file("b", other))));
        IdLists inline = IdLists.forInlineNames();
        AclListReader r = new AclListReader(OPTIONS, inline, false);
        assertEquals(List.of(FILE_ACL, other), read(r, Wire.in(Wire.hex(named + "0012040101" + "1e"), 32), "aa"));
        assertEquals("daemon", inline.userName(1));
        assertEquals("bin", inline.groupName(2));
        // without incremental recursion the ids go in the lists after the file list, named there
        IdLists ids = IdLists.forSending(NAMES);
        new AclListWriter(ids, false, false).write(new Wire.Sink(32).out, file("a", FILE_ACL));
        assertNull(ids.addUid(1), "user 1 is listed already");
        Wire.Sink lists = new Wire.Sink(32);
        ids.write(lists.out, new FileListOptions(32, true, false, false, true, true, true, 0, false, false, true,
                1000, false, false, null, true, false, false, false));
        assertEquals("01" + "06" + hex(Wire.ascii("daemon")) + "00" + "02" + "03" + hex(Wire.ascii("bin")) + "00",
                hex(lists.bytes()), "-A sends both lists even without -o and -g");
    }

    @Test
    void aReceiverGivesNamedEntriesTheMaskTheyNeed() {
        assertEquals(5, FILE_ACL.withMask(false, 0100654).maskObj(), "an access ACL's: the mode's group bits");
        // a default ACL's: what its entries and owning group grant
        RsyncAcl dflt = new RsyncAcl(7, 1, NO, 0, List.of(new RsyncAcl.Ida(4, 4 | USER)));
        assertEquals(5, dflt.withMask(true, 0).maskObj());
        assertSame(RsyncAcl.EMPTY, RsyncAcl.EMPTY.withMask(false, 0777), "no names, no mask");
    }

    @Test
    void theAclsKeptAreChargedToTheConnectionsBudget() {
        StringBuilder wire = new StringBuilder();
        for (int i = 1; i <= 40; i++) {
            wire.append("00").append("02").append(String.format("%02x", i % 8));
        }
        ProtocolInput in = Wire.in(Wire.hex(wire.toString()), 32);
        in.setMaxAlloc(new MaxAlloc(MaxAlloc.DEFAULT_LIMIT, new HeapBudget(1000)));
        AclListReader r = AclListReader.standalone(OPTIONS, false);
        AllocationRefused e = assertThrows(AllocationRefused.class, () -> read(r, in, "a".repeat(40)));
        assertTrue(e.getMessage().contains("ACL lists"), e::getMessage);
    }

    private static String refused(String wireHex, String types) {
        return assertThrows(ProtocolException.class, () -> read(wireHex, types, false)).getMessage();
    }

    @Test
    void hostileAclsAreRefusedByName() {
        assertEquals("recv_acl_index: ACL_TYPE_ACCESS ACL index 1 > 0", refused("01", "a"));
        assertEquals("recv_acl_index: ACL_TYPE_DEFAULT ACL index 2 > 1", refused(DEFAULT_WIRE + "02", "dd"));
        assertEquals("recv_acl_index: ACL_TYPE_ACCESS ACL index -1 > 0", refused("f0ffffffff", "a"));
        assertEquals("recv_acl_access: value out of range: 8", refused("00" + "01" + "08", "a"));
        assertEquals("recv_acl_access: value out of range: 8", refused("00" + "10" + "01" + "05" + "20", "a"));
        assertEquals("wire value ACL count out of range: 65537 not in [0,65536] [receiver]",
                refused("00" + "10" + "c10100", "a"));
        // under fake super the bits are stored, not set: rsync takes them unchecked
        assertEquals(8, read("00" + "01" + "08", "a", true).get(0).userObj());
    }

    @Test
    void anAnnouncedCountCostsNothingUntilItsEntriesCome() {
        // 65536 named entries announced, one sent: the stream ends, nothing was sized by the count
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> read("00" + "10" + "c10000" + "01" + "16", "a", false));
        assertTrue(e.getMessage().contains("connection unexpectedly closed"), e::getMessage);
    }
}
