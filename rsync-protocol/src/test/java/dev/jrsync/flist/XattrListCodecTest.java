package dev.jrsync.flist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.filter.FilterRules;
import dev.jrsync.options.FilterArg;
import dev.jrsync.wire.AllocationRefused;
import dev.jrsync.wire.HeapBudget;
import dev.jrsync.wire.MaxAlloc;
import dev.jrsync.wire.ProtocolException;
import dev.jrsync.wire.ProtocolInput;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The {@code -X} set after each file-list entry ({@code rsync/xattrs.c:send_xattr}, {@code receive_xattr}) as byte
 * vectors: a new set, a set sent before, the namespace rules of the receiving side, and sets a hostile sender could
 * send.
 */
class XattrListCodecTest {
    private static final XattrRules ROOT = new XattrRules(1, 1);
    private static final XattrRules USER = new XattrRules(1, 0);
    private static final XattrRules FAKE_SUPER = new XattrRules(1, -1);
    private static final byte[] BIG = "B".repeat(40).getBytes(StandardCharsets.US_ASCII);
    /** MD5 of {@link #BIG}, as {@code md5sum} gives it. */
    private static final String BIG_MD5 = "ccb764fb02835a3b3abe295a2e076eb1";
    /** "user.caf" and the Latin-1 e-acute: names are bytes, not text. */
    private static final byte[] CAFE = Arrays.copyOf("user.caf".getBytes(StandardCharsets.US_ASCII), 9);

    static {
        CAFE[8] = (byte) 0xE9;
    }

    /** Wire.hex without its spaces, so that vectors read as the fields they are made of. */
    private static String hex(byte[] bytes) {
        return Wire.hex(bytes).replace(" ", "");
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static XattrSet set(Object... nameValue) {
        List<XattrSet.Item> items = new ArrayList<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            byte[] name = nameValue[i] instanceof byte[] n ? n : b((String) nameValue[i]);
            items.add(XattrSet.item(name, (byte[]) nameValue[i + 1], i / 2 + 1));
        }
        return new XattrSet(items);
    }

    /** The three items sorted as rsync sorts them, a long one first. */
    private static final XattrSet THREE = set("user.big", BIG, CAFE, b("x"), "user.s", b("v1"));

    /** 0 (new), count 3, then each: name length with NUL, value length, name, NUL, value or its MD5. */
    private static final String THREE_WIRE = "00" + "03"
            + "09" + "28" + hex(b("user.big")) + "00" + BIG_MD5
            + "0a" + "01" + "757365722e636166e9" + "00" + "78"
            + "07" + "02" + hex(b("user.s")) + "00" + "7631";

    private static byte[] write(XattrRules rules, XattrSet... sets) {
        Wire.Sink s = new Wire.Sink(32);
        XattrListWriter w = new XattrListWriter(rules);
        for (XattrSet set : sets) {
            w.write(s.out, set);
        }
        return s.bytes();
    }

    private static List<XattrSet> read(XattrRules rules, byte[] wire, int sets) {
        ProtocolInput in = Wire.in(wire, 32);
        XattrListReader r = new XattrListReader(rules);
        List<XattrSet> out = new ArrayList<>();
        for (int i = 0; i < sets; i++) {
            out.add(r.read(in, "f"));
        }
        return out;
    }

    @Test
    void aNewSetGoesWholeWithLongValuesAsTheirDigestAndARepeatAsItsIndexPlusOne() {
        assertEquals(THREE_WIRE + "01" + "0000" + "01" + "02",
                hex(write(ROOT, THREE, THREE, XattrSet.EMPTY, THREE, XattrSet.EMPTY)));
    }

    @Test
    void aSetReadBackKeepsLengthsDigestsAndTheSendersNumbers() {
        List<XattrSet> sets = read(ROOT, Wire.hex(THREE_WIRE + "01"), 2);
        XattrSet got = sets.get(0);
        assertEquals(THREE, got);
        assertSame(got, sets.get(1), "an index names the set read before");
        XattrSet.Item big = got.items().get(0);
        assertTrue(big.abbreviated());
        assertEquals(40, big.length());
        assertEquals(BIG_MD5, hex(big.datum()));
        assertArrayEquals(CAFE, got.items().get(1).name());
        assertEquals(List.of(1, 2, 3), got.items().stream().map(XattrSet.Item::num).toList());
    }

    @Test
    void aReceiverNotRootKeepsOnlyTheUserNamespaceAndFakeSuperDisguisesTheRest() {
        byte[] wire = write(ROOT, set("security.x", b("s"), "trusted.t", b("t"), "user.u", b("u")));
        XattrSet user = read(USER, wire, 1).get(0);
        assertEquals(List.of("user.u"), names(user));
        assertEquals(List.of(3), user.items().stream().map(XattrSet.Item::num).toList(), "the sender's number");

        XattrSet fake = read(FAKE_SUPER, wire, 1).get(0);
        assertEquals(List.of("user.rsync.security.x", "user.rsync.trusted.t", "user.u"), names(fake));
        assertEquals(wire.length, write(FAKE_SUPER, fake).length, "a fake-super sender gives the names back");
        assertEquals(hex(wire), hex(write(FAKE_SUPER, fake)));
    }

