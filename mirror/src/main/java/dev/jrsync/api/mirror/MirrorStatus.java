package dev.jrsync.api.mirror;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A mirror's state at one moment, for one of its destinations.
 *
 * @param target    the destination, as the spec names it
 * @param state     what it is doing
 * @param lastBatch when the last batch of changes arrived; empty before the first
 * @param lag       the last batch's latency, from its oldest change to its arrival; zero before the first
 * @param pending   changes seen and not yet sent
 * @param lastError the last failure, kept after a retry succeeds; empty when there was none
 * @param batches   batches sent since the start
 */
public record MirrorStatus(String target, State state, Optional<Instant> lastBatch, Duration lag, int pending,
                           Optional<String> lastError, long batches) {
    /** What a mirror is doing. */
    public enum State {
        /** putting its watches in place */
        STARTING,
        /** sending the whole tree (at first) or a batch of changes */
        SYNCING,
        /** waiting for changes */
        WATCHING,
        /** waiting to try again after a failure, the changes kept */
        RETRYING,
        /** stopped: closed, or failed beyond retrying (then {@link #lastError} says why) */
        STOPPED
    }
}
