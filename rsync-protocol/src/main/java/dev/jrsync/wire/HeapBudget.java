package dev.jrsync.wire;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of heap that all of a process's connections together may hold in buffers their peers size
 * (block sums, file lists, the matcher's tables). rsync needs none: each of its connections is a process
 * of its own. The Java daemon serves every client from one heap, so without a shared bound a few clients
 * that announce large buffers and send them slowly would starve the rest; with it, the connection that
 * would go over is refused with a clear error and the others carry on.
 */
public final class HeapBudget {
    private final long total;
    private final AtomicLong inUse = new AtomicLong();

    public HeapBudget(long total) {
        if (total <= 0) {
            throw new IllegalArgumentException("a heap budget must be positive, not " + total);
        }
        this.total = total;
    }

    /** Half of the JVM's maximum heap: the rest is left to the daemon's own fixed costs and to garbage. */
    public static HeapBudget halfOfMaxHeap() {
        return new HeapBudget(Runtime.getRuntime().maxMemory() / 2);
    }

    public long total() {
        return total;
    }

    public long inUse() {
        return inUse.get();
    }

    /** Takes {@code bytes} if they fit beside what is held already; false (and nothing taken) if not. */
    boolean tryTake(long bytes) {
        long now;
        do {
            now = inUse.get();
            if (bytes > total - now) {
                return false;
            }
        } while (!inUse.compareAndSet(now, now + bytes));
        return true;
    }

    void give(long bytes) {
        inUse.addAndGet(-bytes);
    }
}
