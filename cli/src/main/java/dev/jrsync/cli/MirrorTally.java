package dev.jrsync.cli;

import dev.jrsync.api.mirror.MirrorBatch;
import dev.jrsync.api.mirror.MirrorFailure;
import dev.jrsync.api.mirror.MirrorStatus;
import java.time.Instant;
import java.util.Locale;
import java.util.function.LongConsumer;

/**
 * One target's running numbers, kept from its events ({@link MirrorTallies} passes them on): what the SIGUSR1 line
 * prints and what {@code --metrics} serves. rsync has no counterpart; its nearest is the totals
 * {@code main.c:output_summary} prints at the end of a run, which a mirror never reaches. The target's thread is
 * the only writer of its numbers; the signal's and the endpoint's threads read them, hence volatile fields
 * without locks.
 */
final class MirrorTally {
    /** The last failure: its line and when it came. */
    record LastError(String message, Instant at) {}

    private final String target;
    private final LongConsumer lagNanos;
    private volatile long batches;
    private volatile long fullSyncs;
    private volatile long bytesSent;
    private volatile long bytesSaved;
    private volatile long retries;
    private volatile int watches;
    private volatile int inFlight;
    private volatile LastError lastError;

    /**
     * @param target   the destination as the command line gave it
     * @param lagNanos hears each batch's lag, from its oldest change to its arrival
     */
    MirrorTally(String target, LongConsumer lagNanos) {
        this.target = target;
        this.lagNanos = lagNanos;
    }

    String target() {
        return target;
    }

    long batches() {
        return batches;
    }

    long fullSyncs() {
        return fullSyncs;
    }

    /** Bytes written to the target by full syncs and batches alike. */
    long bytesSent() {
        return bytesSent;
    }

    /**
     * Bytes the batches' changed files hold beyond what was sent for them: what deltas, renames and moves spared.
     * A batch that sent more than it changed (new small files, a file list's overhead) saves nothing, so the sum
     * only grows.
     */
    long bytesSaved() {
        return bytesSaved;
    }

    /** Failed transfers, each followed by a retry. */
    long retries() {
        return retries;
    }

    int watches() {
        return watches;
    }

    /** Paths of the batch going over now; none between batches. */
    int inFlight() {
        return inFlight;
    }

    /** The last failure; null when there was none. */
    LastError lastError() {
        return lastError;
    }

    void fullSyncDone(long sent) {
        fullSyncs++;
        bytesSent += sent;
    }

    void watching(int count) {
        watches = count;
    }

    void batchStarted(int paths) {
        inFlight = paths;
    }

    void batchSent(MirrorBatch batch) {
        inFlight = 0;
        batches++;
        bytesSent += batch.bytesSent();
        bytesSaved += Math.max(0, batch.bytesChanged() - batch.bytesSent());
        lagNanos.accept(batch.latency().toNanos());
    }

    void failed(MirrorFailure failure) {
        inFlight = 0;
        retries++;
        lastError = new LastError(failure.toString(), Instant.now());
    }

    /** The one line SIGUSR1 prints for this target, {@code status} its mirror's status now. */
    String line(MirrorStatus status) {
        LastError error = lastError;
        return String.format(Locale.ROOT, "jrsync: mirror to %s: %s, %d pending, %d in flight, last batch lag %.1f ms,"
                + " %d batch(es), %d full sync(s), %d bytes sent, %d failure(s)%s, %d watches", target,
                status.state().name().toLowerCase(Locale.ROOT), status.pending(), inFlight,
                status.lag().toNanos() / 1e6, batches, fullSyncs, bytesSent, retries,
                error == null ? "" : " (last: " + error.message() + ")", watches);
    }
}
