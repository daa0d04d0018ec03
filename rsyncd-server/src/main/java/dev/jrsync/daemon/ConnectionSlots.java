package dev.jrsync.daemon;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code max connections} ({@code rsync/connection.c:claim_connection}). rsync counts slots with byte-range
 * locks in the {@code lock file} because each connection is its own process; here every connection is a
 * thread of one JVM, so a lock-free counter per module does the job. A module that names its {@code lock file}
 * also takes a slot there ({@link LockFileSlots}), which other daemons sharing the file count too.
 */
public final class ConnectionSlots {
    private final ConcurrentHashMap<String, AtomicInteger> inUse = new ConcurrentHashMap<>();

    /** Takes a slot of {@code module} unless {@code max} (> 0) are taken; false when full. */
    public boolean claim(String module, int max) {
        if (max <= 0) {
            return true;
        }
        AtomicInteger n = inUse.computeIfAbsent(module, m -> new AtomicInteger());
        return n.getAndUpdate(cur -> cur < max ? cur + 1 : cur) < max;
    }

    /** Gives back a slot taken by a successful {@link #claim} with a positive max. */
    public void release(String module) {
        AtomicInteger n = inUse.get(module);
        if (n != null) {
            n.decrementAndGet();
        }
    }

    public int inUse(String module) {
        AtomicInteger n = inUse.get(module);
        return n == null ? 0 : n.get();
    }
}
