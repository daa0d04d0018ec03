package dev.jrsync.api.mirror;

import dev.jrsync.mirror.MirrorEvents;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** One destination's events kept as its status and passed on to the user's listener. */
final class StatusTracker implements MirrorEvents {
    private final String target;
    private final MirrorListener listener;
    private MirrorStatus.State state = MirrorStatus.State.STARTING;
    private Instant lastBatch;
    private Duration lag = Duration.ZERO;
    private String lastError;
    private long batches;

    StatusTracker(String target, MirrorListener listener) {
        this.target = target;
        this.listener = listener;
    }

    synchronized MirrorStatus status(int pending) {
        return new MirrorStatus(target, state, Optional.ofNullable(lastBatch), lag, pending,
                Optional.ofNullable(lastError), batches);
    }

    @Override
    public synchronized void fullSyncStarted() {
        state = MirrorStatus.State.SYNCING;
    }

    @Override
    public void fullSync(long sent, long millis) {
        synchronized (this) {
            state = MirrorStatus.State.WATCHING;
        }
        listener.fullSyncDone(target, Duration.ofMillis(millis), sent);
    }

    @Override
    public void watching(Path root, int watches, int entries) {
        synchronized (this) {
            state = MirrorStatus.State.WATCHING;
        }
        listener.watching(target, root, watches, entries);
    }

    @Override
    public void inFlight(int paths, int queued) {
        synchronized (this) {
            state = MirrorStatus.State.SYNCING;
        }
        listener.batchStarted(target, paths, queued);
    }

    @Override
    public void synced(Set<String> paths, long sent, long changed, int queued, long lagNanos) {
        MirrorBatch batch = new MirrorBatch(target, new TreeSet<>(paths).stream().toList(), sent, changed,
                Duration.ofNanos(lagNanos), queued);
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
        MirrorFailure failure = new MirrorFailure(target, what, why, queued, Duration.ofMillis(retryMillis));
        synchronized (this) {
            state = MirrorStatus.State.RETRYING;
            lastError = failure.toString();
        }
        listener.failed(failure);
    }

    /** The mirror ended; {@code failure} is why when it did not stop as asked. */
    void ended(String failure, int pending) {
        MirrorStatus last;
        synchronized (this) {
            state = MirrorStatus.State.STOPPED;
            if (failure != null) {
                lastError = failure;
            }
            last = status(pending);
        }
        listener.stopped(last, Optional.ofNullable(failure));
    }
}
