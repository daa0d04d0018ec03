package dev.jrsync.cli;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code --stop-at} and {@code --stop-after} ({@code rsync/io.c:perform_io}'s check of {@code stop_at_utime}): when
 * the time comes, the transfer on the runner thread is cancelled as a signal cancels it (its temporary files
 * removed), and the run ends with rsync's "stopping at requested limit" and code 30.
 */
final class StopAt {
    private final AtomicBoolean reached = new AtomicBoolean();

    private StopAt() {}

    /** Cancels what {@code runner} runs at {@code epochSeconds}. */
    static StopAt install(long epochSeconds, Thread runner, PrintStream err) {
        StopAt stop = new StopAt();
        Thread.ofPlatform().daemon().name("jrsync-stop-at").start(() -> {
            try {
                long wait = epochSeconds * 1000 - System.currentTimeMillis();
                if (wait > 0) {
                    Thread.sleep(wait);
                }
            } catch (InterruptedException e) {
                return;
            }
            stop.reached.set(true);
            err.println("stopping at requested limit");
            runner.interrupt();
        });
        return stop;
    }

    /** Whether the time came, so that however the transfer ended, the run ends as rsync's does then. */
    boolean reached() {
        return reached.get();
    }
}
