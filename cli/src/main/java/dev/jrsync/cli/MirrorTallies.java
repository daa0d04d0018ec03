package dev.jrsync.cli;

import dev.jrsync.api.mirror.MirrorBatch;
import dev.jrsync.api.mirror.MirrorFailure;
import dev.jrsync.api.mirror.MirrorListener;
import dev.jrsync.api.mirror.MirrorStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;

/**
 * A mirror's events, each passed to the {@link MirrorTally} of the destination it names. rsync has no
 * counterpart (one rsync run has one destination).
 */
final class MirrorTallies implements MirrorListener {
    private final Map<String, MirrorTally> tallies = new LinkedHashMap<>();

    /**
     * @param targets  the mirror's destinations, as its spec names them
     * @param lagNanos each target's hearer of its batches' lags
     */
    MirrorTallies(List<String> targets, Function<String, LongConsumer> lagNanos) {
        for (String target : targets) {
            tallies.put(target, new MirrorTally(target, lagNanos.apply(target)));
        }
    }

    /** The tallies, in the order of the destinations. */
    List<MirrorTally> all() {
        return List.copyOf(tallies.values());
    }

    /** The SIGUSR1 lines, one for each of {@code statuses} (the mirror's, one per destination). */
    String lines(List<MirrorStatus> statuses) {
        return statuses.stream().map(s -> tallies.get(s.target()).line(s)).collect(Collectors.joining("\n"));
    }

    @Override
    public void fullSyncDone(String target, Duration elapsed, long bytesSent) {
        tallies.get(target).fullSyncDone(bytesSent);
    }

    @Override
    public void watching(String target, Path root, int watches, int entries) {
        tallies.get(target).watching(watches);
    }

    @Override
    public void batchStarted(String target, int paths, int queued) {
        tallies.get(target).batchStarted(paths);
    }

    @Override
    public void batchSent(MirrorBatch batch) {
        tallies.get(batch.target()).batchSent(batch);
    }

    @Override
    public void failed(MirrorFailure failure) {
        tallies.get(failure.target()).failed(failure);
    }
}
