package dev.jrsync.cli;

import dev.jrsync.api.mirror.Mirror;
import dev.jrsync.api.mirror.MirrorHandle;
import dev.jrsync.api.mirror.MirrorSpec;
import dev.jrsync.client.Credentials;
import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import dev.jrsync.core.SessionLog;
import dev.jrsync.options.Options;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code jrsync --watch}, through the library's mirror API: the command line becomes a {@link MirrorSpec}, a
 * {@link MirrorPrinter} prints what the mirror reports, and this thread waits until the mirror stops. Ctrl-C and
 * SIGTERM reach it through a shutdown hook, which closes the mirror and waits for it to close its watches; an
 * interrupt of this thread stops it the same way. A {@link MirrorTally} keeps each destination's numbers, which
 * {@code --metrics} serves, {@code --status-file} keeps as lines and, in a process of its own, SIGUSR1 prints.
 */
final class WatchRun {
    private WatchRun() {}

    /**
     * Mirrors as {@code argv} asks ({@code options} is the same command line parsed) and returns the exit code;
     * {@code ownProcess}: the run is the process, so it may take SIGUSR1. Without {@code --watch-state} or {@code
     * --no-watch-state} the tree index is kept where {@code env} says state belongs (XDG's base directories), so
     * that a restart sends only what changed.
     */
    static int run(List<String> argv, Options options, SessionLog lines, Credentials credentials,
                   Map<String, String> env, boolean ownProcess) {
        MirrorSpec spec;
        try {
            spec = MirrorSpec.parse(argv, credentials::password);
            if (options.watchState() == null) {
                spec = defaultState(env).map(spec::withState).orElse(spec);
            }
        } catch (IllegalArgumentException e) {
            throw new RsyncException(ExitCode.SYNTAX, e.getMessage());
        }
        List<String> targets = spec.destinations();
        try (MetricsEndpoint metrics = options.metrics() == null ? null : MetricsEndpoint.start(options.metrics())) {
            MirrorTallies tallies = new MirrorTallies(targets,
                    target -> metrics == null ? lag -> {} : metrics.lag(target));
            MirrorHandle mirror;
            try {
                mirror = Mirror.start(spec, new BothListeners(new MirrorPrinter(lines, options), tallies));
            } catch (IllegalArgumentException e) {
                throw new RsyncException(ExitCode.SYNTAX, e.getMessage());
            }
            Supplier<String> status = () -> tallies.lines(mirror.statuses());
            try (StatusSignal signal = ownProcess ? StatusSignal.install(status, lines) : null;
                 StatusFile file = options.statusFile() == null ? null
                         : StatusFile.start(Path.of(options.statusFile()), status, lines)) {
                if (metrics != null) {
                    for (int i = 0; i < targets.size(); i++) {
                        int target = i;
                        metrics.expose(tallies.all().get(i), () -> mirror.statuses().get(target).pending());
                    }
                    lines.info("jrsync: metrics at http://" + hostAndPort(metrics) + "/metrics");
                }
                return untilStopped(mirror::await, mirror::close);
            }
        }
    }

    /** {@code $XDG_STATE_HOME/jrsync}, else {@code $HOME/.local/state/jrsync}; none without either. */
    static Optional<Path> defaultState(Map<String, String> env) {
        String xdg = env.get("XDG_STATE_HOME");
        if (xdg != null && xdg.startsWith("/")) {
            return Optional.of(Path.of(xdg, "jrsync"));
        }
        String home = env.get("HOME");
        return home == null || home.isEmpty() ? Optional.empty() : Optional.of(Path.of(home, ".local/state/jrsync"));
    }

    /** The address as a URL writes it: an IPv6 one in brackets. */
    private static String hostAndPort(MetricsEndpoint metrics) {
        String host = metrics.address().getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + metrics.address().getPort();
    }

    /** What a run waits for: its exit code once it has stopped. */
    interface Awaited {
        int await() throws InterruptedException;
    }

    /**
     * Waits for {@code run}, which {@code stop} stops and waits for: from a shutdown hook on SIGINT or SIGTERM, or
     * here when this thread is interrupted (a clean end, 0).
     */
    static int untilStopped(Awaited run, Runnable stop) {
        Thread hook = new Thread(stop, "jrsync-watch-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return run.await();
        } catch (InterruptedException e) {
            stop.run();
            Thread.currentThread().interrupt();
            return ExitCode.OK;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it returns once the run has stopped
            }
        }
    }
}
