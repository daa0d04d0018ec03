package dev.jrsync.daemon;

import dev.jrsync.session.Escaped;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The daemon's log ({@code rsync/log.c:rwrite} with {@code FLOG}, {@code logit}): lines stamped
 * {@code YYYY/MM/DD HH:MM:SS [pid]} appended to the {@code log file}, or written to a stream (the
 * console of {@code --no-detach}) when none is configured. Safe to share between sessions.
 *
 * <p>Every message is escaped whole ({@link Escaped}), as rsync's {@code logit} escapes control characters:
 * a client's module name, user name, path argument or file name can hold a newline, and raw it would start
 * a forged line of its own.
 */
public final class DaemonLog {
    static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss");

    private final Path file;
    private final PrintStream fallback;
    private final long pid = ProcessHandle.current().pid();

    /** @param file the log file, or null to write to {@code fallback} */
    public DaemonLog(Path file, PrintStream fallback) {
        this.file = file;
        this.fallback = fallback;
    }

    public Path file() {
        return file;
    }

    public void log(String message) {
        String line = LocalDateTime.now().format(STAMP) + " [" + pid + "] " + Escaped.of(message) + "\n";
        synchronized (this) {
            if (file != null) {
                try {
                    Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND, StandardOpenOption.WRITE);
                    return;
                } catch (IOException e) {
                    // rsync falls back to syslog when the log file cannot be opened; we fall back to the console.
                }
            }
            if (fallback != null) {
                fallback.print(line);
                fallback.flush();
            }
        }
    }
}
