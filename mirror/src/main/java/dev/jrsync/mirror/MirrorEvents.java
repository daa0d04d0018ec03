package dev.jrsync.mirror;

import java.nio.file.Path;
import java.util.Set;

/**
 * What a running {@link LiveMirror} reports, on its own thread: the command line prints lines for these
 * (through the mirror handle's listener), the mirror handle keeps them as its status.
 */
public interface MirrorEvents {
    /** A transfer of the whole tree starts: the first one, or one after too many lost events. */
    default void fullSyncStarted() {
    }

    /** The whole tree went over: {@code sent} bytes in {@code millis}. */
    default void fullSync(long sent, long millis) {
    }

    /** The first full sync is done and the watches are in place. */
    default void watching(Path root, int watches, int entries) {
    }

    /** A batch of {@code paths} changed paths starts to go over; {@code queued} more wait. */
    default void inFlight(int paths, int queued) {
    }

    /**
     * A batch went over.
     *
     * @param paths    the changed paths, relative to the source directory
     * @param sent     bytes sent for it
     * @param changed  bytes of the changed files
     * @param queued   paths that came in meanwhile
     * @param lagNanos from the batch's oldest change to its arrival
     */
    default void synced(Set<String> paths, long sent, long changed, int queued, long lagNanos) {
    }

    /** A transfer ({@code what}) failed ({@code why}); the changes are kept and tried again in {@code retryMillis}. */
    default void failed(String what, String why, int queued, long retryMillis) {
    }

    /** The mirror stopped as it was asked to, {@code unsynced} changes not sent. */
    default void stopped(int unsynced) {
    }
}
