package dev.jrsync.api.mirror;

import dev.jrsync.mirror.LiveMirror;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A running mirror, started by {@link Mirror#start}: its status, and the means to stop it.
 */
public final class MirrorHandle implements AutoCloseable {
    private final Thread runner;
    private final LiveMirror mirror;
    private final StatusTracker tracker;
    private final CompletableFuture<Integer> exit;

    MirrorHandle(Thread runner, LiveMirror mirror, StatusTracker tracker, CompletableFuture<Integer> exit) {
        this.runner = runner;
        this.mirror = mirror;
        this.tracker = tracker;
        this.exit = exit;
    }

    /**
     * Waits until the mirror has stopped (closed, or failed beyond retrying) and returns rsync's exit code for
     * how it ended: 0 when it was closed, else the failure's, such as 11 when the source cannot be watched.
     */
    public int await() throws InterruptedException {
        try {
            return exit.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause()); // the runner completes normally, always
        }
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
