package dev.jrsync.filter;

/** The short prefix that names a rule's kind and modifiers on the wire ({@code rsync/exclude.c:get_rule_prefix}). */
final class RulePrefix {
    private RulePrefix() {}

    /** Every modifier, as a local listing shows it. */
    static String forDisplay(FilterRule rule) {
        return build(rule, 32, false, false, false);
    }

    /**
     * The prefix a peer speaking {@code protocol} understands, or null when the rule cannot be expressed
     * to it ("too modern"). Before protocol 29 only a bare "+ " or "- " (or nothing) exists.
     */
    static String forTransfer(FilterRule rule, int protocol, boolean amSender, boolean deleteExcluded) {
        return build(rule, protocol, true, amSender, deleteExcluded);
    }

    private static String build(FilterRule rule, int protocol, boolean forXfer, boolean amSender,
                                boolean deleteExcluded) {
        boolean bare = forXfer && protocol < 29;
        int legal = bare ? 1 : Integer.MAX_VALUE;
        StringBuilder b = new StringBuilder();
        byte[] pat = rule.patternBytes();
        if (rule.has(FilterRule.PERDIR_MERGE)) {
            if (bare) {
                return null;
            }
            b.append(':');
        } else if (rule.has(FilterRule.INCLUDE)) {
            b.append('+');
        } else if (!bare || (pat.length > 1 && (pat[0] == '-' || pat[0] == '+') && pat[1] == ' ')) {
            b.append('-'); // an old-style peer needs the "- " only when the pattern itself looks like a prefix
        } else {
            legal = 0;
        }
        if (rule.has(FilterRule.ABS_PATH)) {
            b.append('/');
        }
        if (rule.has(FilterRule.NEGATE)) {
            b.append('!');
        }
        if (rule.has(FilterRule.CVS_IGNORE)) {
            b.append('C'); // which stands for the next three
        } else {
            if (rule.has(FilterRule.NO_INHERIT)) {
                b.append('n');
            }
            if (rule.has(FilterRule.WORD_SPLIT)) {
                b.append('w');
            }
            if (rule.has(FilterRule.NO_PREFIXES)) {
                b.append(rule.has(FilterRule.INCLUDE) ? '+' : '-');
            }
        }
        if (rule.has(FilterRule.EXCLUDE_SELF)) {
            b.append('e');
        }
        if (rule.has(FilterRule.XATTR)) {
            b.append('x');
        }
        if (rule.has(FilterRule.SENDER_SIDE) && (!forXfer || protocol >= 29)) {
            b.append('s');
        }
        if (rule.has(FilterRule.RECEIVER_SIDE) && (!forXfer || protocol >= 29 || (deleteExcluded && amSender))) {
            b.append('r');
        }
        if (rule.has(FilterRule.PERISHABLE)) {
            if (!forXfer || protocol >= 30) {
                b.append('p');
            } else if (amSender) {
                return null; // the receiver would otherwise protect what the sender means to let go
            }
        }
        if (b.length() > legal) {
            return null;
        }
        if (legal > 0) {
            b.append(' ');
        }
        return b.toString();
    }
}
