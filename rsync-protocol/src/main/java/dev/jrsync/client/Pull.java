package dev.jrsync.client;

import dev.jrsync.core.SessionLog;
import dev.jrsync.flist.FileEntry;
import dev.jrsync.flist.FileList;
import dev.jrsync.flist.FileListOptions;
import dev.jrsync.flist.IdNames;
import dev.jrsync.flist.OwnerMaps;
import dev.jrsync.flist.SafeNames;
import dev.jrsync.fs.ScanFilter;
import dev.jrsync.options.Options;
import dev.jrsync.options.ServerArgs;
import dev.jrsync.session.Connection;
import dev.jrsync.session.FilesFromNames;
import dev.jrsync.session.DeletionReporter;
import dev.jrsync.session.Destination;
import dev.jrsync.session.FileListProgress;
import dev.jrsync.session.FileListReceiver;
import dev.jrsync.session.ItemLog;
import dev.jrsync.session.LocalDest;
import dev.jrsync.session.ProtocolSetup;
import dev.jrsync.session.ReceivingSide;
import dev.jrsync.session.SessionParams;
import dev.jrsync.session.SessionRunner;
import dev.jrsync.session.TransferStats;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A pull from a daemon: the daemon is the sender, we run generator and receiver
 * ({@code rsync/main.c:client_run} without {@code am_sender}, then {@code do_recv}).
 */
public final class Pull {
    private Pull() {}

    /**
     * Pulls {@code src} into {@code dest}; with {@code --list-only} (or no destination) lists the remote
     * files instead, one line each on {@code log}, as rsync does.
     */
    public static TransferResult run(Options options, DaemonAddress src, LocalDest dest, Filters filters, SessionLog log,
                                     Credentials credentials) {
        return run(options, List.of(src), dest, filters, log, credentials);
    }

    /**
     * Pulls several sources of one daemon in one session: the first names the host and module, each sends its
     * own "module/path" argument ({@link PullSources} checks they share the daemon).
     */
    // rsync/main.c:client_run (receiving client) + do_recv
    public static TransferResult run(Options options, List<DaemonAddress> sources, LocalDest dest, Filters filters,
                                     SessionLog log, Credentials credentials) {
        DaemonClient.Greeted greeted = DaemonClient.greet(sources.getFirst(), options, log, credentials);
        if (greeted == null) {
            return new TransferResult(new TransferStats(), 0, 0, 0); // the daemon's module list
        }
        return run(options, sources, dest, filters, log, greeted);
    }

    /** As {@link #run(Options, List, Path, Filters, SessionLog, Credentials)}, on a connection already admitted. */
    public static TransferResult run(Options options, List<DaemonAddress> sources, LocalDest dest, Filters filters,
                                     SessionLog log, DaemonClient.Greeted greeted) {
        List<String> pathArgs = sources.stream().map(DaemonAddress::remoteArg).toList();
        SenderTrust trust = SenderTrust.forPull(options, pathArgs, filters);
        try (DaemonClient.Session session = DaemonClient.open(greeted,
                protocol -> ServerArgs.forDaemon(options, true, protocol, pathArgs))) {
            return run(options, dest, filters, trust, log, session);
        }
    }

    /** As {@link #run}, over a session whose server (a daemon's module, or a remote shell's) was given its arguments. */
    static TransferResult run(Options options, LocalDest dest, Filters filters, SenderTrust trust, SessionLog log,
                              DaemonClient.Session session) {
        Connection conn = session.connection();
        try (BatchWriter batch = BatchWriter.open(options)) {
            return SessionRunner.run(() -> {
                int protocol = session.protocol();
                SessionParams params = ProtocolSetup.client(conn, options, protocol, true);
                conn.startClientMultiplex(protocol);
                filters.sendToSender(conn.out(), protocol);
                if (options.filesFromFile() != null && options.remoteFilesFrom() == null) {
                    FilesFromNames.send(conn.out(), options.filesFrom()); // rsync/main.c:client_run
                }
                conn.out().flush();
                if (batch != null) {
                    // rsync/main.c:client_run: the sender's stream from its file list on, as a batch's reader reads it
                    batch.start(params);
                    conn.recordReceived(batch.stream());
                }
                try {
                    return receive(conn, params, options, dest, filters.forDelete(), trust::check, log, false,
                            session::close);
                } finally {
                    conn.recordReceived(null);
                }
            });
        }
    }

    /**
     * The receiving roles once the filter rules are settled ({@code rsync/main.c:do_recv}): the file list, held
     * to {@code check}, then generator and receiver. A {@code server} (a remote shell's) prints nothing of its
     * own: it tells its client of deletions, and reads no statistics from the sender.
     */
    static TransferResult receive(Connection conn, SessionParams params, Options options, LocalDest dest,
                                  ScanFilter deleteFilter, UnaryOperator<List<FileEntry>> check, SessionLog log,
                                  boolean server, Runnable abort) {
        int protocol = params.protocol();
        TransferStats stats = new TransferStats();
        FileListOptions flo = params.fileListOptions(options, options.numericIds(), FileListOptions.DEFAULT_MAX_ENTRIES);
        FileListReceiver.Incremental lists = null;
        FileList flist;
        FileListProgress listProgress = server ? FileListProgress.NONE
                : FileListProgress.of(options, false, params.incRecurse(), log);
        listProgress.started();
        OwnerMaps maps = OwnerMaps.parse(options.usermap(), options.groupmap(), IdNames.system());
        if (params.incRecurse()) {
            // the sub-lists come during the transfer; each is confined to its directory as it is read
            lists = new FileListReceiver.Incremental(conn, flo, stats, IdNames.system(), maps, check);
            flist = lists.readTop().list();
        } else {
            flist = FileList.forReceiver(check.apply(FileListReceiver.recvFileList(conn, flo, stats, IdNames.system(),
                    maps)), protocol);
            SafeNames.checkParentsListed(flist);
            listProgress.finished(flist.size());
        }
        if (flist.size() == 0 && !server) {
            log.info("receiving file list ... done (empty)");
        }

        // A listing (no destination) runs the same roles; the generator only prints each entry.
        Destination target = options.isListOnly() || dest == null ? Destination.listing(dest == null ? null : dest.path())
                : Destination.prepare(dest, options.mkpath(), flist, options.dryRun(),
                        options.tellsCreatedDirectory(), log);
        // a server's items go only to its own --log-file
        ItemLog items = server && options.logFile() == null ? ItemLog.silent()
                : new ItemLog(log, false, options.times(), params.checksums(),
                        !options.logBeforeTransfer());
        boolean wholeFile = Boolean.TRUE.equals(options.effectiveWholeFile());
        ReceivingSide.Builder roles = ReceivingSide.builder(conn, params, options)
                .files(flist, target, items, stats)
                .incremental(lists)
                .wholeFile(wholeFile)
                .deleteFilter(deleteFilter);
        if (server) {
            roles.deletionReporter((rel, isDir) -> DeletionReporter.toClient(conn, rel, isDir));
        } else {
            roles.readSenderStats();
        }
        int ioError = roles.build().run(abort);
        return new TransferResult(stats, conn.peerIoError() | ioError,
                conn.socketBytesWritten(), conn.socketBytesRead());
    }
}
