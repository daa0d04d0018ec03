package dev.jrsync.api.daemon;

import java.io.IOException;
import java.util.List;

/**
 * A daemon that could not start listening ({@code rsync/socket.c:open_socket_in}, a pid file that is held): the
 * lines rsync reports for it, which are in the daemon's log already, and rsync's exit code.
 */
public final class DaemonStartException extends IOException {
    private final int exitCode;
    private final List<String> lines;

    DaemonStartException(int exitCode, List<String> lines, Throwable cause) {
        super(String.join("\n", lines), cause);
        this.exitCode = exitCode;
        this.lines = List.copyOf(lines);
    }

    /** rsync's exit code: 10 for a socket that could not be bound, 11 for a pid file. */
    public int exitCode() {
        return exitCode;
    }

    /** What rsync prints, its closing "rsync error: ... (code N)" line last. */
    public List<String> lines() {
        return lines;
    }
}
