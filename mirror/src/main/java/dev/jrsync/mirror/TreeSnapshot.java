package dev.jrsync.mirror;

import dev.jrsync.core.PathBytes;
import dev.jrsync.fs.LocalStat;
import dev.jrsync.watcher.PathChange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.LinkOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The source tree as last synced, compactly (path -> size, mtime, mode; paths as {@link PathBytes#text}, so a
 * name that is not UTF-8 stays itself): after lost events (queue overflow,
 * too many pending changes) a rescan compares the tree with it and syncs only what differs.
 */
final class TreeSnapshot {
    private record Meta(long size, long mtimeNanos, int mode) {
        static Meta of(LocalStat st) {
            return new Meta(st.isDirectory() ? 0 : st.size(), st.mtimeSeconds() * 1_000_000_000L + st.mtimeNanos(),
                    st.mode());
        }

        boolean isDirectory() {
            return (mode & LocalStat.S_IFMT) == LocalStat.S_IFDIR;
        }
    }

    private final Path root;
    private final NavigableMap<String, Meta> entries = new TreeMap<>();

    private TreeSnapshot(Path root) {
        this.root = root;
    }

    static TreeSnapshot of(Path root) {
        TreeSnapshot s = new TreeSnapshot(root);
        s.entries.putAll(scan(root, ""));
        return s;
    }

    int size() {
        return entries.size();
    }

    /** A regular file's size and mtime (in nanoseconds): what a rename keeps. */
    record FileStamp(long size, long mtimeNanos) {
        static FileStamp of(LocalStat st) {
            return new FileStamp(st.size(), st.mtimeSeconds() * 1_000_000_000L + st.mtimeNanos());
        }
    }

    /**
     * Of the regular files last synced with one of {@code stamps}, those no longer where they were, by stamp: a
     * rename keeps size and mtime, which is how a move the watcher could not pair is recognised.
     */
    Map<FileStamp, Deque<String>> goneWith(Set<FileStamp> stamps) {
        Map<FileStamp, Deque<String>> gone = new HashMap<>();
        entries.forEach((rel, m) -> {
            if ((m.mode() & LocalStat.S_IFMT) != LocalStat.S_IFREG) {
                return;
            }
            FileStamp stamp = new FileStamp(m.size(), m.mtimeNanos());
            if (stamps.contains(stamp) && !Files.exists(root.resolve(PathBytes.path(rel)), LinkOption.NOFOLLOW_LINKS)) {
                gone.computeIfAbsent(stamp, k -> new ArrayDeque<>()).add(rel);
            }
        });
        return gone;
    }

    /** Records {@code rel} as it is now: with {@code deep}, everything below it too; a missing path is removed. */
    void refresh(String rel, boolean deep) {
        LocalStat st;
        try {
            st = LocalStat.of(root.resolve(PathBytes.path(rel)));
        } catch (IOException gone) {
            entries.remove(rel);
            below(rel).clear();
            return;
        }
        if (!rel.isEmpty()) {
            entries.put(rel, Meta.of(st));
        }
        if (deep && st.isDirectory()) {
            below(rel).clear();
            entries.putAll(scan(root, rel));
        }
    }

    /** The changes that turn the snapshot into the tree as it is now, as the watcher would have reported them. */
    List<PathChange> diff() {
        Map<String, Meta> now = scan(root, "");
        List<PathChange> changes = new ArrayList<>();
        now.forEach((rel, meta) -> {
            Meta old = entries.get(rel);
            if (old == null || old.isDirectory() != meta.isDirectory()) {
                changes.add(PathChange.of(PathChange.Kind.CREATED, PathBytes.path(rel), meta.isDirectory()));
            } else if (!meta.isDirectory() && (old.size() != meta.size() || old.mtimeNanos() != meta.mtimeNanos())) {
                changes.add(PathChange.of(PathChange.Kind.MODIFIED, PathBytes.path(rel), false));
            } else if (!old.equals(meta)) {
                changes.add(PathChange.of(PathChange.Kind.ATTRIBUTES, PathBytes.path(rel), meta.isDirectory()));
            }
        });
        entries.forEach((rel, meta) -> {
            if (!now.containsKey(rel)) {
                changes.add(PathChange.of(PathChange.Kind.DELETED, PathBytes.path(rel), meta.isDirectory()));
            }
        });
        return changes;
    }

    private NavigableMap<String, Meta> below(String rel) {
        // '0' follows '/': the range holds exactly the paths under "rel/".
        return rel.isEmpty() ? entries.tailMap("", false) : entries.subMap(rel + "/", true, rel + "0", false);
    }

    private static Map<String, Meta> scan(Path root, String rel) {
        Map<String, Meta> out = new TreeMap<>();
        Path start = root.resolve(PathBytes.path(rel));
        try (Stream<Path> walk = Files.walk(start)) {
            walk.forEach(p -> {
                String name = PathBytes.text(root.relativize(p));
                if (name.isEmpty()) {
                    return; // the root's own metadata is the target root's, not mirrored through events
                }
                try {
                    out.put(name, Meta.of(LocalStat.of(p)));
                } catch (IOException vanished) {
                    // removed while walking: the watcher reports it
                }
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            // a directory vanished or is unreadable mid-walk: what was seen is kept, the watcher reports the rest
        }
        return out;
    }
}
