package dev.jrsync.watcher.tree;

import dev.jrsync.core.PathBytes;
import dev.jrsync.watcher.fanotify.FanotifyEvent;
import dev.jrsync.watcher.fanotify.FanotifyMask;
import dev.jrsync.watcher.fanotify.FileHandle;
import dev.jrsync.watcher.inotify.InotifyMask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns the events of a filesystem-wide fanotify mark into the tree events the inotify engine sends, so one
 * coalescer serves both: each event's directory handle is resolved to a path (cached until a directory is
 * renamed), events outside the root are dropped, a FAN_RENAME becomes a MOVED_FROM/MOVED_TO pair (or a DELETE or
 * CREATE when one end is outside), and a directory moved in from outside is scanned, as its contents were never
 * seen. Nothing needs watching as directories appear: the mark covers them before they exist.
 */
public final class FanotifyEngine {
    /** A whole filesystem's directories can pass by; past this the cache starts over. */
    private static final int CACHE_LIMIT = 65_536;
    /** The merged bits in the order they are reported; the kernel keeps one mask per name, not their order. */
    private static final long[] ORDER = {FanotifyMask.CREATE, FanotifyMask.MODIFY, FanotifyMask.CLOSE_WRITE,
            FanotifyMask.ATTRIB, FanotifyMask.DELETE};
    /** Reads after the first, at most, so that a filesystem never quiet still gets its events reported. */
    private static final int MAX_MORE_READS = 16;
    private static final long ALIVE = FanotifyMask.CREATE | FanotifyMask.MODIFY | FanotifyMask.CLOSE_WRITE
            | FanotifyMask.ATTRIB;

    private final String root;
    private final PathFilter filter;
    private final EventSink sink;
    private final Function<FileHandle, String> resolver;
    private final Map<FileHandle, String> dirs = new HashMap<>();
    private int cookie;

    /**
     * @param root     the watched directory, ending in '/'
     * @param resolver a directory handle's current path (no trailing slash), or null when it is gone
     */
    public FanotifyEngine(String root, PathFilter filter, EventSink sink, Function<FileHandle, String> resolver) {
        this.root = root;
        this.filter = filter;
        this.sink = sink;
        this.resolver = resolver;
    }

    /** More events read without waiting; empty when the queue is empty. */
    @FunctionalInterface
    public interface ReadMore {
        List<FanotifyEvent> read() throws IOException;
    }

    /** Handles one batch read from the kernel, in order (tests: nothing more is queued). */
    public void process(List<FanotifyEvent> batch) {
        try {
            process(batch, List::of);
        } catch (IOException e) {
            throw new IllegalStateException("reading nothing failed", e);
        }
    }

    /**
     * Handles a batch read from the kernel and what {@code more} brings after it, reading until the queue is empty
     * once the paths are resolved (or a few times over), so that every directory rename that could have changed a
     * resolved path is in the batch to be undone.
     */
    public void process(List<FanotifyEvent> first, ReadMore more) throws IOException {
        List<FanotifyEvent> batch = new ArrayList<>(first);
        List<String> dirPaths = new ArrayList<>();
        List<String> fromPaths = new ArrayList<>();
        Set<Integer> resolvedNow = new HashSet<>();
        Set<FileHandle> now = new HashSet<>();
        for (int round = 0; ; round++) {
            resolve(batch, dirPaths, fromPaths, resolvedNow, now);
            List<FanotifyEvent> next = round < MAX_MORE_READS ? more.read() : List.of();
            if (next.isEmpty()) {
                break;
            }
            batch.addAll(next);
        }
        undoLaterRenames(batch, dirPaths, fromPaths, resolvedNow);
        Set<Named> named = new HashSet<>();
        for (int i = 0; i < batch.size(); i++) {
            process(batch.get(i), inTree(dirPaths.get(i)), inTree(fromPaths.get(i)), named);
        }
    }

    /** A name in a directory, as events give it. */
    private record Named(FileHandle dir, String name) {}

