package dev.jrsync.api.mirror;

import java.time.Duration;
import java.util.List;

/**
 * One batch of changes that reached a destination.
 *
 * @param target       the destination, as the spec names it
 * @param paths        the changed paths, relative to the source folder, sorted
 * @param bytesSent    bytes the batch's transfers wrote to the destination
 * @param bytesChanged bytes of the changed files (what a full copy of them would send)
 * @param latency      from the batch's oldest change to its arrival at the destination
 * @param queued       changed paths that came in meanwhile, for the next batch
 */
public record MirrorBatch(String target, List<String> paths, long bytesSent, long bytesChanged, Duration latency,
                          int queued) {
    public MirrorBatch {
        paths = List.copyOf(paths);
    }
}
