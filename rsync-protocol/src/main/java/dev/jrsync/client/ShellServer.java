package dev.jrsync.client;

import dev.jrsync.clientserver.ArgList;
import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import dev.jrsync.core.SessionLog;
import dev.jrsync.filter.FilterRules;
import dev.jrsync.filter.FilterSide;
import dev.jrsync.fs.ScanFilter;
import dev.jrsync.net.BytePipe;
import dev.jrsync.options.OptionException;
import dev.jrsync.options.Options;
import dev.jrsync.options.ServerArgs;
import dev.jrsync.session.Connection;
import dev.jrsync.session.FilesFromNames;
import dev.jrsync.session.LocalDest;
import dev.jrsync.session.ProtocolSetup;
import dev.jrsync.session.SessionParams;
import dev.jrsync.session.SessionRunner;
import dev.jrsync.wire.MaxAlloc;
import dev.jrsync.wire.MsgCode;
import dev.jrsync.wire.ProtocolException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * {@code jrsync --server ...}: the far end of a remote-shell session ({@code rsync/main.c:start_server}), which
 * rsync's client starts with {@code rsync -e SHELL --rsync-path=jrsync}. The protocol runs over stdin and stdout;
 * the roles are the client's own, over the user's files as they are (a remote shell gives no module to confine
 * them to): {@code do_server_sender} sends what it is asked for, {@code do_server_recv} receives into the last
 * path. Its messages go to the client, multiplexed; before that, to stderr, which the remote shell carries back.
 */
public final class ShellServer {
    private ShellServer() {}

    private static final SecureRandom SEEDS = new SecureRandom();
    /** How long a failed server lets the client read its error before it exits. */
    static final long ERROR_DRAIN_MILLIS = 2000;

    /**
     * Serves one session and returns the exit code; {@code args} are the server's arguments ({@code --server},
     * options, ".", paths). Option errors are reported on {@code err} as rsync's server reports them.
     */
    public static int run(List<String> args, InputStream stdin, OutputStream out, PrintStream err) {
        InputStream in = BytePipe.readAhead(stdin, RemoteShell.READ_AHEAD, "jrsync-server-reader");
        Messages messages = new Messages(err);
        Connection conn = new Connection(in, out, messages);
        ServerArgs.Parsed parsed;
        try {
            List<String> all = args;
            if (ServerArgs.secluded(args)) {
                // rsync/main.c: -s on the command line, the rest of the arguments on stdin
                all = new ArrayList<>(args);
                all.addAll(ArgList.readSecluded(conn.in()));
            }
            parsed = ServerArgs.parseShell(all);
        } catch (OptionException e) {
            err.println(e.getMessage());
            return e.exitCode();
        } catch (ProtocolException | UncheckedIOException e) {
            err.println("rsync: reading the secluded arguments: " + e.getMessage());
            return ExitCode.STREAM_IO;
        }
        Options options = parsed.options();
        conn.in().setMaxAlloc(new MaxAlloc(options.effectiveMaxAlloc(), null));
        int protocol;
        SessionParams params;
        try {
            protocol = ProtocolSetup.exchangeVersions(conn, ServerArgs.PROTOCOL_VERSION, DaemonClient.MIN_PROTOCOL_VERSION);
            params = ProtocolSetup.server(conn, options, parsed.clientInfo(), protocol, SEEDS.nextInt(), true);
            conn.startMultiplexOut();
        } catch (RuntimeException e) {
            RsyncException failure = SessionRunner.failure(e);
            err.println(failure.getMessage());
            return failure.exitCode();
        }
        messages.attach(conn);
        if (protocol >= 30) {
            conn.startMultiplexIn();
        }
        conn.setSender(options.sender());
        Runnable abort = () -> {
            // the input only: a role blocked on the client wakes up, and the error still reaches the client
            try (in) {
                // closed
            } catch (IOException ignored) {
                // closed already
            }
        };
        LogFileWriter logFile = null;
        try {
            // rsync/log.c:log_init on a server: its own --log-file, which a client's -M may name
            logFile = options.logFile() == null ? null : LogFileWriter.open(options, options.sender());
            SessionLog log = logFile == null ? messages : logFile.teeing(messages);
            TransferResult result = SessionRunner.run(conn, () -> options.sender()
                    ? send(conn, params, options, parsed.paths(), log)
                    : receive(conn, params, options, parsed.paths(), log, abort));
            conn.flush();
            if (logFile != null) {
                logFile.summary(List.of(), result.bytesWritten(), result.bytesRead(), result.stats().totalSize);
            }
            return SessionRunner.exitCode(result.ioError());
        } catch (Connection.RemoteExit e) {
            return e.exitCode(); // the client stopped; it has said why
        } catch (RsyncException e) {
            fail(conn, protocol, options.sender(), e, in);
            return e.exitCode();
        } finally {
            if (logFile != null) {
                logFile.close();
            }
        }
    }

