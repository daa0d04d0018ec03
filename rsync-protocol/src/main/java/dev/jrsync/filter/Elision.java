package dev.jrsync.filter;

/**
 * Which end a top-level rule belongs to ({@code rsync/exclude.c:send_rules}' elide values): the client
 * keeps rules for its own side to itself and sends the rest; a rule for the other side only is sent
 * but not applied locally.
 */
enum Elision {
    /** Applies on both sides: sent and applied. */
    NONE,
    /** Only for this side: applied, never sent. */
    LOCAL,
    /** Only for the peer: sent, not applied here. */
    REMOTE;

    static Elision of(FilterRule rule, boolean amSender, boolean deleteExcluded) {
        Elision e = NONE;
        if (rule.has(FilterRule.SENDER_SIDE)) {
            e = amSender ? LOCAL : REMOTE;
        }
        if (rule.has(FilterRule.RECEIVER_SIDE)) {
            e = e != NONE ? NONE : amSender ? REMOTE : LOCAL;
        } else if (deleteExcluded && e == NONE
                && (!rule.has(FilterRule.PERDIR_MERGE) || rule.has(FilterRule.NO_PREFIXES))) {
            // --delete-excluded: plain include/exclude rules (and merge files that can hold only those)
            // steer the sender alone, so the receiver deletes what they leave out.
            e = amSender ? LOCAL : REMOTE;
        }
        return e;
    }
}
