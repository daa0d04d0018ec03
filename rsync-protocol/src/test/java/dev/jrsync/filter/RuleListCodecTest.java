package dev.jrsync.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import dev.jrsync.options.FilterArg.Kind;
import dev.jrsync.options.FilterArg;
import dev.jrsync.wire.AllocationRefused;
import dev.jrsync.wire.MaxAlloc;
import dev.jrsync.wire.ProtocolException;
import dev.jrsync.wire.ProtocolInput;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The filter list on the wire, pinned to what stock rsync 3.5.0 sent to a stock 3.5.0 daemon. Each
 * vector is the list as recorded by /work/shared/tools/wiretap.py between
 * {@code rsync -r OPTIONS src/ rsync://127.0.0.1:PORT/m/} (push) or
 * {@code rsync -r OPTIONS rsync://127.0.0.1:PORT/m/ dst/} (pull) and the daemon, with the multiplex
 * frame header taken off.
 */
class RuleListCodecTest {

    /** push, protocol 32: --exclude='*.o' --include='/keep/' -f'P /prot' --delete. */
    static final String PUSH = "050000002d202a2e6f080000002b202f6b6565702f080000002d72202f70726f7400000000";
    /** push, protocol 32: --exclude='*.o' -f'P /prot' --include='/keep/' --delete-excluded. */
    static final String PUSH_DELETE_EXCLUDED = "080000002d72202f70726f7400000000";
    /** push, protocol 32: -FF --delete. */
    static final String PUSH_FF = "100000003a202f2e7273796e632d66696c7465720f0000002d202e7273796e632d66696c7465"
            + "7200000000";
    /**
     * push, protocol 32: -f'hide *.tmp' -f'show /s' -f'protect,p /pp' -f'risk r1' -f'dir-merge,n-e .pf'
     * -f'-! /neg/' -f':w+ .wf' --delete.
     */
    static final String PUSH_LONG_NAMES = "070000002d7270202f7070050000002b72207231050000002d202e7066070000003a6e2d"
            + "202e7066080000002d21202f6e65672f070000003a772b202e776600000000";
    /** push, --protocol=29: --exclude='*.o' -f'P /prot' -f'S shw' -f': .pf' --delete (not multiplexed). */
    static final String PUSH_P29 = "050000002d202a2e6f080000002d72202f70726f74050000003a202e706600000000";
    /** pull, protocol 32: --exclude='*.o' -f'P /prot' -f'H hid' -f'S shw' -f'R rsk' -f'-p per' -f'- /x/'. */
    static final String PULL = "050000002d202a2e6f060000002d7320686964060000002b7320736877060000002d702070657205"
            + "0000002d202f782f00000000";
    /** pull, protocol 32: --delete-excluded --exclude='*.o' -f'P /prot' -f'H hid' --include='/keep/'. */
    static final String PULL_DELETE_EXCLUDED_FIRST = "060000002d73202a2e6f060000002d7320686964090000002b73202f6b"
            + "6565702f00000000";
    /** pull, protocol 32: --exclude='*.o' -f'P /prot' -f'H hid' --include='/keep/' --delete-excluded. */
    static final String PULL_DELETE_EXCLUDED_LAST = "050000002d202a2e6f060000002d7320686964080000002b202f6b6565"
            + "702f00000000";
    /** pull, protocol 32: -F. */
    static final String PULL_F = "100000003a202f2e7273796e632d66696c74657200000000";
    /** pull, --protocol=29: --exclude='*.o' -f'H hid' -f'- /x/' (not multiplexed). */
    static final String PULL_P29 = "050000002d202a2e6f060000002d7320686964050000002d202f782f00000000";

    @Test
    void pushSendsReceiverRulesAndElidesItsOwn() {
        assertEncodes(PUSH, 32, true, false,
                exclude("*.o"), include("/keep/"), filter("P /prot"));
        assertEncodes(PUSH_DELETE_EXCLUDED, 32, true, true,
                exclude("*.o"), filter("P /prot"), include("/keep/"));
        assertEncodes(PUSH_FF, 32, true, false,
                new FilterArg(Kind.F, ": /.rsync-filter"), new FilterArg(Kind.F, "- .rsync-filter"));
        assertEncodes(PUSH_LONG_NAMES, 32, true, false,
                filter("hide *.tmp"), filter("show /s"), filter("protect,p /pp"), filter("risk r1"),
                filter("dir-merge,n-e .pf"), filter("-! /neg/"), filter(":w+ .wf"));
        assertEncodes(PUSH_P29, 29, true, false,
                exclude("*.o"), filter("P /prot"), filter("S shw"), filter(": .pf"));
    }

    @Test
    void pullSendsSenderRulesAndElidesItsOwn() {
        assertEncodes(PULL, 32, false, false,
                exclude("*.o"), filter("P /prot"), filter("H hid"), filter("S shw"), filter("R rsk"),
                filter("-p per"), filter("- /x/"));
        assertEncodes(PULL_F, 32, false, false, new FilterArg(Kind.F, ": /.rsync-filter"));
        assertEncodes(PULL_P29, 29, false, false, exclude("*.o"), filter("H hid"), filter("- /x/"));
    }

    /**
     * rsync marks a rule sender-only under --delete-excluded only if that option came before it on the
     * command line; the options model keeps no such order, so jrsync always sends the "-s" form, which
     * a server treats exactly like the unmarked one.
     */
    @Test
    void deleteExcludedPullSendsSenderSideRules() {
        assertEncodes(PULL_DELETE_EXCLUDED_FIRST, 32, false, true,
                exclude("*.o"), filter("P /prot"), filter("H hid"), include("/keep/"));
        assertEquals(received(PULL_DELETE_EXCLUDED_FIRST, 32, true), received(PULL_DELETE_EXCLUDED_LAST, 32, true));
    }

    @Test
    void perishableRulesNeedProtocol30WhenPushing() {
        FilterRules rules = FilterRules.fromArgs(List.of(filter("-p perish")), false);
        RsyncException e = assertThrows(RsyncException.class, () -> rules.encode(29, true, false));
        assertEquals(ExitCode.PROTOCOL_INCOMPATIBLE, e.exitCode());
        assertTrue(e.getMessage().startsWith("filter rules are too modern for remote rsync"), e.getMessage());
        // a puller's sender may simply ignore perishability: the modifier is dropped
        assertEquals(hex(list("- perish")), hex(rules.encode(29, false, false)));
    }

    /**
     * -C (rsync/exclude.c:send_filter_list, send_rules, get_rule_prefix): a pushing client sends ":C .cvsignore"
     * and its own CVS list in place of "-C" (perishable from protocol 30; at 29 without the 'p'); a pulling one
     * sends "-C " itself, which the sender expands; a received "-C " parses back to the same rule.
     */
    @Test
    void cvsExcludeIsSentAsStockSendsIt() {
        FilterRules cvs = FilterRules.fromArgs(List.of(exclude("*.x")), false).withCvsExclude(true, true);
        assertEquals(hex(list("- *.x", ":C .cvsignore", "-C ")), hex(cvs.encode(32, false, false)));
        String pushed = new String(cvs.encode(32, true, false), StandardCharsets.ISO_8859_1);
        assertTrue(pushed.contains(":C .cvsignore") && pushed.contains("\u0006\0\0\0-p RCS")
                && pushed.contains("\u0008\0\0\0-p .git/") && !pushed.contains("-C"), pushed);
        String pushed29 = new String(cvs.encode(29, true, false), StandardCharsets.ISO_8859_1);
        assertTrue(pushed29.contains("\u0005\0\0\0- RCS") && !pushed29.contains("-p "), pushed29);
        assertEquals(List.of("- *.x", ":C .cvsignore", "-C "), received(hex(cvs.encode(32, false, false)), 32, false));
    }

    @Test
    void oldProtocolsKnowOnlyBarePatterns() {
        FilterRules rules = FilterRules.fromArgs(List.of(exclude("*.o"), include("keep"), filter("- - odd")), false);
        assertEquals(hex(list("*.o", "+ keep", "- - odd")), HexFormat.of().formatHex(rules.encode(28, true, false)));
        FilterRules perDir = FilterRules.fromArgs(List.of(filter(": .pf")), false);
        assertThrows(RsyncException.class, () -> perDir.encode(28, true, false));
    }

    @Test
    void serverDecodesCapturedLists() {
        assertEquals(List.of("- *.o", "+ /keep/", "-r /prot"), received(PUSH, 32, false));
        assertEquals(List.of("-rp /pp", "+r r1", "- .pf", ":n- .pf", "-! /neg/", ":w+ .wf"),
                received(PUSH_LONG_NAMES, 32, false));
        assertEquals(List.of("- *.o", "-s hid", "+s shw", "-p per", "- /x/"), received(PULL, 32, false));
        assertEquals(List.of("-s *.o", "-s hid", "+s /keep/"), received(PULL_DELETE_EXCLUDED_LAST, 32, true));
        assertEquals(List.of(": /.rsync-filter", "- .rsync-filter"), received(PUSH_FF, 32, false));
    }

    @Test
    void serverDecodesOldStyleLists() {
        assertEquals(List.of("- *.o", "+ keep", "- !x", "- - odd"),
                received(hex(list("*.o", "+ keep", "!x", "- - odd")), 28, false));
        assertEquals(List.of("+ b"), received(hex(list("- a", "!", "+ b")), 28, false));
    }

    @Test
    void serverRefusesHostileLists() {
        assertProtocolError(hex(new byte[] {0, 0x14, 0, 0}), "length");           // 5120 bytes
        assertProtocolError(hex(new byte[] {-1, -1, -1, -1}), "length");          // negative
        assertProtocolError(hex(list("- a\0b")), "NUL");
        assertProtocolError(hex(list("merge /etc/passwd")), "merge-file rule");
        assertProtocolError(hex(list(". /etc/passwd")), "merge-file rule");
        assertProtocolError(hex(list("foo bar")), "Unknown filter rule");
        assertProtocolError(hex(list("-q x")), "invalid modifier");
        ProtocolException many = assertThrows(ProtocolException.class, () -> FilterRules.receive(
                input(hex(list("- a", "- b", "- c"))), 32, false, 2));
        assertTrue(many.getMessage().contains("more than 2"), many.getMessage());
        assertThrows(UncheckedIOException.class, () -> FilterRules.receive(input("05000000" + "2d20"), 32, false));
    }

    /** 300 rules of 4,000 bytes pass --max-alloc=1M as they arrive: the list is refused, not held. */
    @Test
    void aListOverMaxAllocIsRefusedWithRsyncsWording() {
        String[] rules = new String[300];
        java.util.Arrays.fill(rules, "- " + "x".repeat(4000));
        ProtocolInput in = input(hex(list(rules)));
        in.setMaxAlloc(new MaxAlloc(MaxAlloc.MIN_LIMIT, null));
        AllocationRefused e = assertThrows(AllocationRefused.class, () -> FilterRules.receive(in, 32, false));
        assertEquals("[server] exceeded --max-alloc=1048576 setting (filter list)", e.getMessage());
    }

    /** The frame may be 5119 bytes, but as in rsync a pattern of MAXPATHLEN (4096) or more is dropped. */
    @Test
    void overLongPatternsAreDiscardedNotFatal() {
        String longest = "x".repeat(RuleListCodec.MAX_RULE_BYTES - 1 - 2);
        assertEquals(0, FilterRules.receive(input(hex(list("- " + longest))), 32, false).rules().size());
        String kept = "x".repeat(RuleParser.MAX_PATTERN - 1);
        assertEquals(1, FilterRules.receive(input(hex(list("- " + kept, "- " + kept + "y"))), 32, false)
                .rules().size());
    }

    private static void assertProtocolError(String hex, String detail) {
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> FilterRules.receive(input(hex), 32, false));
        assertTrue(e.getMessage().contains(detail), e.getMessage());
    }

    private static void assertEncodes(String expectedHex, int protocol, boolean amSender, boolean deleteExcluded,
                                      FilterArg... args) {
        FilterRules rules = FilterRules.fromArgs(List.of(args), deleteExcluded);
        assertEquals(expectedHex, HexFormat.of().formatHex(rules.encode(protocol, amSender, deleteExcluded)));
    }

    private static List<String> received(String hex, int protocol, boolean deleteExcluded) {
        return FilterRules.receive(input(hex), protocol, deleteExcluded).rules().stream()
                .map(FilterRule::toString).toList();
    }

    private static ProtocolInput input(String hex) {
        return new ProtocolInput(new ByteArrayInputStream(HexFormat.of().parseHex(hex)), 32);
    }

    private static byte[] list(String... rules) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String r : rules) {
            byte[] b = r.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(le(b.length));
            out.writeBytes(b);
        }
        out.writeBytes(le(0));
        return out.toByteArray();
    }

    private static byte[] le(int v) {
        return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    private static FilterArg filter(String rule) {
        return new FilterArg(Kind.FILTER, rule);
    }

    private static FilterArg exclude(String pattern) {
        return new FilterArg(Kind.EXCLUDE, pattern);
    }

    private static FilterArg include(String pattern) {
        return new FilterArg(Kind.INCLUDE, pattern);
    }
}
