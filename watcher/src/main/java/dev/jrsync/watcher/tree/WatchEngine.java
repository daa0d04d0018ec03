package dev.jrsync.watcher.tree;

import dev.jrsync.core.PathBytes;
import dev.jrsync.watcher.inotify.ErrnoException;
import dev.jrsync.watcher.inotify.EventKind;
import dev.jrsync.watcher.inotify.InotifyEvent;
import dev.jrsync.watcher.inotify.InotifyLimits;
import dev.jrsync.watcher.inotify.InotifyMask;
import dev.jrsync.watcher.inotify.WatchBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Keeps a tree watched: resolves watch descriptors to paths, watches directories created or moved into the tree
 * and then scans them (so files written before the watch existed are reported as synthetic CREATE/CLOSE_WRITE),
 * re-roots paths when a directory is renamed inside the tree, drops watches of directories that moved out, and
 * rescans directories it could not watch. Not thread-safe: one reader thread drives it.
 */
public final class WatchEngine {
    /** How long a synthetic CREATE hides the kernel's own CREATE for the same path (the scan raced the watch). */
    private static final long ECHO_NANOS = 2_000_000_000L;

    private final WatchBackend backend;
    private final EngineOptions options;
    private final EventSink sink;
    private final InotifyLimits limits;
    private final int watchMask;
    private final WatchMap watches = new WatchMap();
    private final UnwatchedDirs unwatched = new UnwatchedDirs();
    private final CookieWindow<String> movedDirs;
    private final Map<String, Long> echoes = new HashMap<>();
    private final List<String> roots = new ArrayList<>();
    private boolean limitReported;
    private long nextRescanNanos;

    public WatchEngine(WatchBackend backend, EngineOptions options, EventSink sink, InotifyLimits limits) {
        this.backend = backend;
        this.options = options;
        this.sink = sink;
        this.limits = limits;
        this.movedDirs = new CookieWindow<>(options.moveWindowNanos());
        this.watchMask = options.mask()
                | (options.followNew() ? InotifyMask.CREATE | InotifyMask.MOVED_TO | InotifyMask.MOVED_FROM : 0);
    }

    /**
     * Watches {@code path} (recursively if so configured), without reporting what is already there.
     *
     * @throws IOException naming the path when it cannot be watched at all (missing, unreadable)
     */
    public void watch(String path, long nowNanos) throws IOException {
        if (!Files.isDirectory(PathBytes.path(path))) {
            watches.put(backend.addWatch(path, watchMask), path);
            return;
        }
        String dir = path.endsWith("/") ? path : path + "/";
        roots.add(dir);
        try {
            watches.put(backend.addWatch(dir, watchMask), dir);
        } catch (ErrnoException e) {
            if (e.errno() != ErrnoException.ENOSPC) {
                throw e;
            }
        }
        if (options.recursive()) {
            watchTree(dir, false, true, nowNanos);
        } else if (watches.wd(dir) == null) {
            unwatched.add(dir, DirListing.list(dir));
        }
        reportLimitIfHit(dir);
        nextRescanNanos = nowNanos + options.rescanIntervalNanos();
    }

    public int watchCount() {
        return watches.size();
    }

    public int unwatchedCount() {
        return unwatched.size();
    }

    /** The watched path of a descriptor ("" once it is gone), for statistics kept per watch. */
    public String pathOf(int wd) {
        String p = watches.path(wd);
        return p == null ? "" : p;
    }

    /** Handles one batch read from the kernel, in order. */
    public void process(List<InotifyEvent> batch, long nowNanos) {
        for (InotifyEvent e : batch) {
            process(e, nowNanos);
        }
        tick(nowNanos);
    }

    private void process(InotifyEvent e, long nowNanos) {
        if (e.isOverflow()) {
            // Every later event may be missing: the consumer must rescan; pending halves can no longer pair.
            movedDirs.drain().forEach(this::forget);
            sink.accept(new TreeEvent(e.mask(), e.cookie(), "", "", false));
            return;
        }
        String watchPath = watches.path(e.wd());
        TreeEvent te = new TreeEvent(e.mask(), e.cookie(), watchPath == null ? "" : watchPath, e.name(), false);
        boolean echo = te.is(EventKind.CREATE) && isEcho(te.path(), nowNanos);
        if (!echo) {
            sink.accept(te);
        }
        if (e.isIgnored()) {
            watches.remove(e.wd());
            return;
        }
        if (watchPath == null || !options.followNew() || !te.isDir() || e.name().isEmpty()) {
            if (te.is(EventKind.DELETE) || te.is(EventKind.MOVED_FROM)) {
                echoes.remove(te.path());
            }
            return;
        }
        String dir = te.path() + "/";
        if (te.is(EventKind.CREATE)) {
            if (!echo && watches.wd(dir) == null) {
                watchTree(dir, true, false, nowNanos);
                reportLimitIfHit(dir);
            }
        } else if (te.is(EventKind.MOVED_FROM)) {
            movedDirs.put(e.cookie(), dir, nowNanos);
        } else if (te.is(EventKind.MOVED_TO)) {
            String from = movedDirs.take(e.cookie());
            if (from != null) {
                watches.rename(from, dir);
                unwatched.rename(from, dir);
            } else {
                watchTree(dir, true, false, nowNanos);
                reportLimitIfHit(dir);
            }
        }
    }

