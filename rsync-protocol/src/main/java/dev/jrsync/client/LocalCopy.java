package dev.jrsync.client;

import dev.jrsync.checksum.ChecksumChoice;
import dev.jrsync.checksum.ChecksumType;
import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import dev.jrsync.core.SessionLog;
import dev.jrsync.delta.token.CompressionType;
import dev.jrsync.filter.XattrFilter;
import dev.jrsync.flist.FileEntry;
import dev.jrsync.flist.FileList;
import dev.jrsync.flist.IdNames;
import dev.jrsync.flist.OwnerMaps;
import dev.jrsync.fs.ScanOptions;
import dev.jrsync.fs.SourceScanner;
import dev.jrsync.net.BytePipe;
import dev.jrsync.options.Options;
import dev.jrsync.options.OptionsBuilder;
import dev.jrsync.session.CompatFlags;
import dev.jrsync.session.Connection;
import dev.jrsync.session.Destination;
import dev.jrsync.session.FileListProgress;
import dev.jrsync.session.ItemLog;
import dev.jrsync.session.LocalDest;
import dev.jrsync.session.ReceivingSide;
import dev.jrsync.session.Sender;
import dev.jrsync.session.SessionParams;
import dev.jrsync.session.SessionRunner;
import dev.jrsync.session.SourceRemover;
import dev.jrsync.session.TransferStats;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * A copy between two local paths: sender, generator and receiver in one process, talking the protocol
 * over two in-memory pipes exactly as they would over a socket ({@code rsync/main.c:local_child}).
 * Whole files by default, as rsync does locally; {@code --no-W} forces the delta algorithm.
 */
public final class LocalCopy {
    private LocalCopy() {}

    /** The protocol both halves speak. */
    static final int PROTOCOL = 32;
    private static final int PIPE_BYTES = 256 << 10;

    // rsync/main.c:local_child + client_run + do_recv
    public static TransferResult run(Options options, List<String> sources, LocalDest dest, Filters filters, SessionLog log) {
        return run(options, sources, dest, filters, log, UnaryOperator.identity());
    }

