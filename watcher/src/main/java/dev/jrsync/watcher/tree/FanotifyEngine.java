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

    /** Handles one batch read from the kernel, in order. */
    public void process(List<FanotifyEvent> batch) {
        int n = batch.size();
        String[] dirPaths = new String[n];
        String[] fromPaths = new String[n];
        resolve(batch, dirPaths, fromPaths);
        Set<Named> named = new HashSet<>();
        for (int i = 0; i < n; i++) {
            process(batch.get(i), inTree(dirPaths[i]), inTree(fromPaths[i]), named);
        }
    }

    /** A name in a directory, as events give it. */
    private record Named(FileHandle dir, String name) {}

    /**
     * Each event's directory paths as they were when it happened. A handle resolves to where its directory is now,
     * after the batch's later directory renames too; those are undone, latest first, on paths resolved during the
     * batch (a path cached before it was right until the rename that clears the cache).
     */
    private void resolve(List<FanotifyEvent> batch, String[] dirPaths, String[] fromPaths) {
        Set<FileHandle> now = new HashSet<>();
        boolean[] dirNow = new boolean[batch.size()];
        boolean[] fromNow = new boolean[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            FanotifyEvent e = batch.get(i);
            if (e.has(FanotifyMask.Q_OVERFLOW)) {
                dirs.clear();
                continue;
            }
            if (e.dir() != null) {
                dirPaths[i] = path(e.dir(), now);
                dirNow[i] = now.contains(e.dir());
            }
            if (e.fromDir() != null) {
                fromPaths[i] = path(e.fromDir(), now);
                fromNow[i] = now.contains(e.fromDir());
            }
            if (e.has(FanotifyMask.RENAME) && e.has(FanotifyMask.ONDIR)) {
                // Every cached path below the moved directory is now wrong.
                dirs.clear();
            }
        }
        List<String[]> later = new ArrayList<>();
        for (int i = batch.size() - 1; i >= 0; i--) {
            dirPaths[i] = dirNow[i] ? undo(dirPaths[i], later) : dirPaths[i];
            fromPaths[i] = fromNow[i] ? undo(fromPaths[i], later) : fromPaths[i];
            FanotifyEvent e = batch.get(i);
            if (e.has(FanotifyMask.RENAME) && e.has(FanotifyMask.ONDIR) && dirPaths[i] != null
                    && fromPaths[i] != null) {
                later.add(new String[] {fromPaths[i] + e.fromName() + "/", dirPaths[i] + e.name() + "/"});
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
