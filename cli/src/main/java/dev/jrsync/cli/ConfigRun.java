package dev.jrsync.cli;

import dev.jrsync.api.mirror.MirrorConfig;
import dev.jrsync.api.mirror.MirrorSet;
import dev.jrsync.api.mirror.MirrorSpec;
import dev.jrsync.api.mirror.MirrorStatus;
import dev.jrsync.client.Credentials;
import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import dev.jrsync.core.SessionLog;
import dev.jrsync.fs.Posix;
import dev.jrsync.fs.SystemdNotify;
import dev.jrsync.options.OptionParser;
import dev.jrsync.options.Options;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import sun.misc.Signal;

/**
 * {@code jrsync --watch --config=FILE}: every sync of a mirror config ({@link MirrorConfig}), each printing its lines
 * after its name in brackets as {@code jrsync --watch} prints them. SIGHUP re-reads the file and moves to it without
 * a full sync of the syncs whose sections did not change ({@link MirrorSet#reload}); a file that no longer reads
 * leaves the running syncs as they are. Under systemd ({@code Type=notify}, {@code $NOTIFY_SOCKET}) it says when it is
 * ready, reloading and stopping. SIGINT and SIGTERM stop every sync, as they stop {@code --watch}.
 */
final class ConfigRun {
    private ConfigRun() {}

    /** {@code ownProcess}: the run is the process, so it may take SIGHUP and SIGUSR1. */
    static int run(Options options, SessionLog lines, Credentials credentials, Map<String, String> env,
                   boolean ownProcess) {
        Path file = Path.of(options.config());
        AtomicReference<MirrorConfig> current = new AtomicReference<>(read(file));
        String notifySocket = env.get("NOTIFY_SOCKET");
        AtomicReference<MirrorSet> running = new AtomicReference<>();
        // A destination's tally outlives its sync's restarts: its counters go on rising, as Prometheus expects.
        Map<String, MirrorTally> tallies = new ConcurrentHashMap<>();
        Map<String, MirrorTallies> bySync = new ConcurrentHashMap<>();
        try (MetricsEndpoint metrics = options.metrics() == null ? null : MetricsEndpoint.start(options.metrics())) {
            Function<String, MirrorTally> tally = target -> tallies.computeIfAbsent(target, t -> {
                MirrorTally made = new MirrorTally(t, metrics == null ? lag -> {} : metrics.lag(t));
                if (metrics != null) {
                    metrics.expose(made, () -> pending(running.get(), t));
                }
                return made;
            });
            MirrorSet set;
            try {
                set = MirrorSet.start(current.get(), sync -> spec(sync, credentials, env), name -> {
                    MirrorConfig.Sync sync = sync(current.get(), name);
                    MirrorTallies synced = new MirrorTallies(spec(sync, credentials, env).destinations(), tally);
                    bySync.put(name, synced);
                    return new BothListeners(new MirrorPrinter(new LabelledLog(lines, "[" + name + "] "),
                            OptionParser.parse(sync.argv())), synced);
                });
            } catch (IllegalArgumentException e) {
                throw new RsyncException(ExitCode.SYNTAX, "jrsync: " + file + ": " + e.getMessage());
            }
            running.set(set);
            lines.info("jrsync: mirroring " + describe(current.get()) + " from " + file);
            if (metrics != null) {
                lines.info("jrsync: metrics at " + WatchRun.url(metrics));
            }
            notify(notifySocket, "READY=1\nSTATUS=mirroring " + describe(current.get()), lines);
            if (ownProcess) {
                Signal.handle(new Signal("HUP"), signal -> Thread.ofPlatform().name("jrsync-reload").start(() -> {
                    synchronized (set) {
                        notify(notifySocket, "RELOADING=1\nMONOTONIC_USEC="
                                + TimeUnit.NANOSECONDS.toMicros(System.nanoTime()), lines);
                        reload(set, file, current, lines);
                        notify(notifySocket, "READY=1\nSTATUS=mirroring " + describe(current.get()), lines);
                    }
                }));
            }
            Supplier<String> status = () -> set.statuses().entrySet().stream()
                    .map(e -> bySync.get(e.getKey()).lines(e.getValue()).lines().map(l -> "[" + e.getKey() + "] " + l)
                            .collect(Collectors.joining("\n")))
                    .collect(Collectors.joining("\n"));
            try (StatusSignal signal = ownProcess ? StatusSignal.install(status, lines) : null;
                 StatusFile statusFile = options.statusFile() == null ? null
                         : StatusFile.start(Path.of(options.statusFile()), status, lines)) {
                return WatchRun.untilStopped(set::await, () -> {
                    notify(notifySocket, "STOPPING=1", lines);
                    set.close();
                });
            }
        }
    }

    /** A destination's changes seen and not yet sent, by whichever sync mirrors to it now; 0 for none. */
    private static int pending(MirrorSet set, String target) {
        if (set == null) {
            return 0;
        }
        return set.statuses().values().stream().flatMap(List::stream).filter(s -> s.target().equals(target))
                .mapToInt(MirrorStatus::pending).sum();
    }

    private static void reload(MirrorSet set, Path file, AtomicReference<MirrorConfig> current, SessionLog lines) {
        MirrorConfig next;
        try {
            next = MirrorConfig.read(file);
        } catch (IOException | IllegalArgumentException e) {
            lines.error("jrsync: reload of " + file + " failed; the running syncs go on as they were: "
                    + (e instanceof IOException io ? Posix.describe(io) : e.getMessage()));
            return;
        }
        current.set(next);
        try {
            MirrorSet.Reload r = set.reload(next);
            lines.info("jrsync: reloaded " + file + ": started " + r.started() + ", restarted " + r.restarted()
                    + ", stopped " + r.stopped() + ", unchanged " + r.unchanged());
        } catch (IllegalArgumentException e) {
            lines.error("jrsync: reload of " + file + ": " + e.getMessage());
        } catch (IllegalStateException closed) {
            // stopping: nothing to reload into
        }
    }

    private static MirrorConfig read(Path file) {
        try {
            return MirrorConfig.read(file);
        } catch (IOException e) {
            throw new RsyncException(ExitCode.FILE_IO, "jrsync: cannot read the mirror config " + file + ": "
                    + Posix.describe(e));
        } catch (IllegalArgumentException e) {
            throw new RsyncException(ExitCode.SYNTAX, "jrsync: " + e.getMessage());
        }
    }

    /** A sync's spec: its index kept where {@code jrsync --watch} keeps one, unless its options say where. */
    private static MirrorSpec spec(MirrorConfig.Sync sync, Credentials credentials, Map<String, String> env) {
        MirrorSpec spec = sync.spec(credentials::password);
        return OptionParser.parse(sync.argv()).watchState() != null ? spec
                : WatchRun.defaultState(env).map(spec::withState).orElse(spec);
    }

    private static MirrorConfig.Sync sync(MirrorConfig config, String name) {
        return config.syncs().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private static String describe(MirrorConfig config) {
        return config.syncs().size() + " sync" + (config.syncs().size() == 1 ? "" : "s") + " "
                + config.syncs().stream().map(MirrorConfig.Sync::name).toList();
    }

    private static void notify(String socket, String state, SessionLog lines) {
        try {
            SystemdNotify.send(socket, state);
        } catch (IOException e) {
            lines.error("jrsync: cannot notify systemd at " + socket + ": " + Posix.describe(e));
        }
    }
}
