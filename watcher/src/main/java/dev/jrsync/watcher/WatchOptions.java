package dev.jrsync.watcher;

import dev.jrsync.watcher.tree.PathFilter;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Options of a {@link TreeWatcher}: the path filter (inotifywait's exclude/include regex on the path relative to
 * the root's parent spelling, see {@link PathFilter}), how long a rename's halves may be apart, how often
 * directories without a watch are rescanned, and where warnings (limits, unreadable directories) go.
 */
public record WatchOptions(PathFilter filter, Duration moveWindow, Duration rescanInterval, Consumer<String> warnings) {
    public static WatchOptions defaults() {
        return new WatchOptions(PathFilter.none(), Duration.ofMillis(100), Duration.ofSeconds(2),
                msg -> System.err.println("jrsync: " + msg));
    }

    public WatchOptions withFilter(PathFilter f) {
        return new WatchOptions(f, moveWindow, rescanInterval, warnings);
    }

    public WatchOptions withWarnings(Consumer<String> w) {
        return new WatchOptions(filter, moveWindow, rescanInterval, w);
    }

    public WatchOptions withRescanInterval(Duration d) {
        return new WatchOptions(filter, moveWindow, d, warnings);
    }
}
