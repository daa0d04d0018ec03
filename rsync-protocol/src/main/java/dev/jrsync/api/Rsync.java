package dev.jrsync.api;

import dev.jrsync.client.ClientTransfer;
import dev.jrsync.client.Credentials;
import dev.jrsync.client.DaemonAddress;
import dev.jrsync.client.DaemonClient;
import dev.jrsync.client.TransferResult;
import dev.jrsync.clientserver.ModuleLine;
import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import dev.jrsync.core.SessionLog;
import dev.jrsync.net.StreamPair;
import dev.jrsync.options.OptionException;
import dev.jrsync.options.OptionParser;
import dev.jrsync.options.Options;
import dev.jrsync.session.Connection;
import dev.jrsync.session.SessionRunner;
import dev.jrsync.session.TransferStats;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * Runs transfers ({@code rsync/main.c:start_client}): a push when the destination is a daemon, a pull when
 * the sources are, a local copy otherwise. <pre>{@code
 * TransferOutcome done = Rsync.transfer(TransferSpec.builder()
 *         .archive().delete()
 *         .source(Path.of("site"), true)
 *         .destination("rsync://backup.example/www/")
 *         .build());
 * }</pre>
 */
public final class Rsync {
    private Rsync() {}

    /** Runs {@code spec} on this thread and returns how it ended. */
    public static TransferOutcome transfer(TransferSpec spec) {
        return transfer(spec, TransferListener.NONE);
    }

    /**
     * Runs {@code spec} on this thread, reporting to {@code listener}, and returns how it ended; interrupting
     * this thread cancels it (exit code 20).
     */
    public static TransferOutcome transfer(TransferSpec spec, TransferListener listener) {
        return run(listener, log -> ClientTransfer.run(spec.options(), spec.sources(),
                spec.destination().orElse(null), log, spec.passwords()::password));
    }

    /**
     * Runs {@code spec} over {@code transport} instead of a TCP connection: the daemon protocol, with the module
     * (and user) that the spec's daemon URL names; its host and port are not used. The transport is closed
     * when the transfer ends.
     */
    public static TransferOutcome transfer(TransferSpec spec, TransferListener listener, Transport transport) {
        return run(listener, log -> {
            Options options = spec.options();
            String destination = spec.destination().orElse(null);
            DaemonAddress daemon = ClientTransfer.daemonOf(options, spec.sources(), destination);
            StreamPair streams = StreamPair.of(transport.in(), transport.out(), transport::close);
            if (daemon == null) {
                streams.close();
                throw new IllegalArgumentException("a transport carries a daemon session: the source or the "
                        + "destination must name a module (rsync://host/module/path)");
            }
            Credentials credentials = spec.passwords()::password;
            DaemonClient.Greeted greeted = DaemonClient.greet(streams, daemon, options, log, credentials);
            if (greeted == null) {
                return new TransferResult(new TransferStats(), 0, 0, 0); // the daemon listed its modules
            }
            return ClientTransfer.run(options, spec.sources(), destination, log, credentials, greeted);
        });
    }

    /**
     * Lists the sources of {@code spec}, a spec without a destination, as rsync does when it is given none (or
     * {@code --list-only}): a daemon's module path ({@code rsync://host/module/dir/}) or a local path. Without
     * {@code recursive()} a directory's contents are listed but not those of its subdirectories.
     *
     * @throws IllegalArgumentException when the spec has a destination
     */
    public static FileListing list(TransferSpec spec) {
        return list(spec, listener -> transfer(spec, listener));
    }

    /** As {@link #list(TransferSpec)}, from a daemon over {@code transport} (see {@link #transfer(TransferSpec,
     * TransferListener, Transport)}). */
    public static FileListing list(TransferSpec spec, Transport transport) {
        return list(spec, listener -> transfer(spec, listener, transport));
    }

    private static FileListing list(TransferSpec spec, Function<TransferListener, TransferOutcome> run) {
        if (spec.destination().isPresent()) {
            throw new IllegalArgumentException("a listing has no destination");
        }
        Queue<ListedFile> files = new ConcurrentLinkedQueue<>();
        TransferOutcome outcome = run.apply(new TransferListener() {
            @Override
            public void listed(ListedFile file) {
                files.add(file);
            }
        });
        return new FileListing(List.copyOf(files), outcome);
    }

    /**
     * Asks the daemon at {@code daemonUrl} ({@code rsync://host[:port]/} or {@code host::}) for its modules, as
     * {@code rsync rsync://host/} does; no password is needed.
     *
     * @throws IllegalArgumentException when the URL is not a daemon's, or names a module
     */
    public static ModuleList listModules(String daemonUrl) {
        return listModules(daemonUrl, (addr, options, log) -> DaemonClient.greet(addr, options, log, Credentials.NONE));
    }