    /** As {@link #run}, with the sender's file access wrapped by {@code sourceHook} (tests inject races). */
    static TransferResult run(Options options, List<String> sources, LocalDest dest, Filters filters, SessionLog log,
                              UnaryOperator<Sender.FileSource> sourceHook) {
        int compat = CompatFlags.SAFE_FLIST | CompatFlags.CHKSUM_SEED_FIX | CompatFlags.VARINT_FLIST_FLAGS
                | CompatFlags.ID0_NAMES | CompatFlags.INPLACE_PARTIAL_DIR;
        ChecksumChoice checksums;
        try {
            String choice = options.effectiveChecksumChoice();
            checksums = choice != null ? ChecksumChoice.parse(choice, PROTOCOL)
                    : ChecksumChoice.of(ChecksumType.protocolDefault(PROTOCOL));
        } catch (IllegalArgumentException e) {
            throw new RsyncException(ExitCode.UNSUPPORTED, e.getMessage());
        }
        int seed = options.checksumSeed() != 0 ? options.checksumSeed()
                : (int) (System.currentTimeMillis() / 1000) ^ ThreadLocalRandom.current().nextInt() & 0x7FFFFFFF;
        SessionParams params = new SessionParams(PROTOCOL, compat, checksums, CompressionType.NONE, 0, seed);

        TransferStats senderStats = new TransferStats();
        long start = System.nanoTime();
        SourceScanner scanner = new SourceScanner(ScanOptions.of(options, checksums.file(), XattrFilter.rules(options), PROTOCOL), log);
        // the lines rsync's sending half prints, which would send incrementally where the receiver allows it
        FileListProgress listProgress = FileListProgress.of(options, true, options.allowIncRecurse(false), log);
        listProgress.started();
        FilesFromList.addSources(scanner, options, sources, filters.forScan(), null);
        listProgress.finished(scanner.entries().size());
        TransferStats stats = new TransferStats();
        stats.flistBuildMillis = Math.max(1, (System.nanoTime() - start) / 1_000_000);
        List<FileEntry> entries = scanner.entries();
        // rsync's receiving child maps owners as it reads the list; the sender has no use for them after the scan
        OwnerMaps.parse(options.usermap(), options.groupmap(), IdNames.system())
                .apply(entries, IdNames.system(), options.owner(), options.group());
        FileList senderList = FileList.forSender(new ArrayList<>(entries), PROTOCOL);
        FileList receiverList = FileList.forReceiver(new ArrayList<>(entries), PROTOCOL);

        BytePipe toSender = new BytePipe(PIPE_BYTES);
        BytePipe toReceiver = new BytePipe(PIPE_BYTES);
        Runnable abort = () -> {
            toSender.abort();
            toReceiver.abort();
        };
        Connection senderConn = new Connection(toSender.input(), toReceiver.output(), log);
        Connection recvConn = new Connection(toReceiver.input(), toSender.output(), log);
        for (Connection c : List.of(senderConn, recvConn)) {
            c.setProtocol(PROTOCOL);
            c.startMultiplexIn();
            c.startMultiplexOut();
        }
        senderConn.setSender(true);
        if (options.removeSourceFiles()) {
            // rsync/sender.c:successful_send, as in a push: the receiver's MSG_SUCCESS for each file it has
            senderConn.setSuccessListener(new SourceRemover(senderList, scanner::pathOf, log, options.verbose() > 1));
        }

        ItemLog senderItems = ItemLog.silent();
        Sender.FileSource files = scanner::open;
        Sender sender = new Sender(senderConn, params, senderList, sourceHook.apply(files),
                options.dryRun(), false, senderItems, senderStats);
        sender.append(options.appendMode());
        if (options.xattrs() > 0) {
            sender.sendXattrs(scanner::pathOf);
        }
        // Whichever side fails first names the failure; the other only sees the pipes aborted.
        AtomicReference<Object> first = new AtomicReference<>();
        Object pairFailed = new Object();
        AtomicReference<Throwable> senderFailure = new AtomicReference<>();
        Thread senderThread = Thread.ofVirtual().name("jrsync-local-sender").start(() -> {
            try {
                sender.sendFiles();
                sender.readFinalGoodbye();
            } catch (Throwable t) {
                senderFailure.set(t);
                first.compareAndSet(null, t);
                abort.run();
            }
        });

        // A listing (no destination) runs the same roles; the generator only reports each entry.
        Destination target = options.isListOnly() || dest == null ? Destination.listing(dest == null ? null : dest.path())
                : Destination.prepare(dest, options.mkpath(), receiverList, options.dryRun(),
                        options.tellsCreatedDirectory(), log);
        ItemLog items = new ItemLog(log, false, options.times());
        boolean wholeFile = !Boolean.FALSE.equals(options.effectiveWholeFile());
        // rsync/pipe.c:local_child: the sending side alone applies --chmod, to the modes it lists
        OptionsBuilder receiving = options.toBuilder();
        receiving.chmod.clear();
        ReceivingSide side = ReceivingSide.builder(recvConn, params, receiving.build())
                .files(receiverList, target, items, stats)
                .wholeFile(wholeFile)
                .deleteFilter(filters.forDelete())
                .build();
        RsyncException failure = null;
        int ioError = 0;
        try {
            ioError = side.run(() -> {
                first.compareAndSet(null, pairFailed);
                abort.run();
            });
        } catch (RsyncException e) {
            failure = e;
        }
        try {
            senderThread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abort.run();
            throw new RsyncException(ExitCode.SIGNAL, "interrupted");
        }
        if (senderFailure.get() != null && (failure == null || first.get() == senderFailure.get())) {
            failure = SessionRunner.failure(senderFailure.get());
        }
        if (failure != null) {
            throw failure;
        }
        stats.totalWritten = recvConn.socketBytesWritten();
        stats.totalRead = recvConn.socketBytesRead();
        return new TransferResult(stats, scanner.ioError() | sender.ioError() | ioError,
                senderConn.socketBytesWritten(), senderConn.socketBytesRead());
    }
}
