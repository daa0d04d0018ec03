package dev.jrsync.cli;

import dev.jrsync.core.SessionLog;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code --status-file=FILE}: the SIGUSR1 line kept in a file, for a monitor that reads rather than signals. rsync
 * has no counterpart. Once a second the line is made again and, when it changed, written aside and renamed over
 * the file, so a reader sees the old line or the new one, never half of one; an idle mirror writes nothing.
 */
final class StatusFile implements AutoCloseable {
    private static final long PERIOD_MS = 1000;

    private final Path file;
    private final Supplier<String> text;
    private final SessionLog lines;
    private final Thread writer;
    private String written;
    private boolean failing;

    private StatusFile(Path file, Supplier<String> text, SessionLog lines) {
        this.file = file;
        this.text = text;
        this.lines = lines;
        this.writer = Thread.ofPlatform().daemon().name("jrsync-status-file").unstarted(this::run);
    }

    /** Keeps {@code text}'s lines in {@code file} until closed; a file that cannot be written is said once. */
    static StatusFile start(Path file, Supplier<String> text, SessionLog lines) {
        StatusFile status = new StatusFile(file, text, lines);
        status.write();
        status.writer.start();
        return status;
    }

    private void run() {
        try {
            while (true) {
                TimeUnit.MILLISECONDS.sleep(PERIOD_MS);
                write();
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    private void write() {
        String now = text.get() + "\n";
        if (now.equals(written)) {
            return;
        }
        Path aside = file.resolveSibling("." + file.getFileName() + ".tmp");
        try {
            Files.writeString(aside, now, StandardCharsets.UTF_8);
            Files.move(aside, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            written = now;
            failing = false;
        } catch (ClosedByInterruptException e) {
            Thread.currentThread().interrupt(); // closed while writing: the closing thread writes the last line
        } catch (IOException e) {
            if (!failing) {
                lines.error("jrsync: --status-file: cannot write " + file + ": " + e.getMessage());
            }
            failing = true;
        }
    }

    /** Stops the updates, then writes the line once more: the mirror's last state. */
    @Override
    public void close() {
        boolean interrupted = Thread.interrupted(); // a stop asked of this thread: the last line goes all the same
        writer.interrupt();
        while (writer.isAlive()) {
            try {
                writer.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        write();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