    /** As {@link #listModules(String)}, over {@code transport}; the URL's host is not used. */
    public static ModuleList listModules(String daemonUrl, Transport transport) {
        return listModules(daemonUrl, (addr, options, log) -> DaemonClient.greet(
                StreamPair.of(transport.in(), transport.out(), transport::close), addr, options, log,
                Credentials.NONE));
    }

    /** Opens a daemon session up to its answer to the module name. */
    private interface Greeter {
        DaemonClient.Greeted greet(DaemonAddress addr, Options options, SessionLog log);
    }

    private static ModuleList listModules(String daemonUrl, Greeter greeter) {
        if (!DaemonAddress.isDaemonArg(daemonUrl)) {
            throw new IllegalArgumentException(daemonUrl + " is not a daemon (rsync://host[:port]/ or host::)");
        }
        Options options;
        try {
            options = OptionParser.parse("--", daemonUrl);
        } catch (OptionException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        DaemonAddress addr = DaemonAddress.parse(daemonUrl, ClientTransfer.port(options));
        if (!addr.module().isEmpty()) {
            throw new IllegalArgumentException(daemonUrl + " names a module; its modules are listed from "
                    + "rsync://" + addr.host() + ":" + addr.port() + "/");
        }
        Queue<String> lines = new ConcurrentLinkedQueue<>();
        TransferOutcome outcome = run(new TransferListener() {
            @Override
            public void message(Message m) {
                if (m.level() == Message.Level.INFO) {
                    lines.add(m.text());
                }
            }
        }, log -> {
            DaemonClient.Greeted unexpected = greeter.greet(addr, options, log);
            if (unexpected != null) {
                unexpected.close(); // admitted to a module after all: there is no listing
            }
            return new TransferResult(new TransferStats(), 0, 0, 0);
        });
        List<String> all = List.copyOf(lines);
        int first = all.size();
        while (first > 0 && ModuleLine.parse(all.get(first - 1)) != null) {
            first--;
        }
        int motdEnd = first;
        while (motdEnd > 0 && all.get(motdEnd - 1).isEmpty()) {
            motdEnd--;
        }
        List<ModuleListing> modules = all.subList(first, all.size()).stream().map(ModuleLine::parse)
                .map(m -> new ModuleListing(m.name(), m.comment())).toList();
        return new ModuleList(all.subList(0, motdEnd), modules, outcome);
    }

    private static TransferOutcome run(TransferListener listener, Function<SessionLog, TransferResult> body) {
        long start = System.nanoTime();
        ListenerLog log = new ListenerLog(listener);
        try {
            TransferResult r = body.apply(log);
            if (Thread.interrupted()) {
                return cancelled(start);
            }
            int exit = SessionRunner.exitCode(r.ioError());
            Optional<String> error = exit == ExitCode.OK ? Optional.empty() : Optional.of(ExitCode.describe(exit));
            return new TransferOutcome(exit, error, stats(r), since(start));
        } catch (RuntimeException e) {
            if (Thread.interrupted()) {
                return cancelled(start);
            }
            RsyncException failure = SessionRunner.clientFailure(e);
            String why;
            if (failure instanceof Connection.RemoteExit) {
                why = log.lastError(failure.getMessage()); // the peer's own lines have been reported already
            } else {
                why = failure.getMessage();
                if (why != null) {
                    log.error(why);
                }
            }
            return new TransferOutcome(failure.exitCode(), Optional.ofNullable(why), Stats.NONE, since(start));
        }
    }

    /**
     * Starts {@code spec} on a thread of its own and returns at once; the handle gives the outcome and
     * cancels.
     */
    public static TransferHandle start(TransferSpec spec, TransferListener listener) {
        CompletableFuture<TransferOutcome> outcome = new CompletableFuture<>();
        Thread runner = Thread.ofPlatform().name("jrsync-transfer").daemon().unstarted(() ->
                outcome.complete(transfer(spec, listener)));
        TransferHandle handle = new TransferHandle(runner, outcome);
        runner.start();
        return handle;
    }

    private static TransferOutcome cancelled(long start) {
        return new TransferOutcome(ExitCode.SIGNAL, Optional.of("cancelled"), Stats.NONE, since(start));
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static Stats stats(TransferResult r) {
        TransferStats s = r.stats();
        long createdRegular = s.createdFiles - s.createdDirs - s.createdSymlinks - s.createdDevices - s.createdSpecials;
        return new Stats(new Stats.Counts(s.numFiles, s.numDirs, s.numSymlinks, s.numDevices, s.numSpecials),
                new Stats.Counts(createdRegular, s.createdDirs, s.createdSymlinks, s.createdDevices, s.createdSpecials),
                new Stats.Counts(s.deletedFiles, s.deletedDirs, s.deletedSymlinks, s.deletedDevices, s.deletedSpecials),
                s.transferredFiles, s.totalSize, s.totalTransferredSize, s.literalData, s.matchedData, s.flistSize,
                Duration.ofMillis(s.flistBuildMillis), Duration.ofMillis(s.flistXferMillis), r.bytesWritten(),
                r.bytesRead());
    }
}
