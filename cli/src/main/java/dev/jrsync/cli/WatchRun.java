package dev.jrsync.cli;

import dev.jrsync.client.Credentials;
import dev.jrsync.core.SessionLog;
import dev.jrsync.mirror.LiveMirror;
import dev.jrsync.mirror.Transfer;
import dev.jrsync.options.Options;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code jrsync --watch}: runs a {@link LiveMirror} on this thread until it is interrupted. Ctrl-C and SIGTERM
 * reach it through a shutdown hook, which interrupts the mirror and waits for it to close its watches.
 */
final class WatchRun {
    private static final long STOP_WAIT_SECONDS = 10;

    private WatchRun() {}

    static int run(Options options, SessionLog log, Credentials credentials) {
        Thread mirrorThread = Thread.currentThread();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            mirrorThread.interrupt();
            try {
                stopped.await(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "jrsync-watch-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return LiveMirror.run(options, Transfer.of(log, credentials), log);
        } finally {
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it returns now that the mirror has stopped
            }
        }
    }
}
