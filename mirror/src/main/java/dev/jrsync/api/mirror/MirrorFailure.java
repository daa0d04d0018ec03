package dev.jrsync.api.mirror;

import java.time.Duration;

/**
 * A transfer of a mirror that failed; its changes are kept and tried again.
 *
 * @param target  the destination, as the spec names it
 * @param what    the transfer: {@code "full sync"}, or {@code "sync of N path(s)"}
 * @param why     the error, as rsync would print it
 * @param pending changes kept for the retry
 * @param retryIn when the next attempt starts
 */
public record MirrorFailure(String target, String what, String why, int pending, Duration retryIn) {
    /** The failure as one line: "sync of 3 path(s) failed: connection refused". */
    @Override
    public String toString() {
        return what + " failed: " + why;
    }
}
