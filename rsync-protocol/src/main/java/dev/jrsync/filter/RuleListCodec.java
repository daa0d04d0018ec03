package dev.jrsync.filter;

import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import dev.jrsync.wire.ProtocolException;
import dev.jrsync.wire.ProtocolInput;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The filter list on the wire ({@code rsync/exclude.c:send_rules}, {@code recv_filter_list}): each rule
 * as a 4-byte little-endian length and that many bytes of {@code <prefix><pattern>[/]}, ended by a
 * zero length.
 */
final class RuleListCodec {
    private RuleListCodec() {}

    /** rsync refuses a received rule this long or longer (its BIGPATHBUFLEN line buffer). */
    static final int MAX_RULE_BYTES = 5120;
    /** rsync has no count limit; this bound keeps a hostile list from exhausting memory. */
    static final int DEFAULT_MAX_RULES = 100_000;
    /** About what a received rule costs beside its text: the array, the parsed rule and the list's reference. */
    private static final int RULE_OVERHEAD = 16 + 64 + 4;

    /**
     * The whole list as the client sends it, terminator included. Rules for the client's own side stay
     * behind. Throws (exit code 2) when a rule cannot be expressed in {@code protocol}.
     */
    // rsync/exclude.c:send_rules + send_filter_list's terminator
    static byte[] encode(List<FilterRule> rules, int protocol, boolean amSender, boolean deleteExcluded) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, rules, protocol, amSender, deleteExcluded);
        writeInt(out, 0);
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, List<FilterRule> rules, int protocol, boolean amSender,
                              boolean deleteExcluded) {
        for (FilterRule rule : rules) {
            if (Elision.of(rule, amSender, deleteExcluded) == Elision.LOCAL) {
                continue;
            }
            if (rule.has(FilterRule.CVS_IGNORE) && !rule.has(FilterRule.MERGE_FILE) && (amSender || protocol < 29)) {
                // a sending client's "-C" is its own list: the receiver protects what the sender left out
                write(out, CvsIgnore.rules(protocol), protocol, amSender, deleteExcluded);
                continue;
            }
            String prefix = RulePrefix.forTransfer(rule, protocol, amSender, deleteExcluded);
            if (prefix == null) {
                throw new RsyncException(ExitCode.PROTOCOL_INCOMPATIBLE,
                        "filter rules are too modern for remote rsync (protocol " + protocol + "): " + rule);
            }
            byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
            byte[] pat = rule.patternBytes();
            int dir = rule.has(FilterRule.DIRECTORY) ? 1 : 0;
            int len = p.length + pat.length + dir;
            if (len == 0) {
                continue;
            }
            writeInt(out, len);
            out.writeBytes(p);
            out.writeBytes(pat);
            if (dir == 1) {
                out.write('/');
            }
        }
    }

    /** The rule texts of a received list, up to its terminator, checked against the bounds. */
    // rsync/exclude.c:recv_filter_list (the reading half)
    static List<byte[]> read(ProtocolInput in, int maxRules) {
        List<byte[]> texts = new ArrayList<>();
        long listBytes = 0;
        while (true) {
            int len = in.readInt();
            if (len == 0) {
                return texts;
            }
            if (len < 0 || len >= MAX_RULE_BYTES) {
                throw new ProtocolException("filter rule length " + Integer.toUnsignedString(len)
                        + " out of range (the limit is " + (MAX_RULE_BYTES - 1) + " bytes)");
            }
            if (texts.size() >= maxRules) {
                throw new ProtocolException("more than " + maxRules + " filter rules received");
            }
            // the text and the rule parsed from it stay for the session: charged as the file list is
            long grown = listBytes + RULE_OVERHEAD + 2L * len;
            in.maxAlloc().grow(listBytes, grown, "server", "filter list");
            listBytes = grown;
            byte[] text = in.readBytes(len);
            for (byte b : text) {
                if (b == 0) {
                    throw new ProtocolException("filter rule contains a NUL byte");
                }
            }
            texts.add(text);
        }
    }

    private static void writeInt(ByteArrayOutputStream out, int v) {
        out.write(v);
        out.write(v >>> 8);
        out.write(v >>> 16);
        out.write(v >>> 24);
    }
}