    // rsync/main.c:do_server_sender: the client's rules always come first; no path means the current directory
    private static TransferResult send(Connection conn, SessionParams params, Options options, List<String> paths,
                                       SessionLog log) {
        FilterRules rules = FilterRules.fromServerArgs(options.filters(), options.deleteExcluded())
                .then(FilterRules.receive(conn.in(), params.protocol(), options.deleteExcluded()))
                .withServerCvsExclude(options.cvsExclude(), true, params.protocol());
        ScanFilter scan = rules.rules().isEmpty() ? ScanFilter.NONE
                : rules.view(FilterSide.SENDER, Filters.rulesRoot(options));
        List<String> sources = paths.isEmpty() ? List.of(".") : paths;
        return Push.send(FilesFromList.resolve(options), sources, scan, log, conn, params, true);
    }

    // rsync/main.c:do_server_recv: rules only when the receiver needs them, then do_recv into the last path
    private static TransferResult receive(Connection conn, SessionParams params, Options options, List<String> paths,
                                          SessionLog log, Runnable abort) {
        int protocol = params.protocol();
        boolean wantsRules = options.pruneEmptyDirs()
                || (options.deleteMode() && (!options.deleteExcluded() || protocol >= 29));
        // the rules among the server arguments (a client's -M) come first
        FilterRules rules = FilterRules.fromServerArgs(options.filters(), options.deleteExcluded())
                .then(wantsRules ? FilterRules.receive(conn.in(), protocol, options.deleteExcluded())
                        : FilterRules.fromArgs(List.of(), options.deleteExcluded()))
                .withServerCvsExclude(options.cvsExclude(), false, protocol);
        if (options.filesFromFile() != null) {
            // the client's "--files-from=:path": read here, sent to the sending client (rsync/main.c:do_server_recv)
            FilesFromNames.send(conn.out(), FilesFromList.resolve(options).filesFrom());
        }
        LocalDest dest = LocalDest.of(paths.isEmpty() ? "." : paths.getLast(), options.insecureLinks());
        return Pull.receive(conn, params, options, dest, rules.view(FilterSide.RECEIVER, Filters.rulesRoot(options)),
                UnaryOperator.identity(), log, true, abort);
    }

    /**
     * rsync/log.c:rwrite and cleanup.c:_exit_cleanup on a server: the error, rsync's closing line and, from
     * protocol 31, MSG_ERROR_EXIT; then the client is given {@link #ERROR_DRAIN_MILLIS} to read them and hang up.
     */
    private static void fail(Connection conn, int protocol, boolean sender, RsyncException e, InputStream in) {
        try {
            if (e.getMessage() != null) {
                conn.sendText(MsgCode.ERROR, e.getMessage() + "\n");
            }
            conn.sendText(MsgCode.ERROR, "rsync error: " + ExitCode.describe(e.exitCode()) + " (code " + e.exitCode()
                    + ") [" + (sender ? "sender" : "receiver") + "=jrsync]\n");
            if (protocol >= 31) {
                conn.sendInt(MsgCode.ERROR_EXIT, e.exitCode());
            }
            conn.flush();
        } catch (RuntimeException gone) {
            return; // the client is gone already
        }
        Thread drain = Thread.ofVirtual().start(() -> {
            byte[] buf = new byte[8192];
            try {
                while (in.read(buf) >= 0) {
                    // discard until the client hangs up
                }
            } catch (IOException ignored) {
                // closed
            }
        });
        try {
            drain.join(ERROR_DRAIN_MILLIS);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Where a server's messages go ({@code rsync/log.c:rwrite} with {@code am_server}): stderr until the output is
     * multiplexed, then the client, errors as MSG_ERROR_XFER (a file's failure, which makes the client exit 23).
     * Names go as their bytes; the client escapes them when it prints.
     */
    private static final class Messages implements SessionLog {
        private final PrintStream err;
        private volatile Connection conn;

        Messages(PrintStream err) {
            this.err = err;
        }

        void attach(Connection conn) {
            this.conn = conn;
        }

        @Override
        public void info(String line) {
            Connection c = conn;
            if (c != null) {
                c.sendLine(MsgCode.INFO, line);
            }
        }

        @Override
        public void error(String line) {
            Connection c = conn;
            if (c != null) {
                c.sendLine(MsgCode.ERROR_XFER, line);
            } else {
                err.println(line);
            }
        }
    }
}
