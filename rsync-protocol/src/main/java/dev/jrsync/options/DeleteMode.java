package dev.jrsync.options;

/**
 * When the receiver deletes extraneous files ({@code rsync/options.c}: {@code delete_before},
 * {@code delete_during} = 1 or 2, {@code delete_after}).
 */
public enum DeleteMode {
    /** {@code --delete-before}; also what plain {@code --delete} means below protocol 30. */
    BEFORE("--delete-before"),
    /** {@code --delete-during} / {@code --del}; plain {@code --delete} from protocol 30 on. */
    DURING("--delete-during"),
    /** {@code --delete-after}. */
    AFTER("--delete-after"),
    /** {@code --delete-delay}: found during the transfer, deleted after it. */
    DELAY("--delete-delay");

    private final String option;

    DeleteMode(String option) {
        this.option = option;
    }

    /** The long option that requests this mode. */
    public String option() {
        return option;
    }

    /**
     * rsync keeps BEFORE, DURING/DELAY and AFTER in three variables and refuses more than one of them set;
     * DURING and DELAY share a variable, so the later of the two silently wins.
     */
    boolean conflictsWith(DeleteMode other) {
        return slot() != other.slot();
    }

    private int slot() {
        return this == DELAY ? DURING.ordinal() : ordinal();
    }
}