    /**
     * Resolves the events past those already resolved. A handle resolves to where its directory is now: paths
     * resolved during the batch are marked in {@code resolvedNow} (as 2i for the directory, 2i+1 for a rename's
     * old one) for {@link #undoLaterRenames}; a path cached before the batch was right until the directory rename
     * that clears the cache.
     */
    private void resolve(List<FanotifyEvent> batch, List<String> dirPaths, List<String> fromPaths,
                         Set<Integer> resolvedNow, Set<FileHandle> now) {
        for (int i = dirPaths.size(); i < batch.size(); i++) {
            FanotifyEvent e = batch.get(i);
            if (e.has(FanotifyMask.Q_OVERFLOW)) {
                dirs.clear();
            }
            dirPaths.add(e.dir() == null ? null : path(e.dir(), now));
            fromPaths.add(e.fromDir() == null ? null : path(e.fromDir(), now));
            if (e.dir() != null && now.contains(e.dir())) {
                resolvedNow.add(2 * i);
            }
            if (e.fromDir() != null && now.contains(e.fromDir())) {
                resolvedNow.add(2 * i + 1);
            }
            if (e.has(FanotifyMask.RENAME) && e.has(FanotifyMask.ONDIR)) {
                // Every cached path below the moved directory is now wrong.
                dirs.clear();
            }
        }
    }

    /** Gives the paths resolved during the batch as they were at their event: later renames undone, latest first. */
    private static void undoLaterRenames(List<FanotifyEvent> batch, List<String> dirPaths, List<String> fromPaths,
                                         Set<Integer> resolvedNow) {
        List<String[]> later = new ArrayList<>();
        for (int i = batch.size() - 1; i >= 0; i--) {
            if (resolvedNow.contains(2 * i)) {
                dirPaths.set(i, undo(dirPaths.get(i), later));
            }
            if (resolvedNow.contains(2 * i + 1)) {
                fromPaths.set(i, undo(fromPaths.get(i), later));
            }
            FanotifyEvent e = batch.get(i);
            if (e.has(FanotifyMask.RENAME) && e.has(FanotifyMask.ONDIR) && dirPaths.get(i) != null
                    && fromPaths.get(i) != null) {
                later.add(new String[] {fromPaths.get(i) + e.fromName() + "/", dirPaths.get(i) + e.name() + "/"});
            }
        }
    }

    /** {@code path} before the renames (old and new directory path), the latest first. */
    private static String undo(String path, List<String[]> renames) {
        String p = path;
        for (String[] r : renames) {
            if (p != null && p.startsWith(r[1])) {
                p = r[0] + p.substring(r[1].length());
            }
        }
        return p;
    }

    /**
     * @param dir   the event's directory, when at or below the root (else null)
     * @param from  a rename's old directory, likewise
     * @param named the names the batch's earlier events touched: the kernel merges an event into an earlier queued
     *              one on the same name, even across a rename, so what such an event reports may have happened
     *              after the rename that follows it
     */
    private void process(FanotifyEvent e, String dir, String from, Set<Named> named) {
        if (e.has(FanotifyMask.Q_OVERFLOW)) {
            sink.accept(new TreeEvent(InotifyMask.Q_OVERFLOW, 0, "", "", false));
            return;
        }
        if (e.dir() == null) {
            return;
        }
        int isdir = e.has(FanotifyMask.ONDIR) ? InotifyMask.ISDIR : 0;
        if (e.has(FanotifyMask.RENAME)) {
            rename(e, isdir, from, dir, named);
            return;
        }
        named.add(new Named(e.dir(), e.name()));
        String name = e.name();
        if (dir == null) {
            return;
        }
        if (name.equals(".")) {
            // An event on a directory itself: report it under its parent, as inotify's parent watch does.
            if (dir.equals(root)) {
                return;
            }
            int slash = dir.lastIndexOf('/', dir.length() - 2);
            name = dir.substring(slash + 1, dir.length() - 1);
            dir = dir.substring(0, slash + 1);
        }
        long mask = e.mask();
        if ((mask & FanotifyMask.DELETE) != 0 && (mask & ALIVE) != 0) {
            // Created and deleted (or the other way round) while queued: what is there now decides.
            boolean exists = Files.exists(PathBytes.path(dir + name), LinkOption.NOFOLLOW_LINKS);
            mask = exists ? mask & ~FanotifyMask.DELETE : FanotifyMask.DELETE;
        }
        for (long bit : ORDER) {
            if ((mask & bit) != 0) {
                sink.accept(new TreeEvent((int) bit | isdir, 0, dir, name, false));
            }
        }
    }

