package dev.jrsync.cli;

import dev.jrsync.core.ExitCode;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;

/**
 * A client run's answer to SIGINT, SIGTERM and SIGHUP ({@code rsync/cleanup.c:sig_int}): the transfer on the
 * thread that runs it is cancelled (its temporary files removed), and the run ends with rsync's code 20 and its
 * line "received SIGINT, SIGTERM, or SIGHUP". The JDK's own reaction, a shutdown with 128 + the signal, would skip
 * both. A transfer that does not stop within {@link #GRACE_SECONDS} is ended anyway.
 */
final class SignalStop {
    static final long GRACE_SECONDS = 10;

    private SignalStop() {}

    /** From now on, these signals cancel what {@code runner} runs. */
    static void install(Thread runner) {
        for (String name : new String[] {"INT", "TERM", "HUP"}) {
            Signal.handle(new Signal(name), signal -> {
                runner.interrupt();
                Thread.ofPlatform().daemon().name("jrsync-signal-grace").start(() -> {
                    try {
                        TimeUnit.SECONDS.sleep(GRACE_SECONDS);
                        Runtime.getRuntime().halt(ExitCode.SIGNAL);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            });
        }
    }
}
