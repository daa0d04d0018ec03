package dev.jrsync.wire;

/**
 * A buffer the peer's data would need is over {@code --max-alloc} or over the process's memory budget.
 * Ends the session with exit code 22 ({@code RERR_MALLOC}), as rsync's {@code my_alloc} does; the
 * message is rsync's wording, ready to print or to send as MSG_ERROR.
 */
public final class AllocationRefused extends RuntimeException {
    public AllocationRefused(String message) {
        super(message);
    }
}
