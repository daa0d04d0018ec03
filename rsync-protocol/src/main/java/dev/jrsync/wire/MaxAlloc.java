package dev.jrsync.wire;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One connection's allowance for buffers whose size the peer decides ({@code rsync/util2.c:my_alloc}):
 * no single buffer may pass {@code --max-alloc} (default 1 GiB, as rsync), and, where a {@link HeapBudget}
 * is shared by several connections, what this one holds in all is drawn from it. Callers grow a buffer
 * as the peer's data arrives and charge each growth here first, so memory follows what was sent, never
 * what a header announced. Everything still held is given back by {@link #close()} when the session ends.
 */
public final class MaxAlloc implements AutoCloseable {
    /** rsync's {@code DEFAULT_MAX_ALLOC}. */
    public static final long DEFAULT_LIMIT = 1L << 30;
    /** The smallest {@code --max-alloc} rsync accepts. */
    public static final long MIN_LIMIT = 1L << 20;

    private final long limit;
    private final HeapBudget budget;
    private final AtomicLong held = new AtomicLong();

    /** {@code budget} may be null: then only the per-buffer limit applies (a client has its own process). */
    public MaxAlloc(long limit, HeapBudget budget) {
        this.limit = limit;
        this.budget = budget;
    }

    /** rsync's default: 1 GiB a buffer, no shared budget. */
    public static MaxAlloc standard() {
        return new MaxAlloc(DEFAULT_LIMIT, null);
    }

    public long limit() {
        return limit;
    }

    /** Bytes this connection holds from the shared budget now. */
    public long held() {
        return held.get();
    }

    /**
     * Refuses a single buffer of {@code bytes} over the limit; {@code who} is rsync's role name
     * ({@code who_am_i}: sender, receiver, ...), {@code what} the buffer, for the message.
     */
    public void check(long bytes, String who, String what) {
        if (bytes > limit) {
            throw new AllocationRefused("[" + who + "] exceeded --max-alloc=" + limit + " setting (" + what + ")");
        }
    }

    /**
     * Charges resizing a buffer from {@code from} to {@code to} bytes: the new size is checked against
     * the limit and the difference is drawn from the budget (or given back when it shrinks).
     */
    public void grow(long from, long to, String who, String what) {
        check(to, who, what);
        long more = to - from;
        if (more < 0) {
            release(-more);
        }
        if (more <= 0 || budget == null) {
            return;
        }
        if (!budget.tryTake(more)) {
            throw new AllocationRefused("[" + who + "] out of memory: " + what + " would need " + more
                    + " more bytes, over the daemon's memory budget of " + budget.total() + " bytes ("
                    + budget.inUse() + " in use by all connections)");
        }
        held.addAndGet(more);
    }

    /** Gives back {@code bytes} of a buffer that is dropped or shrunk. */
    public void release(long bytes) {
        if (budget != null && bytes > 0) {
            held.addAndGet(-bytes);
            budget.give(bytes);
        }
    }

    /** Gives back everything this connection still holds. */
    @Override
    public void close() {
        if (budget != null) {
            budget.give(held.getAndSet(0));
        }
    }
}
