package dev.jrsync.api.mirror;

import dev.jrsync.api.Message;
import java.time.Duration;

/**
 * What a running mirror reports, on its own thread: implementations must be quick. Every method does nothing
 * by default.
 */
public interface MirrorListener {
    /** A listener that ignores everything. */
    MirrorListener NONE = new MirrorListener() {};

    /** The first transfer of the whole tree is done; changes from now on go in batches. */
    default void initialSyncDone(Duration elapsed, long bytesSent) {
    }

    /** A batch of changes reached the destination. */
    default void batchSent(MirrorBatch batch) {
    }

    /** A transfer failed (the destination away, refusing, ...); the changes are kept and tried again. */
    default void error(String error, Duration retryIn) {
    }

    /** A line of text: a warning, an error from the destination, a watch overflow. */
    default void message(Message message) {
    }

    /** The mirror stopped: closed, or failed beyond retrying ({@code status.lastError()} says why). */
    default void stopped(MirrorStatus status) {
    }
}
