package dev.jrsync.daemon;

import dev.jrsync.options.Options;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code jrsync --daemon [--no-detach] [--config=FILE] [--port=N] [--address=ADDR] [--log-file=FILE]}
 * ({@code rsync/clientserver.c:daemon_main}).
 *
 * <p>rsync forks into the background unless {@code --no-detach}. A JVM cannot fork, so it starts itself
 * again with {@code --no-detach} added, as a child with its own output discarded and no console input,
 * and returns; the child writes the {@code pid file}, as rsync's background process does.
 */
public final class DaemonMain {
    private DaemonMain() {}

    public static final String DEFAULT_CONFIG = "/etc/rsyncd.conf";
    /** How long the detaching parent watches its child for an early exit (a port in use, a bad address). */
    static final java.time.Duration DETACH_GRACE = java.time.Duration.ofSeconds(2);

    public static int run(Options options, PrintStream out, PrintStream err) {
        Path configFile = Path.of(options.config != null ? options.config : DEFAULT_CONFIG);
        RsyncdConfig config;
        try {
            config = RsyncdConfig.load(configFile);
        } catch (IOException e) {
            err.println("rsync: unable to open configuration file \"" + configFile + "\": " + e.getMessage());
            return 1;
        }
        if (!options.noDetach) {
            return detach(err);
        }
        int port = options.port > 0 ? options.port : config.port() > 0 ? config.port() : RsyncDaemon.DEFAULT_PORT;
        String address = options.address != null ? options.address : config.address();
        String logFile = options.logFile != null ? options.logFile : config.logFile();
        DaemonLog log = new DaemonLog(logFile == null ? null : Path.of(logFile), err);
        InetSocketAddress bind = address == null ? new InetSocketAddress(port) : new InetSocketAddress(address, port);
        RsyncDaemon daemon = new RsyncDaemon(config, log).maxAlloc(options.effectiveMaxAlloc());
        try {
            daemon.start(bind);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 20;
        } catch (RuntimeException e) {
            err.println("rsync: failed to bind to " + bind + ": " + e.getMessage());
            return 10;
        }
        Path pidFile = config.pidFile() == null || config.pidFile().isEmpty() ? null : Path.of(config.pidFile());
        if (pidFile != null) {
            try {
                Files.writeString(pidFile, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
            } catch (IOException e) {
                err.println("rsync: failed to create pid file " + pidFile + ": " + e.getMessage());
                daemon.close();
                return 11;
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            daemon.close();
            if (pidFile != null) {
                try {
                    Files.deleteIfExists(pidFile);
                } catch (IOException ignored) {
                    // best effort on the way out
                }
            }
        }));
        try {
            daemon.awaitClose();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
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
        Process child;
        try {
            child = new ProcessBuilder(cmd)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            err.println("rsync: failed to start the background daemon: " + e.getMessage());
            return 1;
        }
        // rsync's parent returns at once; we wait a moment so that a child that cannot bind is not silent.
        try {
            if (child.waitFor(DETACH_GRACE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                err.println("rsync: the background daemon exited with code " + child.exitValue()
                        + " (run with --no-detach to see why)");
                return child.exitValue() == 0 ? 1 : child.exitValue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