    /** Ends move windows and runs due rescans; call at least every few hundred milliseconds. */
    public void tick(long nowNanos) {
        movedDirs.expire(nowNanos).forEach(this::forget);
        echoes.values().removeIf(deadline -> nowNanos - deadline >= 0);
        if (!unwatched.isEmpty() && nowNanos - nextRescanNanos >= 0) {
            nextRescanNanos = nowNanos + options.rescanIntervalNanos();
            rescanUnwatched(nowNanos);
        }
    }

    /** Whether state is waiting on time (a move window, a rescan), so the reader should not sleep long. */
    public boolean waitingOnTime() {
        return !movedDirs.isEmpty() || !unwatched.isEmpty();
    }

    /** A directory moved out of the tree: its watches would report under a path that no longer exists. */
    private void forget(String dir) {
        for (int wd : watches.subtree(dir)) {
            backend.removeWatch(wd);
            watches.remove(wd);
        }
        unwatched.removeSubtree(dir);
    }

    private void rescanUnwatched(long nowNanos) {
        for (String dir : unwatched.paths()) {
            List<TreeEvent> changes = unwatched.rescan(dir);
            boolean nowWatched = unwatched.contains(dir) && addWatch(dir);
            if (nowWatched) {
                unwatched.remove(dir);
            }
            for (TreeEvent change : changes) {
                sink.accept(change);
                if (change.isDir() && change.is(EventKind.CREATE) && options.followNew()) {
                    watchTree(change.path() + "/", true, false, nowNanos);
                }
            }
        }
        if (unwatched.isEmpty()) {
            limitReported = false;
        }
    }

    private boolean isEcho(String path, long nowNanos) {
        Long deadline = echoes.remove(path);
        return deadline != null && nowNanos - deadline < 0;
    }

    /**
     * Watches every directory from {@code top} down (depth first, each watched before it is listed, so nothing
     * created afterwards is missed), skipping pruned subtrees; {@code synthesize} reports what the listings find.
     */
    private void watchTree(String top, boolean synthesize, boolean isRoot, long nowNanos) {
        Deque<String> stack = new ArrayDeque<>();
        stack.push(top);
        while (!stack.isEmpty()) {
            String dir = stack.pop();
            if (!(isRoot && dir.equals(top)) && options.filter().prunes(dir)) {
                continue;
            }
            boolean watched = watches.wd(dir) != null || addWatch(dir);
            Map<String, DirEntry> listing;
            try {
                listing = DirListing.list(dir);
            } catch (IOException unreadable) {
                // Gone or unreadable (inotifywait skips these too); a gone directory's DELETE is on its way.
                continue;
            }
            if (!watched && watches.wd(dir) == null) {
                unwatched.add(dir, listing);
            }
            List<String> subdirs = new ArrayList<>();
            for (Map.Entry<String, DirEntry> entry : listing.entrySet()) {
                String name = entry.getKey();
                DirEntry d = entry.getValue();
                if (synthesize) {
                    int isdir = d.directory() ? InotifyMask.ISDIR : 0;
                    sink.accept(new TreeEvent(InotifyMask.CREATE | isdir, 0, dir, name, true));
                    echoes.put(dir + name, nowNanos + ECHO_NANOS);
                    if (d.regular()) {
                        sink.accept(new TreeEvent(InotifyMask.CLOSE_WRITE, 0, dir, name, true));
                    }
                }
                if (d.directory()) {
                    subdirs.add(dir + name + "/");
                }
            }
            for (Iterator<String> it = subdirs.reversed().iterator(); it.hasNext(); ) {
                stack.push(it.next());
            }
        }
    }

    /** @return whether the directory is watched; false when the limit is hit (it is then rescanned instead) */
    private boolean addWatch(String dir) {
        try {
            watches.put(backend.addWatch(dir, watchMask), dir);
            return true;
        } catch (ErrnoException e) {
            int errno = e.errno();
            // A directory deleted or replaced meanwhile is no error: its DELETE event is on its way.
            if (errno != ErrnoException.ENOSPC && errno != ErrnoException.ENOENT && errno != ErrnoException.ENOTDIR
                    && errno != ErrnoException.ELOOP) {
                options.warnings().accept("cannot watch " + dir + ": " + e.getMessage());
            }
            return false;
        }
    }

    private void reportLimitIfHit(String where) {
        if (unwatched.isEmpty() || limitReported) {
            return;
        }
        limitReported = true;
        long needed = watches.size() + unwatched.size();
        options.warnings().accept(limits.watchLimitMessage(roots.isEmpty() ? where : roots.getFirst(), needed,
                Math.max(1, options.rescanIntervalNanos() / 1_000_000_000L)));
    }
}
