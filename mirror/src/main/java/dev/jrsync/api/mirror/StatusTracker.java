package dev.jrsync.api.mirror;

import dev.jrsync.mirror.MirrorEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** A mirror's events kept as its status and passed on to the user's listener. */
final class StatusTracker implements MirrorEvents {
    private final MirrorListener listener;
    private MirrorStatus.State state = MirrorStatus.State.STARTING;
    private boolean initialSyncDone;
    private Instant lastBatch;
    private Duration lag = Duration.ZERO;
    private String lastError;
    private long batches;

    StatusTracker(MirrorListener listener) {
        this.listener = listener;
    }

    synchronized MirrorStatus status(int pending) {
        return new MirrorStatus(state, Optional.ofNullable(lastBatch), lag, pending, Optional.ofNullable(lastError),
                batches);
    }

    @Override
    public synchronized void fullSyncStarted() {
        state = MirrorStatus.State.SYNCING;
    }

    @Override
    public void fullSync(long sent, long millis) {
        boolean first;
        synchronized (this) {
            state = MirrorStatus.State.WATCHING;
            first = !initialSyncDone;
            initialSyncDone = true;
        }
        if (first) {
            listener.initialSyncDone(Duration.ofMillis(millis), sent);
        }
    }

    @Override
    public synchronized void inFlight(int paths, int queued) {
        state = MirrorStatus.State.SYNCING;
    }

    @Override
    public void synced(Set<String> paths, long sent, long changed, int queued, long lagNanos) {
        MirrorBatch batch = new MirrorBatch(new TreeSet<>(paths).stream().toList(), sent, changed,
                Duration.ofNanos(lagNanos));
        synchronized (this) {
            state = MirrorStatus.State.WATCHING;
            lastBatch = Instant.now();
            lag = batch.latency();
            batches++;
        }
        listener.batchSent(batch);
    }

    @Override
    public void failed(String what, String why, int queued, long retryMillis) {
        String error = what + " failed: " + why;
        synchronized (this) {
            state = MirrorStatus.State.RETRYING;
            lastError = error;
        }
        listener.error(error, Duration.ofMillis(retryMillis));
    }

    /** The mirror's thread ended; {@code failure} is why when it did not stop as asked. */
    void ended(String failure, int pending) {
        MirrorStatus last;
        synchronized (this) {
            state = MirrorStatus.State.STOPPED;
            if (failure != null) {
                lastError = failure;
            }
            last = status(pending);
        }
        listener.stopped(last);
    }
}
