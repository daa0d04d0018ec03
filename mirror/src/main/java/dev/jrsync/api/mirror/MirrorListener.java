package dev.jrsync.api.mirror;

import dev.jrsync.api.TransferListener;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a running mirror reports, on the thread of the destination concerned: implementations must be quick, and
 * safe to call from several threads when the mirror has several destinations. Each event about a destination
 * names it as the spec does ({@link MirrorSpec#destinations}). Besides its own events, it hears those of every
 * transfer the mirror runs (items, deletions, progress, messages), as a {@link TransferListener} does. Every
 * method does nothing by default.
 */
public interface MirrorListener extends TransferListener {
    /** A listener that ignores everything. */
    MirrorListener NONE = new MirrorListener() {};

    /**
     * Who hears the transfers to {@code target} (their items, deletions, progress and messages): this listener,
     * for every destination alike, unless it returns one of its own for each.
     */
    default TransferListener transfersTo(String target) {
        return this;
    }

    /**
     * A transfer of the whole tree to {@code target} is done: the first one, at the start, or one after the watch
     * lost events and too many paths differed to send them one by one.
     *
     * @param target    the destination
     * @param elapsed   how long it took
     * @param bytesSent bytes it wrote to the destination
     */
    default void fullSyncDone(String target, java.time.Duration elapsed, long bytesSent) {
    }

    /**
     * The first full transfer to {@code target} is done and the watches are in place: from now on changes go to
     * it in batches.
     *
     * @param target  the destination
     * @param root    the source folder
     * @param watches directories watched
     * @param entries files, links and directories below the source folder
     */
    default void watching(String target, Path root, int watches, int entries) {
    }

    /**
     * A batch of {@code paths} changed paths starts to go to {@code target}; {@code queued} more wait for the next
     * one.
     */
    default void batchStarted(String target, int paths, int queued) {
    }

    /** A batch of changes reached the destination. */
    default void batchSent(MirrorBatch batch) {
    }

    /** A transfer failed (the destination away, refusing, ...); the changes are kept and tried again. */
    default void failed(MirrorFailure failure) {
    }

    /**
     * The mirror stopped: closed, or failed beyond retrying; heard once for each destination.
     *
     * @param status  the destination's last status
     * @param failure why it stopped, when it was not closed (the source cannot be watched, ...)
     */
    default void stopped(MirrorStatus status, Optional<String> failure) {
    }
}
