package dev.jrsync.api.mirror;

import dev.jrsync.mirror.LiveMirror;

/**
 * A running mirror, started by {@link Mirror#start}: its status, and the means to stop it.
 */
public final class MirrorHandle implements AutoCloseable {
    private final Thread runner;
    private final LiveMirror mirror;
    private final StatusTracker tracker;

    MirrorHandle(Thread runner, LiveMirror mirror, StatusTracker tracker) {
        this.runner = runner;
        this.mirror = mirror;
        this.tracker = tracker;
    }

    /** What the mirror is doing now. */
    public MirrorStatus status() {
        return tracker.status(mirror.pending());
    }

    /**
     * Stops the mirror and waits until it has: its watches are closed, a transfer under way is cancelled (no
     * half-written file is left at the destination), and changes not yet sent stay unsent. Nothing happens once
     * it has stopped.
     */
    @Override
    public void close() {
        runner.interrupt();
        boolean interrupted = false;
        while (runner.isAlive()) {
            try {
                runner.join();
            } catch (InterruptedException e) {
                interrupted = true; // the mirror is stopping anyway: wait for it, then pass the interrupt on
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
