package dev.jrsync.session;

import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import dev.jrsync.wire.AllocationRefused;
import dev.jrsync.wire.ProtocolException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.util.function.Supplier;

/**
 * How every session ends ({@code rsync/cleanup.c:_exit_cleanup} with {@code log.c:rerr_names}): push, pull, local
 * copy and both daemon roles run their roles through {@link #run}, and whatever stops them becomes one
 * {@link RsyncException} carrying the exit code rsync would end with; a finished session's io_error bits become
 * their code through {@link #exitCode(int)}. The command, the library and the daemon read their codes here only.
 */
public final class SessionRunner {
    private SessionRunner() {}

    /** Runs a session's roles on this thread; a failure comes out as the {@link RsyncException} {@link #failure} gives. */
    public static <T> T run(Supplier<T> roles) {
        try {
            return roles.get();
        } catch (RuntimeException e) {
            throw failure(e);
        }
    }

    /**
     * As {@link #run(Supplier)} for the side that writes first: when a write fails, the peer's last messages
     * (its error line and exit) are read before the failure is reported, as rsync's {@code io.c} drains its input
     * after a write error, so the user sees why the peer hung up.
     */
    public static <T> T run(Connection conn, Supplier<T> roles) {
        return run(() -> {
            try {
                return roles.get();
            } catch (UncheckedIOException e) {
                throw conn.afterWriteFailure(e);
            }
        });
    }

    /** The exit code of whatever stopped a session. */
    public static RsyncException failure(Throwable t) {
        return switch (t) {
            case RsyncException re -> re;
            case AllocationRefused ar -> new RsyncException(ExitCode.MALLOC, ar.getMessage(), ar);
            // a rule a merge file holds, read while the list is made
            case dev.jrsync.options.OptionException oe -> new RsyncException(oe.exitCode(), oe.getMessage(), oe);
            case ProtocolException pe -> new RsyncException(ExitCode.STREAM_IO, "rsync: " + pe.getMessage()
                    + " (error in rsync protocol data stream)", pe);
            case UncheckedIOException ue when ue.getCause() instanceof SocketTimeoutException timeout ->
                    new RsyncException(ExitCode.TIMEOUT, "rsync: " + timeout.getMessage(), ue);
            case UncheckedIOException ue -> new RsyncException(ExitCode.STREAM_IO,
                    "rsync: connection unexpectedly closed: " + ue.getCause().getMessage(), ue);
            default -> new RsyncException(ExitCode.IPC, "rsync: internal error: " + t, t);
        };
    }

    /**
     * As {@link #failure}, for a client's whole run (the command's or the library's): its roles ran inside
     * {@link #run}, so an IllegalArgumentException that reaches here unwrapped came from the run's own arguments
     * (a spec, an operand) and is rsync's syntax error, where inside the roles it would be an internal one.
     */
    public static RsyncException clientFailure(Throwable t) {
        return t instanceof IllegalArgumentException iae
                ? new RsyncException(ExitCode.SYNTAX, "jrsync: " + iae.getMessage(), iae) : failure(t);
    }

    /**
     * rsync's exit code for the io_error bits a finished session collected ({@code rsync/cleanup.c:exit_cleanup}):
     * a general error over vanished files over the {@code --max-delete} limit; a bit rsync does not define counts
     * as a general error.
     */
    public static int exitCode(int ioError) {
        if ((ioError & ~(Connection.IOERR_VANISHED | Connection.IOERR_DEL_LIMIT)) != 0) {
            return ExitCode.PARTIAL;
        }
        if ((ioError & Connection.IOERR_VANISHED) != 0) {
            return ExitCode.VANISHED;
        }
        return (ioError & Connection.IOERR_DEL_LIMIT) != 0 ? ExitCode.DEL_LIMIT : ExitCode.OK;
    }
}
