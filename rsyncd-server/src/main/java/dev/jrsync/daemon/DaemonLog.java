package dev.jrsync.daemon;

import dev.jrsync.core.Escaped;
import dev.jrsync.core.LogFormat;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;

/**
 * The daemon's log ({@code rsync/log.c:rwrite} with {@code FLOG}, {@code logit}): lines stamped
 * {@code YYYY/MM/DD HH:MM:SS [pid]} appended to the {@code log file}, or written to a stream (the
 * console of {@code --no-detach}) when none is configured. Safe to share between sessions.
 *
 * <p>Every message is escaped whole ({@link Escaped}), as rsync's {@code logit} escapes control characters:
 * a client's module name, user name, path argument or file name can hold a newline, and raw it would start
 * a forged line of its own.
 *
 * <p>Its owner closes it ({@code rsync/log.c:logfile_close}): the daemon's log when the daemon has stopped, a
 * module's {@code log file} when {@link RsyncDaemon#close} does.
 */
public final class DaemonLog implements AutoCloseable {
    private final Path file;
    private final PrintStream fallback;
    private final long pid = ProcessHandle.current().pid();

    /** Open from the start, as rsync opens its log before {@code chroot}: a chrooted session still logs. */
    private final FileChannel channel;

    /** @param file the log file, or null to write to {@code fallback} */
    public DaemonLog(Path file, PrintStream fallback) {
        this.file = file;
        this.fallback = fallback;
        FileChannel ch = null;
        if (file != null) {
            try {
                ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                        StandardOpenOption.WRITE);
            } catch (IOException e) {
                // rsync falls back to syslog; this log falls back to the console. Never reopened later: a
                // chrooted session would open a file of that name inside its module.
            }
        }
        this.channel = ch;
    }

    public Path file() {
        return file;
    }

    public void log(String message) {
        // names arrive escaped already (the roles shared with the client escape as they build a line) or raw
        // (a client's argument): undone and escaped once, each shows as rsync's log shows it
        String line = LocalDateTime.now().format(LogFormat.STAMP) + " [" + pid + "] " + Escaped.of(Escaped.raw(message)) + "\n";
        synchronized (this) {
            if (channel != null) {
                try {
                    ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
                    while (bytes.hasRemaining()) {
                        channel.write(bytes);
                    }
                    return;
                } catch (IOException e) {
                    // a full disk: the console still gets the line
                }
            }
            if (fallback != null) {
                fallback.print(line);
                fallback.flush();
            }
        }
    }

    /** Closes the log file; a line logged later goes to the console, if there is one. */
    @Override
    public synchronized void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // appends only, each written through: nothing is lost by a failed close
            }
        }
    }
}
