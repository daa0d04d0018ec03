package dev.jrsync.filter;

/** Which end of a transfer applies a set of rules: the sender's scan or the receiver's deletions. */
public enum FilterSide {
    SENDER,
    RECEIVER;

    /** The rule flag of the other side: a rule carrying only that one does not apply here. */
    int otherSideFlag() {
        return this == SENDER ? FilterRule.RECEIVER_SIDE : FilterRule.SENDER_SIDE;
    }
}
