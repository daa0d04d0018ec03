package dev.jrsync.watcher.tree;

import java.util.function.Consumer;

/**
 * How a {@link WatchEngine} watches: the inotify mask, whether to watch the tree below the roots, whether to
 * watch directories that appear later (inotifywait does so only with -m), the path filter, how long
 * a MOVED_FROM waits for its MOVED_TO, how often unwatched directories are rescanned, and where warnings go.
 */
public record EngineOptions(int mask, boolean recursive, boolean followNew, PathFilter filter, long moveWindowNanos,
                            long rescanIntervalNanos, Consumer<String> warnings) {
    public static final long DEFAULT_MOVE_WINDOW_NANOS = 100_000_000L;
    public static final long DEFAULT_RESCAN_NANOS = 2_000_000_000L;

    public EngineOptions {
        if (filter == null || warnings == null) {
            throw new IllegalArgumentException("filter and warnings are required");
        }
    }
}