    @Test
    void rsyncsOwnNamesTravelOnlyWithTwoXs() {
        byte[] wire = write(ROOT, set("user.rsync.%stat", b("100644 0,0 0:0"), "user.z", b("z")));
        assertEquals(List.of("user.z"), names(read(ROOT, wire, 1).get(0)));
        assertEquals(List.of("user.rsync.%stat", "user.z"), names(read(new XattrRules(2, 1), wire, 1).get(0)));
        assertTrue(new XattrRules(2, 0).reads(b("user.rsync.%stat"), true));
        assertTrue(!ROOT.reads(b("user.rsync.%stat"), true) && !ROOT.reads(b("system.posix_acl_access"), true));
        assertTrue(ROOT.reads(b("trusted.t"), false) && !USER.reads(b("trusted.t"), false));
        assertTrue(!FAKE_SUPER.removable(b("user.rsync.%stat")) && FAKE_SUPER.removable(b("user.rsync.x")));
    }

    @Test
    void theSetsKeptAreChargedToTheConnectionsBudget() {
        XattrSet big = set("user." + "n".repeat(4000), b("v"));
        byte[] wire = write(ROOT, big, set("user." + "m".repeat(4000), b("v")));
        ProtocolInput in = Wire.in(wire, 32);
        in.setMaxAlloc(new MaxAlloc(MaxAlloc.DEFAULT_LIMIT, new HeapBudget(6000)));
        XattrListReader r = new XattrListReader(ROOT);
        assertEquals(big, r.read(in, "f"));
        AllocationRefused e = assertThrows(AllocationRefused.class, () -> r.read(in, "g"));
        assertTrue(e.getMessage().contains("xattr sets"), e::getMessage);
    }

    @Test
    void xFilterRulesTakeThePlaceOfTheNamespaceRules() {
        Predicate<byte[]> rules = FilterRules.fromArgs(List.of(
                new FilterArg(FilterArg.Kind.FILTER, "-x user.s*"),
                new FilterArg(FilterArg.Kind.FILTER, "- user.big")), false)
                .xattrExclusion();
        XattrRules user = new XattrRules(1, 0, rules);
        byte[] wire = write(ROOT, set("trusted.t", b("t"), "user.big", b("only a file rule names it"), "user.s", b("v")));
        // not root, but with 'x' rules: another namespace is kept below user.rsync., as rsync's receive_xattr does
        assertEquals(List.of("user.big", "user.rsync.trusted.t"), names(read(user, wire, 1).get(0)));
        assertTrue(!user.reads(b("user.s"), true) && user.reads(b("system.x"), true), "no namespace test left");
        assertTrue(!user.removable(b("user.s1")) && user.removable(b("trusted.t")));
        assertNull(FilterRules.fromArgs(List.of(new FilterArg(
                FilterArg.Kind.EXCLUDE, "user.s")), false).xattrExclusion(), "no 'x' rule");
    }

    private static List<String> names(XattrSet set) {
        return set.items().stream().map(it -> new String(it.name(), StandardCharsets.ISO_8859_1)).toList();
    }

    private static String refused(String wireHex) {
        return assertThrows(ProtocolException.class, () -> read(ROOT, Wire.hex(wireHex), 1)).getMessage();
    }

    @Test
    void hostileSetsAreRefusedByName() {
        assertTrue(refused("02").contains("xa index 2 out of range"), "an index past the sets read");
        assertTrue(refused("7f").contains("out of range"));
        assertTrue(refused("00" + "c10100").contains("xattr count"), "65537 items: past MAX_WIRE_XATTR_COUNT");
        assertTrue(refused("00" + "01" + "00" + "00").contains("name_len 0"));
        assertTrue(refused("00" + "01" + "9001" + "00").contains("name_len 4097"));
        // 128 MiB + 1 announced for a value (sent as a digest, but refused as rsync refuses it)
        assertTrue(refused("00" + "01" + "02" + "e8010000").contains("per-value limit"));
        assertTrue(refused("00" + "01" + "02" + "01" + "6162" + "78").contains("missing trailing"));
        assertTrue(refused("00" + "01" + "03" + "01" + "610062" + "78").contains("NUL inside"));
    }

    @Test
    void anAnnouncedCountCostsNothingUntilItsItemsCome() {
        // 65536 items announced, one sent: the stream ends, nothing was sized by the count
        String one = "00" + "c10000" + "03" + "01" + hex(b("u.")) + "00" + "78";
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> read(ROOT, Wire.hex(one), 1));
        assertTrue(e.getMessage().contains("connection unexpectedly closed"), e::getMessage);
        assertNull(USER.received(b("trusted.t")));
    }
}
