package dev.jrsync.watcher;

import dev.jrsync.watcher.tree.PathFilter;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Options of a {@link TreeWatcher}: the path filter (inotifywait's exclude/include regex on the path relative to
 * the root's parent spelling, see {@link PathFilter}), how long a rename's halves may be apart, how often
 * directories without a watch are rescanned, where warnings (limits, unreadable directories) go, and which kernel
 * interface watches.
 */
public record WatchOptions(PathFilter filter, Duration moveWindow, Duration rescanInterval, Consumer<String> warnings,
                           Backend backend) {
    /** Which kernel interface watches the tree. */
    public enum Backend {
        /** One watch per directory; works for every user, bounded by fs.inotify.max_user_watches. */
        INOTIFY,
        /**
         * One fanotify mark for the root's filesystem, whatever the tree's size (Linux 5.17+, CAP_SYS_ADMIN); inotify,
         * with a warning, where that is not possible.
         */
        FANOTIFY,
        /** fanotify where it is possible, else inotify, without a warning. */
        AUTO;

        /** The backend named as {@code --watch-backend} spells it (inotify, fanotify, auto). */
        public static Backend named(String name) {
            return switch (name) {
                case "inotify" -> INOTIFY;
                case "fanotify" -> FANOTIFY;
                case "auto" -> AUTO;
                default -> throw new IllegalArgumentException("unknown watch backend " + name
                        + " (inotify, fanotify or auto)");
            };
        }
    }

    public static WatchOptions defaults() {
        return new WatchOptions(PathFilter.none(), Duration.ofMillis(100), Duration.ofSeconds(2),
                msg -> System.err.println("jrsync: " + msg), Backend.INOTIFY);
    }

    public WatchOptions withFilter(PathFilter f) {
        return new WatchOptions(f, moveWindow, rescanInterval, warnings, backend);
    }

    public WatchOptions withWarnings(Consumer<String> w) {
        return new WatchOptions(filter, moveWindow, rescanInterval, w, backend);
    }

    public WatchOptions withRescanInterval(Duration d) {
        return new WatchOptions(filter, moveWindow, d, warnings, backend);
    }

    public WatchOptions withBackend(Backend b) {
        return new WatchOptions(filter, moveWindow, rescanInterval, warnings, b);
    }
}
