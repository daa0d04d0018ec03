package dev.jrsync.client;

import dev.jrsync.core.SessionLog;
import dev.jrsync.filter.XattrFilter;
import dev.jrsync.flist.FileEntry;
import dev.jrsync.flist.FileList;
import dev.jrsync.flist.FileListEncoder;
import dev.jrsync.flist.FileListOptions;
import dev.jrsync.flist.IdNames;
import dev.jrsync.fs.ScanFilter;
import dev.jrsync.fs.ScanOptions;
import dev.jrsync.fs.SourceScanner;
import dev.jrsync.options.Options;
import dev.jrsync.options.ServerArgs;
import dev.jrsync.session.Connection;
import dev.jrsync.session.FileListProgress;
import dev.jrsync.session.ItemLog;
import dev.jrsync.session.Progress;
import dev.jrsync.session.ProtocolSetup;
import dev.jrsync.session.Sender;
import dev.jrsync.session.SenderFileLists;
import dev.jrsync.session.SessionParams;
import dev.jrsync.session.SessionRunner;
import dev.jrsync.session.SourceRemover;
import dev.jrsync.session.TransferStats;
import dev.jrsync.wire.ProtocolOutput;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A push to a daemon: we are the sender, the daemon runs generator and receiver
 * ({@code rsync/main.c:client_run} with {@code am_sender}).
 */
public final class Push {
    private Push() {}

    public static TransferResult run(Options options, List<String> sources, DaemonAddress dest, Filters filters,
                             SessionLog log, Credentials credentials) {
        return run(options, sources, dest, filters, log, DaemonClient.greet(dest, options, log, credentials));
    }

    /** As {@link #run}, on a connection already admitted to {@code dest}'s module. */
    public static TransferResult run(Options options, List<String> sources, DaemonAddress dest, Filters filters,
                                     SessionLog log, DaemonClient.Greeted greeted) {
        List<String> pathArgs = List.of(dest.remoteArg());
        try (DaemonClient.Session session = DaemonClient.open(greeted,
                protocol -> ServerArgs.forDaemon(options, false, protocol, pathArgs))) {
            return run(options, sources, filters, log, session);
        }
    }

    /** As {@link #run}, over a session whose server (a daemon's module, or a remote shell's) was given its arguments. */
    static TransferResult run(Options options, List<String> sources, Filters filters, SessionLog log,
                              DaemonClient.Session session) {
        Connection conn = session.connection();
        conn.setSender(true);
        int protocol = session.protocol();
        SessionParams params = ProtocolSetup.client(conn, options, protocol, false);
        conn.startClientMultiplex(protocol);
        try (BatchWriter batch = BatchWriter.open(options)) {
            return SessionRunner.run(conn, () -> {
                // rsync/exclude.c:send_filter_list: a pushing client sends rules only when the receiver deletes or prunes.
                if (options.deleteMode() || options.pruneEmptyDirs()) {
                    filters.sendToReceiver(conn.out(), protocol, options.deleteExcluded());
                }
                if (batch != null) {
                    batch.start(params);
                    conn.recordSent(batch.stream());
                }
                try {
                    return send(options, sources, filters.forScan(), log, conn, params, false, batch);
                } finally {
                    conn.recordSent(null);
                }
            });
        }
    }

    /**
     * The sending role once the filter rules are settled ({@code rsync/flist.c:send_file_list}, {@code
     * sender.c:send_files}): the file list, the files, and the goodbye. A {@code server} (a remote shell's) prints
     * nothing of its own, and sends the statistics a server sender owes the client ({@code main.c:handle_stats}).
     */
    static TransferResult send(Options options, List<String> sources, ScanFilter scanFilter, SessionLog log,
                               Connection conn, SessionParams params, boolean server) {
        return send(options, sources, scanFilter, log, conn, params, server, null);
    }

