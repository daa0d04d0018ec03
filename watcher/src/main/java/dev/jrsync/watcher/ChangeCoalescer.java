package dev.jrsync.watcher;

import dev.jrsync.core.PathBytes;
import dev.jrsync.watcher.inotify.EventKind;
import dev.jrsync.watcher.tree.PathFilter;
import dev.jrsync.watcher.tree.TreeEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns resolved inotify events into path-level changes: MODIFY becomes WRITTEN (repeats in a batch reported
 * once), CLOSE_WRITE becomes MODIFIED (content complete),
 * MOVED_FROM/MOVED_TO with one cookie become one MOVED, a MOVED_FROM left unpaired past the window becomes
 * DELETED (it left the tree), an unpaired MOVED_TO becomes CREATED, overflow becomes RESCAN_NEEDED, and repeats
 * of one change to one path inside a batch are reported once.
 */
final class ChangeCoalescer {
    private record Half(Path path, boolean directory, long deadline) {}

    private final String rootPrefix;
    private final PathFilter filter;
    private final long windowNanos;
    private final Map<Integer, Half> movedFrom = new LinkedHashMap<>();
    private final List<PathChange> batch = new ArrayList<>();

    ChangeCoalescer(String rootPrefix, PathFilter filter, long windowNanos) {
        this.rootPrefix = rootPrefix;
        this.filter = filter;
        this.windowNanos = windowNanos;
    }

    void accept(TreeEvent e, long nowNanos) {
        if (e.is(EventKind.Q_OVERFLOW)) {
            add(PathChange.of(PathChange.Kind.RESCAN_NEEDED, Path.of(""), true));
            return;
        }
        if (e.watchPath().isEmpty() || e.name().isEmpty() || filter.rejects(e.path())) {
            // Events on a watch itself are repeated, with a name, by its parent's watch (the root's are moot).
            return;
        }
        Path path = relative(e.path());
        boolean dir = e.isDir();
        if (e.is(EventKind.CREATE)) {
            add(PathChange.of(PathChange.Kind.CREATED, path, dir));
        } else if (e.is(EventKind.MODIFY)) {
            add(PathChange.of(PathChange.Kind.WRITTEN, path, dir));
        } else if (e.is(EventKind.CLOSE_WRITE)) {
            add(PathChange.of(PathChange.Kind.MODIFIED, path, dir));
        } else if (e.is(EventKind.ATTRIB)) {
            add(PathChange.of(PathChange.Kind.ATTRIBUTES, path, dir));
        } else if (e.is(EventKind.DELETE)) {
            add(PathChange.of(PathChange.Kind.DELETED, path, dir));
        } else if (e.is(EventKind.MOVED_FROM)) {
            movedFrom.put(e.cookie(), new Half(path, dir, nowNanos + windowNanos));
        } else if (e.is(EventKind.MOVED_TO)) {
            Half from = movedFrom.remove(e.cookie());
            add(from == null ? PathChange.of(PathChange.Kind.CREATED, path, dir)
                    : new PathChange(PathChange.Kind.MOVED, path, from.path(), dir));
        }
    }

    /** Ends move windows that have passed: those entries left the tree. */
    void tick(long nowNanos) {
        movedFrom.values().removeIf(h -> {
            boolean expired = nowNanos - h.deadline() >= 0;
            if (expired) {
                add(PathChange.of(PathChange.Kind.DELETED, h.path(), h.directory()));
            }
            return expired;
        });
    }

    boolean hasPending() {
        return !movedFrom.isEmpty();
    }

    /**
     * The changes gathered since the last call, in order, a change equal to the previous one for its path dropped,
     * and WRITTEN reported once per path until another change to it (a writer's many small writes are one change,
     * but a write after a close means the file is open again).
     */
    List<PathChange> drain() {
        List<PathChange> out = new ArrayList<>(batch.size());
        Map<Path, PathChange> last = new HashMap<>();
        Set<Path> written = new HashSet<>();
        for (PathChange c : batch) {
            boolean repeat;
            if (c.kind() == PathChange.Kind.WRITTEN) {
                repeat = !written.add(c.path());
            } else {
                repeat = c.equals(last.get(c.path()));
                written.remove(c.path());
            }
            last.put(c.path(), c);
            if (!repeat) {
                out.add(c);
            }
        }
        batch.clear();
        return out;
    }

    private void add(PathChange c) {
        batch.add(c);
    }

    private Path relative(String full) {
        return PathBytes.path(full.startsWith(rootPrefix) ? full.substring(rootPrefix.length()) : full);
    }
}