    private void rename(FanotifyEvent e, int isdir, String from, String to, Set<Named> named) {
        if (from != null && to != null) {
            cookie++;
            sink.accept(new TreeEvent(InotifyMask.MOVED_FROM | isdir, cookie, from, e.fromName(), false));
            sink.accept(new TreeEvent(InotifyMask.MOVED_TO | isdir, cookie, to, e.name(), false));
            if (named.contains(new Named(e.dir(), e.name()))) {
                // A change reported before the rename may have been made to the file that arrived here.
                rewritten(to, e.name());
            }
        } else if (from != null) {
            sink.accept(new TreeEvent(InotifyMask.DELETE | isdir, 0, from, e.fromName(), false));
        } else if (to != null) {
            sink.accept(new TreeEvent(InotifyMask.CREATE | isdir, 0, to, e.name(), false));
            if (isdir != 0) {
                scan(to + e.name() + "/");
            }
        }
        if (from != null && named.contains(new Named(e.fromDir(), e.fromName()))) {
            // The old name may have been made again after the rename, merged into an earlier event.
            recreated(from, e.fromName());
        }
    }

    private void rewritten(String dir, String name) {
        DirEntry now = entry(dir + name);
        if (now != null && now.regular()) {
            sink.accept(new TreeEvent(InotifyMask.CLOSE_WRITE, 0, dir, name, true));
        }
    }

    private void recreated(String dir, String name) {
        DirEntry now = entry(dir + name);
        if (now != null) {
            sink.accept(new TreeEvent(InotifyMask.CREATE | (now.directory() ? InotifyMask.ISDIR : 0), 0, dir, name,
                    true));
            if (now.regular()) {
                sink.accept(new TreeEvent(InotifyMask.CLOSE_WRITE, 0, dir, name, true));
            }
        }
    }

    private static DirEntry entry(String path) {
        try {
            return DirEntry.of(PathBytes.path(path));
        } catch (IOException gone) {
            return null;
        }
    }

    /** Reports what a directory that came from outside holds, as the inotify engine does for a new watch. */
    private void scan(String top) {
        Deque<String> stack = new ArrayDeque<>();
        stack.push(top);
        while (!stack.isEmpty()) {
            String dir = stack.pop();
            if (filter.prunes(dir)) {
                continue;
            }
            Map<String, DirEntry> listing;
            try {
                listing = DirListing.list(dir);
            } catch (IOException gone) {
                continue;
            }
            for (Map.Entry<String, DirEntry> entry : listing.entrySet()) {
                DirEntry d = entry.getValue();
                sink.accept(new TreeEvent(InotifyMask.CREATE | (d.directory() ? InotifyMask.ISDIR : 0), 0, dir,
                        entry.getKey(), true));
                if (d.regular()) {
                    sink.accept(new TreeEvent(InotifyMask.CLOSE_WRITE, 0, dir, entry.getKey(), true));
                } else if (d.directory()) {
                    stack.push(dir + entry.getKey() + "/");
                }
            }
        }
    }

    /** The directory's path with a trailing '/' (null when it is gone); {@code now} collects the handles resolved. */
    private String path(FileHandle handle, Set<FileHandle> now) {
        String path = dirs.get(handle);
        if (path == null) {
            String resolved = resolver.apply(handle);
            if (resolved == null) {
                return null;
            }
            path = resolved.endsWith("/") ? resolved : resolved + "/";
            if (dirs.size() >= CACHE_LIMIT) {
                dirs.clear();
            }
            dirs.put(handle, path);
            now.add(handle);
        }
        return path;
    }

    private String inTree(String path) {
        return path != null && path.startsWith(root) ? path : null;
    }
}
