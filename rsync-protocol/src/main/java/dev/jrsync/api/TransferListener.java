package dev.jrsync.api;

/**
 * What a running transfer reports, on the threads that run it: implementations must be quick and thread-safe
 * (a pull reports items from its generator and receiver threads). Every method does nothing by default.
 */
public interface TransferListener {
    /** A listener that ignores everything. */
    TransferListener NONE = new TransferListener() {};

    /** A file the transfer created, updated or found changed in some attribute; every one, whatever the verbosity. */
    default void item(FileItem item) {
    }

    /** A file being sent or received has started or is done. */
    default void progress(FileProgress progress) {
    }

    /** An entry of a listing: a spec without a destination, or with {@code --list-only}. */
    default void listed(ListedFile file) {
    }

    /** A name {@code --delete} removed from the destination (a directory's ends in "/"). */
    default void deleted(String name) {
    }

    /**
     * A line of text: the daemon's greeting, a warning, an error from either side, and last, for a transfer that
     * failed, the error that ended it (the outcome's {@link TransferOutcome#error()}).
     */
    default void message(Message message) {
    }
}
