package dev.jrsync.cli;

import dev.jrsync.core.SessionLog;
import java.util.function.Supplier;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * {@code kill -USR1} on a running {@code jrsync --watch}: one line per target of what it is doing, printed
 * where the mirror's other lines go. rsync's nearest is its SIGINFO/SIGVTALRM progress dump
 * ({@code main.c:siginfo_handler}) during a transfer; a mirror runs for days, so the question comes later.
 * HotSpot leaves SIGUSR1 to the program (its own suspend signal is SIGUSR2). Under {@code -Xrs} (in
 * {@code JRSYNC_JAVA_OPTS}) it starts no thread to run Java signal handlers: the signal is still caught, so the
 * mirror carries on, but no line comes.
 */
final class StatusSignal implements AutoCloseable {
    private static final Signal USR1 = new Signal("USR1");

    private final SignalHandler previous;

    private StatusSignal(SignalHandler previous) {
        this.previous = previous;
    }

    /** From now until closed, SIGUSR1 prints {@code line}'s text (one line per target) to {@code lines}. */
    static StatusSignal install(Supplier<String> line, SessionLog lines) {
        return new StatusSignal(Signal.handle(USR1, signal -> lines.info(line.get())));
    }

    /** SIGUSR1 does again what it did before. */
    @Override
    public void close() {
        Signal.handle(USR1, previous);
    }
}
