package dev.jrsync.api.mirror;

import dev.jrsync.mirror.TargetMirror;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A running mirror, started by {@link Mirror#start}: its status, and the means to stop it.
 */
public final class MirrorHandle implements AutoCloseable {
    private final Thread runner;
    private final List<TargetMirror> targets;
    /** One per target, in the same order. */
    private final List<StatusTracker> trackers;
    private final CompletableFuture<Integer> exit;

    MirrorHandle(Thread runner, List<TargetMirror> targets, List<StatusTracker> trackers,
                 CompletableFuture<Integer> exit) {
        this.runner = runner;
        this.targets = List.copyOf(targets);
        this.trackers = List.copyOf(trackers);
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

    /** What the mirror is doing now for its first destination (its only one, unless the spec added more). */
    public MirrorStatus status() {
        return trackers.getFirst().status(targets.getFirst().pending());
    }

    /** What the mirror is doing now for each destination, in the order of {@link MirrorSpec#destinations}. */
    public List<MirrorStatus> statuses() {
        List<MirrorStatus> all = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            all.add(trackers.get(i).status(targets.get(i).pending()));
        }
        return all;
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
