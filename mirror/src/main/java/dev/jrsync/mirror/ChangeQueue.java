package dev.jrsync.mirror;

import dev.jrsync.core.PathBytes;
import dev.jrsync.watcher.PathChange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Changes waiting to be mirrored, one entry per path, filled by the watcher's thread and drained by the mirror
 * loop. A path is ready once it has been quiet for the settle delay (a shorter one once a file written has been
 * closed: its content is complete), or has been pending for the maximum delay (a file written continuously
 * must still arrive). Memory is bounded: past {@code maxPaths} entries the
 * per-path detail is dropped and a rescan against the last synced snapshot takes its place.
 */
final class ChangeQueue {
    /** What happened to one path since it was last synced (bits of {@link #flags}). */
    static final int CONTENT = 1;
    static final int TREE = 2;
    static final int ATTRS = 4;
    static final int GONE = 8;
    static final int RENAMED = 16;

    /** One path's accumulated changes; {@code from} is the old name of a rename. */
    static final class Pending {
        int flags;
        String from;
        long firstNanos;
        long lastNanos;
        /** Created or written and not closed since: the writer may not be done. */
        boolean open;

        Pending(long now) {
            firstNanos = now;
            lastNanos = now;
        }
    }

    private final int maxPaths;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private boolean rescan;
    private boolean overflowed;

    ChangeQueue(int maxPaths) {
        this.maxPaths = maxPaths;
    }

    /** Adds one batch of watcher changes observed at {@code now}. */
    void accept(List<PathChange> changes, long now) {
        lock.lock();
        try {
            for (PathChange c : changes) {
                String path = PathBytes.text(c.path());
                switch (c.kind()) {
                    case RESCAN_NEEDED -> rescan = true;
                    case CREATED -> mark(path, c.directory() ? TREE : CONTENT, null, now).open = !c.directory();
                    case WRITTEN -> mark(path, CONTENT, null, now).open = true;
                    case MODIFIED -> mark(path, CONTENT, null, now).open = false;
                    case ATTRIBUTES -> mark(path, ATTRS, null, now);
                    case DELETED -> mark(path, GONE, null, now).open = false;
                    case MOVED -> {
                        String from = PathBytes.text(c.from());
                        mark(from, GONE, null, now).open = false;
                        mark(path, c.directory() ? TREE : RENAMED, from, now);
                    }
                }
            }
            if (pending.size() > maxPaths) {
                pending.clear();
                rescan = true;
                overflowed = true;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private Pending mark(String path, int flag, String from, long now) {
        Pending p = pending.computeIfAbsent(path, k -> new Pending(now));
        p.flags |= flag;
        p.lastNanos = now;
        if (from != null) {
            p.from = from;
        }
        return p;
    }

    /** Puts back a batch that could not be synced; newer changes to the same paths are kept too. */
    void requeue(Map<String, Pending> batch) {
        lock.lock();
        try {
            batch.forEach((path, old) -> pending.merge(path, old, (cur, o) -> {
                cur.flags |= o.flags;
                cur.from = cur.from != null ? cur.from : o.from;
                cur.firstNanos = Math.min(cur.firstNanos, o.firstNanos);
                return cur;
            }));
            if (pending.size() > maxPaths) {
                pending.clear();
                rescan = true;
                overflowed = true;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * What the mirror loop is handed: settled paths, or a rescan request (then {@code paths} is empty), or
     * neither when the wait's deadline came first.
     */
    record Batch(Map<String, Pending> paths, boolean rescan, boolean overflowed) {
        boolean idle() {
            return paths.isEmpty() && !rescan;
        }
    }

    /**
     * Waits until a rescan is needed or some paths have settled, and removes them from the queue.
     *
     * @param delayNanos       how long a path must be quiet
     * @param closedDelayNanos how long a path must be quiet when no writer holds it open
     * @param maxDelayNanos    how long a path may be pending at most
     * @throws InterruptedException when the mirror is being stopped
     */
    Batch awaitBatch(long delayNanos, long closedDelayNanos, long maxDelayNanos) throws InterruptedException {
        return awaitBatch(delayNanos, closedDelayNanos, maxDelayNanos, null);
    }

    /** As {@link #awaitBatch(long, long, long)}, returning an idle batch at {@code deadline} (System.nanoTime). */
    Batch awaitBatch(long delayNanos, long closedDelayNanos, long maxDelayNanos, Long deadline)
            throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                if (rescan) {
                    Batch b = new Batch(Map.of(), true, overflowed);
                    rescan = false;
                    overflowed = false;
                    return b;
                }
                long now = System.nanoTime();
                long next = Long.MAX_VALUE;
                Map<String, Pending> ready = new LinkedHashMap<>();
                List<String> readyPaths = new ArrayList<>();
                for (Map.Entry<String, Pending> e : pending.entrySet()) {
                    Pending p = e.getValue();
                    long quiet = p.open ? delayNanos : Math.min(delayNanos, closedDelayNanos);
                    long due = Math.min(p.lastNanos + quiet, p.firstNanos + maxDelayNanos);
                    if (due - now <= 0) {
                        ready.put(e.getKey(), p);
                        readyPaths.add(e.getKey());
                    } else {
                        next = Math.min(next, due - now);
                    }
                }
                if (!ready.isEmpty()) {
                    readyPaths.forEach(pending::remove);
                    return new Batch(ready, false, false);
                }
                if (deadline != null) {
                    if (deadline - now <= 0) {
                        return new Batch(Map.of(), false, false);
                    }
                    next = Math.min(next, deadline - now);
                }
                if (next == Long.MAX_VALUE) {
                    changed.await();
                } else {
                    changed.awaitNanos(next);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Paths waiting, for the status line. */
    int size() {
        lock.lock();
        try {
            return pending.size();
        } finally {
            lock.unlock();
        }
    }
}
