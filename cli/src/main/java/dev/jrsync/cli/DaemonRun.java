package dev.jrsync.cli;

import dev.jrsync.api.Transport;
import dev.jrsync.api.daemon.Daemon;
import dev.jrsync.api.daemon.DaemonOptions;
import dev.jrsync.api.daemon.DaemonStartException;
import dev.jrsync.core.ExitCode;
import dev.jrsync.fs.LocalStat;
import dev.jrsync.fs.Posix;
import dev.jrsync.options.Options;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * {@code jrsync --daemon [--no-detach] [--config=FILE] [--port=N] [--address=ADDR] [--log-file=FILE]}
 * ({@code rsync/clientserver.c:daemon_main}), through the library's {@link Daemon}.
 *
 * <p>rsync forks into the background unless {@code --no-detach}. A JVM cannot fork, so it starts itself
 * again with {@code --no-detach} added, as a child with no console input, and waits until the child reports
 * that it holds its pid file and listens, or has failed. Unlike rsync's parent, which returns before its
 * child binds, it therefore relays a start-up failure (a port in use, a locked pid file) and its exit code.
 */
final class DaemonRun {
    private DaemonRun() {}

    static final String DEFAULT_CONFIG = "/etc/rsyncd.conf";
    /** Set in the background child's environment: it then prints {@link #READY} once it serves. */
    static final String READY_ENV = "JRSYNC_DAEMON_REPORTS_READY";
    static final String READY = "@jrsync daemon ready";
    /** How long the detaching parent waits for its child to start (a JVM start and a bind). */
    static final java.time.Duration STARTUP_TIMEOUT = java.time.Duration.ofSeconds(60);

    static int run(Options options, PrintStream out, PrintStream err) {
        Path configFile = Path.of(options.config() != null ? options.config() : DEFAULT_CONFIG);
        if (options.server()) {
            // rsync/main.c: --server --daemon is a daemon run by a remote shell (or RSYNC_CONNECT_PROG):
            // one session, read from stdin and written to stdout
            return oneSession(options, configFile, FileDescriptor.out, err);
        }
        if (stdinIsSocket()) {
            return oneSession(options, configFile, FileDescriptor.in, err);
        }
        if (!options.noDetach()) {
            return detach(err);
        }
        Daemon daemon = open(configFile, daemonOptions(options, Optional.of(err)), err);
        if (daemon == null) {
            return ExitCode.SYNTAX;
        }
        try {
            daemon.listen();
        } catch (DaemonStartException e) {
            if (daemon.logFile().isPresent()) {
                e.lines().forEach(err::println); // rsync's FERROR as well as its FLOG
            }
            daemon.close();
            return e.exitCode();
        } catch (InterruptedException e) {
            daemon.close();
            return ExitCode.SIGNAL;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(daemon::close));
        if (System.getenv(READY_ENV) != null) {
            out.println(READY);
            out.flush();
        }
        try {
            daemon.awaitClose();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ExitCode.OK;
    }

    /** The command line's additions to rsyncd.conf. */
    private static DaemonOptions daemonOptions(Options options, Optional<PrintStream> console) {
        return new DaemonOptions(options.port() > 0 ? OptionalInt.of(options.port()) : OptionalInt.empty(),
                Optional.ofNullable(options.address()), Optional.ofNullable(options.logFile()).map(Path::of), console,
                OptionalLong.of(options.effectiveMaxAlloc()),
                options.tlsCert() == null ? Optional.empty() : Optional.of(new DaemonOptions.Tls(Path.of(options.tlsCert()),
                        Path.of(options.tlsKey() != null ? options.tlsKey() : options.tlsCert()))));
    }

    /** The daemon the configuration file describes; null, and rsync's message, when it cannot be read. */
    private static Daemon open(Path configFile, DaemonOptions options, PrintStream err) {
        try {
            return Daemon.fromConfig(configFile, options);
        } catch (IOException e) {
            err.println("rsync: unable to open configuration file \"" + configFile + "\": " + e.getMessage());
            return null;
        }
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
     * stderr may be the client's stream (inetd passes the socket as all three), so nothing is printed on them
     * once the configuration is read: the session's text goes to the client, the rest to the log file.
     */
    private static int oneSession(Options options, Path configFile, FileDescriptor output, PrintStream err) {
        Daemon daemon = open(configFile, daemonOptions(options, Optional.empty()), err);
        if (daemon == null) {
            return ExitCode.SYNTAX;
        }
        Main.blockingStdio(err);
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        System.setOut(nowhere);
        System.setErr(nowhere);
        Optional<InetAddress> peer = options.server() ? Optional.empty() : Optional.ofNullable(Posix.peerAddress(0));
        try (daemon;
             FileInputStream in = new FileInputStream(FileDescriptor.in);
             OutputStream out = new BufferedOutputStream(new FileOutputStream(output), 64 << 10)) {
            daemon.serve(new Transport() {
                @Override
                public InputStream in() {
                    return in;
                }

                @Override
                public OutputStream out() {
                    return out;
                }

                @Override
                public void close() throws IOException {
                    try {
                        out.flush();
                    } finally {
                        // a session's reader may be blocked on descriptor 0, which only a shutdown wakes
                        Posix.shutdownSocket(0);
                        in.close();
                    }
                }

                @Override
                public Optional<InetAddress> peer() {
                    return peer;
                }
            });
            return ExitCode.OK;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.SIGNAL;
        } catch (IOException e) {
            return ExitCode.SOCKET_IO;
        }
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
