package dev.jrsync.mirror;

import dev.jrsync.core.PathBytes;
import dev.jrsync.fs.LocalStat;
import dev.jrsync.watcher.PathChange;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
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
import java.util.function.BiConsumer;
import java.util.TreeMap;

/**
 * The source tree as last synced, compactly (path -> size, mtime, mode, device and inode; paths as
 * {@link PathBytes#text}, so a name that is not UTF-8 stays itself): after lost events (queue overflow,
 * too many pending changes) a rescan compares the tree with it and syncs only what differs, and saved as an
 * index ({@link IndexFile}) it lets a restarted mirror do the same instead of sending the whole tree.
 */
final class TreeSnapshot {
    /**
     * An entry whose mtime is this close to its index's save may have changed again within the same clock tick,
     * or been recorded after a change whose event was still on its way when the mirror died: it is taken as
     * changed on restart (git's "racily clean" entries).
     */
    static final long RACY_NANOS = 2_000_000_000L;
    /** The mtime of an entry that must compare as changed: no file has it. */
    private static final long UNKNOWN_MTIME = Long.MIN_VALUE;
    private static final byte[] NO_SUM = new byte[0];

    /** A replaced file (another inode) is a changed one even when its size and mtime are the old ones. */
    private record Meta(long size, long mtimeNanos, int mode, long dev, long ino) {
        static Meta of(LocalStat st) {
            return new Meta(st.isDirectory() ? 0 : st.size(), st.mtimeSeconds() * 1_000_000_000L + st.mtimeNanos(),
                    st.mode(), st.dev(), st.ino());
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

    /** Another snapshot of the same entries, to change on its own. */
    TreeSnapshot copy() {
        TreeSnapshot s = new TreeSnapshot(root);
        s.entries.putAll(entries);
        return s;
    }

    /** A snapshot that knows nothing yet: filled by {@link #load}. */
    static TreeSnapshot empty(Path root) {
        return new TreeSnapshot(root);
    }

    int size() {
        return entries.size();
    }

    /** Writes every entry to an index. */
    void save(IndexFile.Writer index) throws IOException {
        for (Map.Entry<String, Meta> e : entries.entrySet()) {
            Meta m = e.getValue();
            index.add(new IndexFile.Entry(PathBytes.bytes(e.getKey()), m.mode(), m.size(), m.mtimeNanos(), m.dev(),
                    m.ino(), NO_SUM));
        }
    }

    /**
     * Takes the entries of {@code index} when it is a sound index of {@code source} mirrored to
     * {@code destination}; otherwise the snapshot stays empty. Entries changed within {@link #RACY_NANOS} of the
     * save are kept as changed.
     */
    IndexFile.Decoded load(ByteBuffer index, byte[] source, byte[] destination) {
        entries.clear();
        IndexFile.Decoded d = IndexFile.decode(index, source, destination, e -> entries.put(PathBytes.text(e.name()),
                new Meta(e.size(), e.mtimeNanos(), e.mode(), e.dev(), e.ino())));
        if (d instanceof IndexFile.Decoded.Valid v) {
            long racy = v.savedAtNanos() - RACY_NANOS;
            entries.replaceAll((rel, m) -> m.mtimeNanos() < racy ? m
                    : new Meta(m.size(), UNKNOWN_MTIME, m.mode(), m.dev(), m.ino()));
        } else {
            entries.clear();
        }
        return d;
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

    /**
     * Records {@code rel} as it is now: with {@code deep}, everything below it too; a missing path is removed.
     * Its directory's entry is brought up to date as well: a name made or removed there changed the directory's
     * mtime, which the transfer that sent the change set on the target too (its parent goes as an implied
     * directory, or is the directory of its deletion pass).
     */
    void refresh(String rel, boolean deep) {
        String parent = BatchPlan.parent(rel);
        if (!parent.isEmpty() && entries.containsKey(parent)) {
            LocalStat dir = stat(root, parent);
            if (dir != null) {
                entries.put(parent, Meta.of(dir));
            }
        }
        LocalStat st = stat(root, rel);
        if (st == null) {
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

    /**
     * The changes that turn the snapshot into the tree as it is now, as the watcher would have reported them;
     * compared one directory at a time, so that only the changes are held besides the snapshot.
     */
    List<PathChange> diff() {
        List<PathChange> changes = new ArrayList<>();
        walk(root, "", (dir, now) -> {
            now.forEach((rel, meta) -> {
                Meta old = entries.get(rel);
                if (old == null || old.isDirectory() != meta.isDirectory()) {
                    if (old != null) {
                        deleted(below(rel), changes); // a directory replaced by a file: all it held is gone
                    }
                    changes.add(PathChange.of(PathChange.Kind.CREATED, PathBytes.path(rel), meta.isDirectory()));
                } else if (!meta.isDirectory() && (old.size() != meta.size() || old.mtimeNanos() != meta.mtimeNanos()
                        || old.ino() != meta.ino() || old.dev() != meta.dev())) {
                    changes.add(PathChange.of(PathChange.Kind.MODIFIED, PathBytes.path(rel), false));
                } else if (!old.equals(meta)) {
                    changes.add(PathChange.of(PathChange.Kind.ATTRIBUTES, PathBytes.path(rel), meta.isDirectory()));
                }
            });
            for (String gone : namesIn(dir)) {
                if (!now.containsKey(gone)) {
                    changes.add(PathChange.of(PathChange.Kind.DELETED, PathBytes.path(gone),
                            entries.get(gone).isDirectory()));
                    deleted(below(gone), changes);
                }
            }
        });
        return changes;
    }

    private static void deleted(Map<String, Meta> gone, List<PathChange> changes) {
        gone.forEach((rel, meta) -> changes.add(PathChange.of(PathChange.Kind.DELETED, PathBytes.path(rel),
                meta.isDirectory())));
    }

    /** The snapshot's names directly in {@code dir} (not below it), skipping each subdirectory's range. */
    private List<String> namesIn(String dir) {
        String prefix = dir.isEmpty() ? "" : dir + "/";
        List<String> names = new ArrayList<>();
        String key = entries.ceilingKey(prefix);
        while (key != null && key.startsWith(prefix)) {
            int slash = key.indexOf('/', prefix.length());
            if (slash < 0) {
                names.add(key);
                key = entries.higherKey(key);
            } else {
                key = entries.ceilingKey(key.substring(0, slash) + "0"); // '0' follows '/'
            }
        }
        return names;
    }

    private static LocalStat stat(Path root, String rel) {
        try {
            return LocalStat.ofOrNull(root.resolve(PathBytes.path(rel)));
        } catch (IOException unreadable) {
            return null;
        }
    }

    private NavigableMap<String, Meta> below(String rel) {
        // '0' follows '/': the range holds exactly the paths under "rel/".
        return rel.isEmpty() ? entries.tailMap("", false) : entries.subMap(rel + "/", true, rel + "0", false);
    }

    /**
     * {@code rel} and everything below it, one lstat per entry (what rsync's send_directory does: the JDK's walk
     * would stat each entry once more); a directory that vanishes or cannot be read mid-walk loses only its own
     * entries, which the watcher reports.
     */
    private static Map<String, Meta> scan(Path root, String rel) {
        Map<String, Meta> out = new TreeMap<>();
        walk(root, rel, (dir, entries) -> out.putAll(entries));
        return out;
    }

    /**
     * Hands {@code rel} (unless it is the root), then each directory's entries (by path), directory by directory,
     * to {@code visit}.
     */
    private static void walk(Path root, String rel, BiConsumer<String, Map<String, Meta>> visit) {
        Deque<String> dirs = new ArrayDeque<>();
        if (rel.isEmpty()) {
            dirs.add(""); // the root's own metadata is the target root's, not mirrored through events
        } else {
            LocalStat st = stat(root, rel);
            if (st != null) {
                visit.accept(BatchPlan.parent(rel), Map.of(rel, Meta.of(st)));
                if (st.isDirectory()) {
                    dirs.add(rel);
                }
            }
        }
        while (!dirs.isEmpty()) {
            String dir = dirs.poll();
            Map<String, Meta> entries = new HashMap<>();
            try (DirectoryStream<Path> names = Files.newDirectoryStream(root.resolve(PathBytes.path(dir)))) {
                for (Path p : names) {
                    String name = dir.isEmpty() ? PathBytes.text(p.getFileName())
                            : dir + "/" + PathBytes.text(p.getFileName());
                    LocalStat st = LocalStat.ofOrNull(p);
                    if (st != null) {
                        entries.put(name, Meta.of(st));
                        if (st.isDirectory()) {
                            dirs.add(name);
                        }
                    }
                }
            } catch (IOException | DirectoryIteratorException e) {
                continue; // gone or unreadable: the watcher reports what happened to it
            }
            visit.accept(dir, entries);
        }
    }
}
