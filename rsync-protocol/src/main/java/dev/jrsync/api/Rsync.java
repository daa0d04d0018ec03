package dev.jrsync.api;

import dev.jrsync.client.ClientTransfer;
import dev.jrsync.client.Credentials;
import dev.jrsync.client.DaemonAddress;
import dev.jrsync.client.DaemonClient;
import dev.jrsync.client.TransferResult;
import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import dev.jrsync.core.SessionLog;
import dev.jrsync.net.StreamPair;
import dev.jrsync.options.Options;
import dev.jrsync.session.Connection;
import dev.jrsync.session.SessionRunner;
import dev.jrsync.session.TransferStats;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
        return run(listener, log -> ClientTransfer.run(spec.options(), spec.sources(), spec.destination(), log,
                spec.passwords()::password));
    }

    /**
     * Runs {@code spec} over {@code transport} instead of a TCP connection: the daemon protocol, with the module
     * (and user) that the spec's daemon URL names; its host and port are not used. The transport is closed
     * when the transfer ends.
     */
    public static TransferOutcome transfer(TransferSpec spec, TransferListener listener, Transport transport) {
        return run(listener, log -> {
            Options options = spec.options();
            DaemonAddress daemon = ClientTransfer.daemonOf(options, spec.sources(), spec.destination());
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
            return ClientTransfer.run(options, spec.sources(), spec.destination(), log, credentials, greeted);
        });
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
            String why = failure instanceof Connection.RemoteExit ? log.lastError(failure.getMessage())
                    : failure.getMessage();
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
        return new Stats(s.numFiles, s.numDirs, s.numSymlinks, s.createdFiles, s.deletedTotal(), s.transferredFiles,
                s.totalSize, s.totalTransferredSize, s.literalData, s.matchedData, s.flistSize, r.bytesWritten(),
                r.bytesRead());
    }

    /** The session's printing turned into a listener's events. */
    private static final class ListenerLog implements SessionLog {
        private final TransferListener listener;
        private volatile String lastError;

        ListenerLog(TransferListener listener) {
            this.listener = listener;
        }

        /** The peer's last error line: what a remote exit's outcome names, rather than only its code. */
        String lastError(String otherwise) {
            return lastError != null ? lastError : otherwise;
        }

        @Override
        public void info(String line) {
            listener.message(new Message(Message.Level.INFO, line));
        }

        @Override
        public void error(String line) {
            lastError = line;
            listener.message(new Message(Message.Level.ERROR, line));
        }

        @Override
        public boolean wantsItems() {
            return true;
        }

        @Override
        public void item(String name, String changes, boolean transferred) {
            listener.item(new FileItem(name, changes, transferred));
        }

        @Override
        public void deleted(String name) {
            listener.deleted(name);
        }
    }
}
