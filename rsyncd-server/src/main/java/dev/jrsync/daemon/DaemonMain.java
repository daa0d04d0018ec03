package dev.jrsync.daemon;

import dev.jrsync.core.ExitCode;
import dev.jrsync.fs.LocalStat;
import dev.jrsync.fs.Posix;
import dev.jrsync.net.StreamPair;
import dev.jrsync.options.Options;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code jrsync --daemon [--no-detach] [--config=FILE] [--port=N] [--address=ADDR] [--log-file=FILE]}
 * ({@code rsync/clientserver.c:daemon_main}).
 *
 * <p>rsync forks into the background unless {@code --no-detach}. A JVM cannot fork, so it starts itself
 * again with {@code --no-detach} added, as a child with no console input, and waits until the child reports
 * that it holds its pid file and listens, or has failed. Unlike rsync's parent, which returns before its
 * child binds, it therefore relays a start-up failure (a port in use, a locked pid file) and its exit code.
 */
public final class DaemonMain {
    private DaemonMain() {}

    public static final String DEFAULT_CONFIG = "/etc/rsyncd.conf";
    /** Set in the background child's environment: it then prints {@link #READY} once it serves. */
    static final String READY_ENV = "JRSYNC_DAEMON_REPORTS_READY";
    static final String READY = "@jrsync daemon ready";
    /** How long the detaching parent waits for its child to start (a JVM start and a bind). */
    static final java.time.Duration STARTUP_TIMEOUT = java.time.Duration.ofSeconds(60);

