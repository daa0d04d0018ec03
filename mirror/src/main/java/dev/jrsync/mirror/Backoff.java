package dev.jrsync.mirror;

/** Waits between attempts while the target is away: doubling from {@code first} up to {@code cap} millis. */
final class Backoff {
    private final long first;
    private final long cap;
    private long next;

    Backoff(long firstMillis, long capMillis) {
        this.first = firstMillis;
        this.cap = capMillis;
        this.next = firstMillis;
    }

    /** The delay before the next attempt; each call doubles the one after, up to the cap. */
    long nextDelayMillis() {
        long d = next;
        next = Math.min(cap, next * 2);
        return d;
    }

    void reset() {
        next = first;
    }
}
