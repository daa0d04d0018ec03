package dev.jrsync.watcher.tree;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MOVED_FROM halves waiting for the MOVED_TO with the same cookie. The kernel queues both halves of a rename inside
 * the tree next to each other, so a half still unpaired after a short window left the tree.
 */
final class CookieWindow<T> {
    private record Pending<T>(T value, long deadlineNanos) {}

    private final Map<Integer, Pending<T>> pending = new LinkedHashMap<>();
    private final long windowNanos;

    CookieWindow(long windowNanos) {
        this.windowNanos = windowNanos;
    }

    void put(int cookie, T value, long nowNanos) {
        pending.put(cookie, new Pending<>(value, nowNanos + windowNanos));
    }

    /** The waiting half for this cookie, removed; null when none waits. */
    T take(int cookie) {
        Pending<T> p = pending.remove(cookie);
        return p == null ? null : p.value();
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }

    /** Removes and returns the halves whose window has passed, oldest first. */
    List<T> expire(long nowNanos) {
        List<T> out = new ArrayList<>();
        for (Iterator<Pending<T>> it = pending.values().iterator(); it.hasNext(); ) {
            Pending<T> p = it.next();
            if (nowNanos - p.deadlineNanos() >= 0) {
                out.add(p.value());
                it.remove();
            }
        }
        return out;
    }

    /** Removes and returns every waiting half, e.g. when the tree is rescanned after an overflow. */
    List<T> drain() {
        List<T> out = new ArrayList<>();
        pending.values().forEach(p -> out.add(p.value()));
        pending.clear();
        return out;
    }
}
