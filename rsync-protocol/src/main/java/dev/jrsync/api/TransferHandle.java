package dev.jrsync.api;

import java.util.concurrent.CompletableFuture;

/** A transfer started by {@link Rsync#start}: its outcome to come, and the means to cancel it. */
public final class TransferHandle {
    private final Thread runner;
    private final CompletableFuture<TransferOutcome> outcome;

    TransferHandle(Thread runner, CompletableFuture<TransferOutcome> outcome) {
        this.runner = runner;
        this.outcome = outcome;
    }

    /**
     * Stops the transfer: its connection closes, a file being written is removed (as rsync removes its
     * temporary file when it is interrupted), and the outcome completes with exit code 20. Files already
     * renamed into place stay. Nothing happens once the transfer has ended.
     */
    public void cancel() {
        if (!outcome.isDone()) {
            runner.interrupt();
        }
    }

    /** Completes with the outcome; never exceptionally. */
    public CompletableFuture<TransferOutcome> outcome() {
        return outcome;
    }

    /** Waits for the outcome. */
    public TransferOutcome await() throws InterruptedException {
        try {
            return outcome.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("a transfer's outcome never fails", e);
        }
    }
}