    public static int run(Options options, PrintStream out, PrintStream err) {
        Path configFile = Path.of(options.config() != null ? options.config() : DEFAULT_CONFIG);
        RsyncdConfig config;
        try {
            config = RsyncdConfig.load(configFile);
        } catch (IOException e) {
            err.println("rsync: unable to open configuration file \"" + configFile + "\": " + e.getMessage());
            return 1;
        }
        if (options.server()) {
            // rsync/main.c: --server --daemon is a daemon run by a remote shell (or RSYNC_CONNECT_PROG):
            // one session, read from stdin and written to stdout
            return oneSession(options, config, FileDescriptor.out);
        }
        if (stdinIsSocket()) {
            return oneSession(options, config, FileDescriptor.in);
        }
        if (!options.noDetach()) {
            return detach(err);
        }
        int port = options.port() > 0 ? options.port() : config.port() > 0 ? config.port() : RsyncDaemon.DEFAULT_PORT;
        String address = options.address() != null ? options.address() : config.address();
        String logFile = options.logFile() != null ? options.logFile() : config.logFile();
        DaemonLog log = new DaemonLog(logFile == null ? null : Path.of(logFile), err);
        PidFile pidFile = null;
        if (config.pidFile() != null && !config.pidFile().isEmpty()) {
            try {
                pidFile = PidFile.create(Path.of(config.pidFile()), ProcessHandle.current().pid());
            } catch (PidFile.Failure e) {
                int code = startFailure(log, err, ExitCode.FILE_IO, e.getMessage());
                log.close();
                return code;
            }
        }
        InetSocketAddress bind = address == null ? new InetSocketAddress(port) : new InetSocketAddress(address, port);
        RsyncDaemon daemon = new RsyncDaemon(config, log).maxAlloc(options.effectiveMaxAlloc());
        try {
            daemon.start(bind);
        } catch (Exception e) { // Netty rethrows the bind's checked exception undeclared
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            daemon.close();
            if (pidFile != null) {
                pidFile.close();
            }
            // rsync/socket.c:open_socket_in
            int code = startFailure(log, err, ExitCode.SOCKET_IO, "bind() failed: " + e.getMessage(),
                    "unable to bind any inbound sockets on port " + port);
            log.close();
            return code;
        }
        PidFile held = pidFile;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            daemon.close();
            if (held != null) {
                held.close();
            }
            log.close();
        }));
        if (System.getenv(READY_ENV) != null) {
            out.println(READY);
            out.flush();
        }
        try {
            daemon.awaitClose();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** rsync/clientserver.c:daemon_main: a socket on stdin means inetd (or a client's RSYNC_CONNECT_PROG) started us. */
    private static boolean stdinIsSocket() {
        try {
            return (Posix.fstat(0).mode() & LocalStat.S_IFMT) == LocalStat.S_IFSOCK;
        } catch (IOException e) {
            return false; // no stdin at all
        }
    }

    /**
     * One session read from stdin and written to {@code output}: descriptor 0 itself for a socket on stdin, as
     * rsync's {@code start_daemon(STDIN_FILENO, STDIN_FILENO)} does, or stdout under a remote shell. stdout and
     * stderr may be the client's stream (inetd passes the socket as all three), so nothing is printed on them:
     * the session's text goes to the client, the rest to the log file.
     */
    private static int oneSession(Options options, RsyncdConfig config, FileDescriptor output) {
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        System.setOut(nowhere);
        System.setErr(nowhere);
        String logFile = options.logFile() != null ? options.logFile() : config.logFile();
        try (DaemonLog log = new DaemonLog(logFile == null ? null : Path.of(logFile), null);
             FileInputStream in = new FileInputStream(FileDescriptor.in);
             OutputStream out = new BufferedOutputStream(new FileOutputStream(output), 64 << 10)) {
            RsyncDaemon daemon = new RsyncDaemon(config, log).maxAlloc(options.effectiveMaxAlloc());
            daemon.serve(StreamPair.of(in, out, () -> {
                try {
                    out.flush();
                } finally {
                    // a session's reader may be blocked on descriptor 0, which only a shutdown wakes
                    Posix.shutdownSocket(0);
                    in.close();
                }
            }), options.server() ? null : Posix.peerAddress(0));
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.SIGNAL;
        } catch (IOException e) {
            return ExitCode.SOCKET_IO;
        }
    }

    /**
     * A daemon that cannot start says why in its log and on stderr (rsync's FERROR and FLOG), then ends with
     * rsync's "rsync error: ... (code N)" line and that code.
     */
    private static int startFailure(DaemonLog log, PrintStream err, int code, String... lines) {
        List<String> all = new ArrayList<>(List.of(lines));
        all.add("rsync error: " + ExitCode.describe(code) + " (code " + code + ")");
        for (String line : all) {
            log.log(line);
            if (log.file() != null) {
                err.println(line);
            }
        }
        return code;
    }

    /** Starts this same command again with {@code --no-detach}, detached from our console. */
    private static int detach(PrintStream err) {
        ProcessHandle.Info info = ProcessHandle.current().info();
        Optional<String> command = info.command();
        Optional<String[]> args = info.arguments();
        if (command.isEmpty() || args.isEmpty()) {
            err.println("rsync: cannot find this process's command line to go to the background; use --no-detach");
            return 1;
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(command.get());
        boolean added = false;
        for (String a : args.get()) {
            cmd.add(a);
            if (!added && a.equals("--daemon")) {
                cmd.add("--no-detach");
                added = true;
            }
        }
        if (!added) {
            cmd.add("--no-detach");
        }
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectErrorStream(true);
        pb.environment().put(READY_ENV, "1");
        Process child;
        try {
            child = pb.start();
        } catch (IOException e) {
            err.println("rsync: failed to start the background daemon: " + e.getMessage());
            return 1;
        }
        return awaitStartup(child, err);
    }

    /**
     * Relays the child's output until it reports {@link #READY} (0) or ends (its exit code), bounded by
     * {@link #STARTUP_TIMEOUT}. After that the child writes nowhere: its pipe's reader is gone with us.
     */
    private static int awaitStartup(Process child, PrintStream err) {
        java.util.concurrent.BlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
        String end = "\0end";
        Thread.ofVirtual().start(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l = in.readLine(); l != null; l = in.readLine()) {
                    lines.add(l);
                }
            } catch (IOException ignored) {
                // the child's end closed: same as its end of output
            }
            lines.add(end);
        });
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        try {
            while (true) {
                String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    err.println("rsync: the background daemon did not report ready within "
                            + STARTUP_TIMEOUT.toSeconds() + " s; it keeps running (pid " + child.pid() + ")");
                    return 0;
                }
                if (line.equals(READY)) {
                    return 0;
                }
                if (line.equals(end)) {
                    if (!child.waitFor(5, TimeUnit.SECONDS)) {
                        return 0; // closed its output but still runs: it serves
                    }
                    return child.exitValue() == 0 ? ExitCode.SYNTAX : child.exitValue();
                }
                err.println(line);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.SIGNAL;
        }
    }
}
