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
import dev.jrsync.flist.FileListEncoder;
import dev.jrsync.flist.FileListOptions;
import dev.jrsync.wire.ProtocolOutput;
import dev.jrsync.flist.IdNames;
import dev.jrsync.flist.OwnerMaps;
import dev.jrsync.fs.ScanOptions;
import dev.jrsync.fs.SourceScanner;
import dev.jrsync.net.BytePipe;
import dev.jrsync.net.PacedOutputStream;
import dev.jrsync.options.Options;
import dev.jrsync.options.OptionParser;
import dev.jrsync.options.OptionsBuilder;
import dev.jrsync.session.CompatFlags;
import dev.jrsync.session.Connection;
import dev.jrsync.session.Destination;
import dev.jrsync.session.FileListProgress;
import dev.jrsync.session.ItemLog;
import dev.jrsync.session.LocalDest;
import dev.jrsync.session.ReceivingSide;
import dev.jrsync.session.Sender;
import dev.jrsync.session.ProtocolSetup;
import dev.jrsync.session.SessionParams;
import dev.jrsync.session.SessionRunner;
import dev.jrsync.session.SourceRemover;
import dev.jrsync.session.TransferStats;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * A copy between two local paths: sender, generator and receiver in one process, talking the protocol
 * over two in-memory pipes exactly as they would over a socket ({@code rsync/main.c:local_child}).
 * Whole files by default, as rsync does locally (but for a batch); {@code --no-W} forces the delta algorithm.
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
        try (BatchWriter batch = BatchWriter.open(options)) {
            return run(options, sources, dest, filters, log, sourceHook, batch);
        }
    }

    private static TransferResult run(Options options, List<String> sources, LocalDest dest, Filters filters,
                                      SessionLog log, UnaryOperator<Sender.FileSource> sourceHook, BatchWriter batch) {
        // a batch is written in the protocol asked for, for an older rsync to read (rsync's local copy speaks it too)
        int protocol = batch != null ? options.protocolVersion() : PROTOCOL;
        int compat = protocol < 30 ? 0 : CompatFlags.SAFE_FLIST | CompatFlags.CHKSUM_SEED_FIX | CompatFlags.VARINT_FLIST_FLAGS
                | CompatFlags.ID0_NAMES | CompatFlags.INPLACE_PARTIAL_DIR;
        ChecksumChoice checksums;
        try {
            String choice = options.effectiveChecksumChoice();
            // unchosen, what two ends of this build agree on, as rsync's local pair negotiates it; a batch's reader
            // negotiates nothing, so a batch has the protocol's default
            checksums = choice != null ? ChecksumChoice.parse(choice, protocol)
                    : batch != null || protocol < 30 ? ChecksumChoice.of(ChecksumType.protocolDefault(protocol))
                    : ChecksumChoice.of(ChecksumType.negotiate(ChecksumType.splitList(ChecksumType.defaultList(false)),
                            ChecksumType.splitList(ChecksumType.defaultList(true))).orElseThrow());
        } catch (IllegalArgumentException e) {
            throw new RsyncException(ExitCode.UNSUPPORTED, e.getMessage());
        }
        int seed = options.checksumSeed() != 0 ? options.checksumSeed()
                : (int) (System.currentTimeMillis() / 1000) ^ ThreadLocalRandom.current().nextInt() & 0x7FFFFFFF;
        boolean negotiates = batch == null && protocol >= 30;
        // rsync's local copy compresses the pipe to its forked half; in-process there is no pipe, so -z compresses
        // only a batch here (its reader replays rsync's -z stream), but --debug=NSTR still names the compressor
        // rsync's two halves would choose
        CompressionType chosen = !options.compressionRequested() ? CompressionType.NONE
                : options.explicitCompression() != null || !negotiates
                ? CompressionType.withoutNegotiation(java.util.Optional.ofNullable(options.explicitCompression()))
                : CompressionType.negotiate(CompressionType.negotiationList(false), CompressionType.negotiationList(true))
                        .orElseThrow();
        int level = chosen.resolveLevel(options.compressLevel() == null ? CompressionType.LEVEL_NOT_SPECIFIED
                : options.compressLevel());
        ProtocolSetup.tellChoices(options, log, new SessionParams(protocol, compat, checksums, chosen, level, 0, seed),
                options.effectiveChecksumChoice() == null && negotiates,
                negotiates && options.explicitCompression() == null);
        SessionParams params = new SessionParams(protocol, compat, checksums,
                batch != null ? chosen : CompressionType.NONE, level, 0, seed);

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
        // rsync's receiving child maps owners as it reads the list; the sender has no use for them after the scan.
        // Under --numeric-ids no names travel to it, so its maps see every id nameless.
        OwnerMaps.parse(options.usermap(), options.groupmap(), IdNames.system())
                .apply(entries, options.numericIds() ? IdNames.none() : IdNames.system(), options.owner(), options.group());
        FileList senderList = FileList.forSender(new ArrayList<>(entries), protocol);
        FileList receiverList = FileList.forReceiver(new ArrayList<>(entries), protocol);

        BytePipe toSender = new BytePipe(PIPE_BYTES);
        BytePipe toReceiver = new BytePipe(PIPE_BYTES);
        Runnable abort = () -> {
            toSender.abort();
            toReceiver.abort();
        };
        // rsync paces its sending child's writes at --bwlimit, a local copy's too
        OutputStream sent = options.bwlimit() > 0 ? new PacedOutputStream(toReceiver.output(), options.bwlimit() * 1024L)
                : toReceiver.output();
        Connection senderConn = new Connection(toSender.input(), sent, log);
        Connection recvConn = new Connection(toReceiver.input(), toSender.output(), log);
        for (Connection c : List.of(senderConn, recvConn)) {
            c.setProtocol(protocol);
            c.startMultiplexIn();
            c.startMultiplexOut();
        }
        senderConn.setSender(true);
        boolean batchOnly = batch != null && batch.only();
        if (batch != null) {
            batch.start(params);
            recordFileList(batch, params, options, entries, scanner.ioError());
            senderConn.recordSent(batch.stream());
        }
        // --only-write-batch changes nothing yet: no source is removed before the batch is applied
        if (options.removeSourceFiles() && !batchOnly) {
            // rsync/sender.c:successful_send, as in a push: the receiver's MSG_SUCCESS for each file it has
            senderConn.setSuccessListener(new SourceRemover(senderList, scanner::pathOf, log, options.verbose() > 1));
        }

        ItemLog senderItems = ItemLog.silent();
        Sender.FileSource files = scanner::open;
        Sender sender = new Sender(senderConn, params, senderList, sourceHook.apply(files),
                options.dryRun(), false, senderItems, senderStats);
        sender.reportMatches(options.debugLevel("DELTASUM") > 0);
        if (batchOnly) {
            sender.batchOnly(batch.out());
        }
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
                if (batch != null) {
                    // rsync/main.c:handle_stats: the reading client is a receiver, and reads a sender's figures
                    senderStats.totalSize = totalSize(entries);
                    senderStats.flistBuildMillis = stats.flistBuildMillis;
                    senderStats.writeSenderStats(batch.out(), protocol, senderConn.socketBytesRead(),
                            senderConn.socketBytesWritten());
                }
                sender.readFinalGoodbye();
            } catch (Throwable t) {
                senderFailure.set(t);
                first.compareAndSet(null, t);
                abort.run();
            }
        });

        // A listing (no destination) runs the same roles; the generator only reports each entry.
        Destination target = options.isListOnly() || dest == null ? Destination.listing(dest == null ? null : dest.path())
                : Destination.prepare(dest, options.mkpath(), receiverList, options.dryRun() || batchOnly,
                        options.tellsCreatedDirectory(), log);
        ItemLog items = ItemLog.localCopy(log, options.times(), checksums, !options.logBeforeTransfer());
        // rsync/main.c:do_cmd: whole files locally, unless a batch records the update for other copies of the
        // destination, where deltas are what is worth keeping
        boolean wholeFile = batch != null ? Boolean.TRUE.equals(options.effectiveWholeFile())
                : !Boolean.FALSE.equals(options.effectiveWholeFile());
        // rsync/pipe.c:local_child: the sending side alone applies --chmod, to the modes it lists
        OptionsBuilder receiving = options.toBuilder();
        receiving.chmod.clear();
        OptionParser.applyRemoteOptions(receiving, options.remoteOptions());
        receiving.dryRun |= batchOnly;
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
        senderConn.recordSent(null);
        stats.totalWritten = recvConn.socketBytesWritten();
        stats.totalRead = recvConn.socketBytesRead();
        return new TransferResult(stats, scanner.ioError() | sender.ioError() | ioError,
                senderConn.socketBytesWritten(), senderConn.socketBytesRead());
    }

    /**
     * A local copy's sender hands its list over in memory; the batch gets it as a sending peer would send it
     * ({@code rsync/flist.c:send_file_list}).
     */
    private static void recordFileList(BatchWriter batch, SessionParams params, Options options,
                                       List<FileEntry> entries, int ioError) {
        ProtocolOutput out = batch.out();
        FileListEncoder encoder = new FileListEncoder(params.fileListOptions(options, options.numericIds(),
                FileListOptions.DEFAULT_MAX_ENTRIES), IdNames.system());
        for (FileEntry e : entries) {
            encoder.writeEntry(out, e);
        }
        encoder.writeEnd(out, ioError);
        encoder.writeIdLists(out);
        if (params.protocol() < 30) {
            encoder.writeIoErrorTrailer(out, ioError);
        }
    }

    private static long totalSize(List<FileEntry> entries) {
        long total = 0;
        for (FileEntry e : entries) {
            if (e.isRegular() || e.isSymlink()) {
                total += e.size();
            }
        }
        return total;
    }
}