    /** As {@link #send}, recording to {@code batch} (null: none) the statistics a batch's reader reads. */
    private static TransferResult send(Options options, List<String> sources, ScanFilter scanFilter, SessionLog log,
                                       Connection conn, SessionParams params, boolean server, BatchWriter batch) {
        ProtocolOutput out = conn.out();
        Sender.refuseSkipCompress(options, params);
        int protocol = params.protocol();
        TransferStats stats = new TransferStats();
        long start = System.nanoTime();
        SourceScanner scanner = new SourceScanner(ScanOptions.of(options, params.checksums().file(),
                XattrFilter.rules(options), protocol), log);
        boolean incRecurse = params.incRecurse();
        FileListProgress listProgress = server ? FileListProgress.NONE
                : FileListProgress.of(options, true, incRecurse, log);
        listProgress.started();
        if (incRecurse) {
            scanner.divertDirs();
        }
        FilesFromList.addSources(scanner, options, sources, scanFilter, conn.in());
        listProgress.finished(scanner.entries().size());
        stats.flistBuildMillis = Math.max(1, (System.nanoTime() - start) / 1_000_000);
        long flistStart = out.bytesWritten();
        long xferStart = System.nanoTime();
        FileListOptions flo = params.fileListOptions(options, options.numericIds(), FileListOptions.DEFAULT_MAX_ENTRIES);
        FileListEncoder encoder = new FileListEncoder(flo, IdNames.system());
        List<FileEntry> entries = scanner.entries();
        for (FileEntry e : entries) {
            encoder.writeEntry(out, e);
            count(stats, e);
        }
        int ioError = scanner.ioError();
        boolean carried = encoder.writeEnd(out, ioError);
        encoder.writeIdLists(out);
        if (protocol < 30) {
            encoder.writeIoErrorTrailer(out, ioError);
        } else if (!carried && ioError != 0) {
            conn.sendInt(dev.jrsync.wire.MsgCode.IO_ERROR, ioError);
        }
        out.flush();
        stats.flistSize = out.bytesWritten() - flistStart;
        stats.flistXferMillis = (System.nanoTime() - xferStart) / 1_000_000;

        // a server's items go only to its own --log-file
        ItemLog items = server && options.logFile() == null ? ItemLog.silent()
                : new ItemLog(log, true, options.times(), params.checksums(),
                        !options.logBeforeTransfer());
        Sender.FileSource files = scanner::open;
        Sender sender;
        if (incRecurse) {
            SenderFileLists lists = new SenderFileLists(conn, encoder, scanner, protocol, false,
                    UnaryOperator.identity(), e -> count(stats, e), stats);
            lists.sentTopList(entries);
            if (options.removeSourceFiles()) {
                conn.setSuccessListener(new SourceRemover(lists, scanner::pathOf, log, options.verbose() > 1));
            }
            sender = new Sender(conn, params, lists, files, options.dryRun(), false, items, stats);
        } else {
            FileList flist = FileList.forSender(new ArrayList<>(entries), protocol);
            if (options.removeSourceFiles()) {
                conn.setSuccessListener(new SourceRemover(flist, scanner::pathOf, log, options.verbose() > 1));
            }
            sender = new Sender(conn, params, flist, files, options.dryRun(), false, items, stats);
        }
        if (!server) {
            sender.reportProgress(new Progress(log));
        }
        sender.reportMatches(options.debugLevel("DELTASUM") > 0);
        sender.append(options.appendMode());
        if (options.xattrs() > 0) {
            sender.sendXattrs(scanner::pathOf);
        }
        sender.sendFiles();
        if (server) {
            stats.writeSenderStats(out, protocol, conn.socketBytesRead(), conn.socketBytesWritten());
        } else if (batch != null) {
            // rsync/main.c:handle_stats: the batch's reader is a receiving client, which reads a sender's figures
            out.flush();
            stats.writeSenderStats(batch.out(), protocol, conn.socketBytesRead(), conn.socketBytesWritten());
        }
        sender.readFinalGoodbye();
        // rsync/cleanup.c:_exit_cleanup: the peer's io_error and transfer errors also make a partial run.
        int allErrors = scanner.ioError() | ioError | sender.ioError() | conn.peerIoError()
                | (conn.gotXferError() ? Connection.IOERR_GENERAL : 0);
        return new TransferResult(stats, allErrors, conn.socketBytesWritten(), conn.socketBytesRead());
    }

    private static void count(TransferStats s, FileEntry e) {
        if (e.isDirectory()) {
            s.numDirs++;
        } else if (e.isSymlink()) {
            s.numSymlinks++;
            s.totalSize += e.size();
        } else if (e.isDevice()) {
            s.numDevices++;
        } else if (e.isSpecial()) {
            s.numSpecials++;
        } else {
            s.numFiles++;
            s.totalSize += e.size();
        }
    }
}
