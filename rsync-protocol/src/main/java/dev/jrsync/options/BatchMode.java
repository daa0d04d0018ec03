package dev.jrsync.options;

/**
 * Batch mode as the command line asked for it ({@code rsync/options.c}: {@code write_batch}, {@code read_batch},
 * {@code batch_name}): record the sender's stream to {@code file} while transferring ({@link Kind#WRITE}), record
 * it without changing the destination ({@link Kind#ONLY_WRITE}), or replay a recorded stream ({@link Kind#READ};
 * {@code "-"} reads it from standard input).
 */
public record BatchMode(Kind kind, String file) {
    /** rsync's {@code MAX_BATCH_NAME_LEN}: the name and its ".sh" must fit a path buffer. */
    public static final int MAX_NAME_LENGTH = 256;

    public enum Kind { WRITE, ONLY_WRITE, READ }

    public boolean writes() {
        return kind != Kind.READ;
    }

    public boolean reads() {
        return kind == Kind.READ;
    }

    /** {@code --only-write-batch}: rsync's {@code write_batch < 0}. */
    public boolean only() {
        return kind == Kind.ONLY_WRITE;
    }

    /**
     * The mode after one more batch option: the last name given wins, as rsync keeps one {@code batch_name}, but a
     * write and a read together are refused whatever their order.
     */
    static BatchMode then(BatchMode before, Kind kind, String file) {
        boolean mixed = before != null && before.reads() != (kind == Kind.READ);
        if (mixed) {
            throw OptionException.syntax("--write-batch and --read-batch can not be used together");
        }
        // rsync's write_batch: --write-batch sets it to 1, --only-write-batch to -1, the later one winning
        return new BatchMode(kind, file);
    }
}
