package dev.jrsync.daemon;

import dev.jrsync.core.Escaped;
import dev.jrsync.core.ExitCode;
import dev.jrsync.core.PathBytes;
import dev.jrsync.core.RsyncException;
import dev.jrsync.filter.FilterRules;
import dev.jrsync.filter.FilterSide;
import dev.jrsync.filter.XattrFilter;
import dev.jrsync.flist.FileEntry;
import dev.jrsync.flist.FileList;
import dev.jrsync.flist.FileListEncoder;
import dev.jrsync.flist.FileListOptions;
import dev.jrsync.flist.IdNames;
import dev.jrsync.fs.BeneathOpener;
import dev.jrsync.fs.Posix;
import dev.jrsync.fs.ScanFilter;
import dev.jrsync.fs.ScanOptions;
import dev.jrsync.fs.SourceScanner;
import dev.jrsync.options.Options;
import dev.jrsync.session.Connection;
import dev.jrsync.session.FilesFromNames;
import dev.jrsync.session.Sender;
import dev.jrsync.session.SenderFileLists;
import dev.jrsync.session.SessionParams;
import dev.jrsync.session.SessionRunner;
import dev.jrsync.session.SourceRemover;
import dev.jrsync.session.TransferStats;
import dev.jrsync.wire.MsgCode;
import dev.jrsync.wire.ProtocolOutput;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The daemon serving a pull ({@code rsync/main.c:do_server_sender}): read the client's filter list, build
 * the file list from the module with the module's own rules and then the client's applied, send it, answer the client's generator with {@link Sender}, send the
 * statistics a server sender owes the client ({@code handle_stats}) and read the goodbye.
 */
final class ServerSender {
    private ServerSender() {}

    static ServerRole.Outcome run(ServerRole.Context ctx, TransferLogger transferLog) {
        // as the receiver: what stops the sender reaches the client and the log with rsync's exit code
        return SessionRunner.run(() -> send(ctx, transferLog));
    }

    /**
     * The names of the client's {@code --files-from} below the one source ({@code rsync/flist.c:send_file_list}):
     * sent by the client ("-"), or read from a list file in the module; each is held to the module.
     */
    private static void addFilesFrom(ServerRole.Context ctx, Options options, SourceScanner scanner,
                                     FilterRules clientRules, List<String> args) {
        if (args.size() != 1) {
            throw new RsyncException(ExitCode.SYNTAX, "rsync: --files-from needs exactly one source directory");
        }
        ModulePaths paths = ctx.paths();
        List<String> names;
        String local;
        String source;
        String inner;
        try {
            names = options.filesFromFile().equals("-") ? FilesFromNames.receive(ctx.conn().in())
                    : ModuleFilesFrom.read(paths, ctx.filter(), options.filesFromFile(), options.from0());
            inner = paths.innerPath(args.getFirst());
            local = paths.resolveArgument(args.getFirst());
            source = scanned(ctx, local);
        } catch (ModulePaths.Refused e) {
            throw new RsyncException(ExitCode.FILE_SELECT, "rsync: [sender] " + e.getMessage());
        }
        names = ModuleFilesFrom.confined(names, paths, inner, ctx.conn().log());
        ScanFilter client = clientRules.view(FilterSide.SENDER, paths.root());
        // the module's rules see the names below the module, not below the pinned descriptor
        scanner.addFilesFrom(PathBytes.path(source), names, ctx.filter().forSender(transferRoot(local), client),
                options.missingArgs());
    }

    private static ServerRole.Outcome send(ServerRole.Context ctx, TransferLogger transferLog) {
        Connection conn = ctx.conn();
        SessionParams params = ctx.params();
        ModuleConfig module = ctx.module();
        Options options = module.withChmod(ctx.options(), true);
        ModulePaths paths = ctx.paths();
        List<String> pathArgs = ctx.pathArgs();
        Sender.refuseSkipCompress(options, params);
        int protocol = params.protocol();
        // rsync/exclude.c:recv_filter_list: a pulling client always sends its list (maybe empty)
        ModuleFilter moduleFilter = ctx.filter();
        FilterRules clientRules = moduleFilter.clientRules(options,
                        FilterRules.receive(conn.in(), protocol, options.deleteExcluded()))
                .withServerCvsExclude(options.cvsExclude(), true, protocol);
        TransferStats stats = new TransferStats();
        long start = System.nanoTime();
        // -L, -k and --copy-unsafe-links follow links only as far as the module reaches, unless its administrator
        // set "insecure links"
        ScanOptions scanOptions = ScanOptions.of(options, params.checksums().file(), XattrFilter.rules(options), protocol);
        SourceScanner scanner = new SourceScanner(module.insecureLinks() ? scanOptions
                : scanOptions.followingWithin(paths.root()), conn.log());
        boolean incRecurse = params.incRecurse();
        if (incRecurse) {
            scanner.divertDirs(); // rsync/flist.c:send_file_list lists each directory's contents when its turn comes
        }
        int refusedError = 0;
        List<String> args = pathArgs.isEmpty() ? List.of(module.name() + "/") : pathArgs;
        if (options.filesFromFile() != null) {
            addFilesFrom(ctx, options, scanner, clientRules, args);
            args = List.of();
        }
        for (String arg : args) {
            List<String> locals;
            try {
                locals = paths.expandArgument(arg);
            } catch (ModulePaths.Refused e) {
                conn.log().error("rsync: [sender] " + e.getMessage());
                refusedError |= Connection.IOERR_GENERAL;
                continue;
            }
            for (String local : locals) {
                String source;
                try {
                    source = scanned(ctx, local);
                } catch (ModulePaths.Refused e) {
                    conn.log().error("rsync: [sender] " + e.getMessage());
                    refusedError |= Connection.IOERR_GENERAL;
                    continue;
                }
                Path transferRoot = transferRoot(local);
                ScanFilter client = clientRules.view(FilterSide.SENDER, paths.root());
                scanner.addSource(source, moduleFilter.forSender(transferRoot, client));
            }
        }
        stats.flistBuildMillis = Math.max(1, (System.nanoTime() - start) / 1_000_000);

        ProtocolOutput out = conn.out();
        long flistStart = out.bytesWritten();
        long xferStart = System.nanoTime();
        // The client's --numeric-ids decides the protocol; the module's only leaves the name lists empty
        // (rsync's numeric_ids = -1).
        FileListOptions flo = params.fileListOptions(options, options.numericIds(), FileListOptions.DEFAULT_MAX_ENTRIES);
        FileListEncoder encoder = new FileListEncoder(flo, ctx.idNames());
        UnaryOperator<FileEntry> onWire = ctx.identity().mungeSymlinks() ? SymlinkMunging::unmunge : UnaryOperator.identity();
        List<FileEntry> entries = ctx.identity().mungeSymlinks() ? scanner.entries().stream().map(onWire).toList()
                : scanner.entries();
        for (FileEntry e : entries) {
            encoder.writeEntry(out, e);
            count(stats, e);
        }
        int ioError = scanner.ioError() | refusedError;
        if (module.ignoreErrors()) {
            ioError = 0;
        }
        boolean carried = encoder.writeEnd(out, ioError);
        encoder.writeIdLists(out);
        if (protocol < 30) {
            encoder.writeIoErrorTrailer(out, ioError);
        } else if (!carried && ioError != 0) {
            conn.sendInt(MsgCode.IO_ERROR, ioError);
        }
        out.flush();
        stats.flistSize = out.bytesWritten() - flistStart;
        stats.flistXferMillis = (System.nanoTime() - xferStart) / 1_000_000;

        Sender.FileSource files = e -> {
            SeekableByteChannel ch = scanner.open(e);
            transferLog.started(e);
            return ch;
        };
        SenderFileLists lists = null;
        FileList flist = null;
        Sender sender;
        if (incRecurse) {
            lists = new SenderFileLists(conn, encoder, scanner, protocol, module.ignoreErrors(), onWire,
                    e -> count(stats, e), stats);
            lists.sentTopList(entries);
            sender = new Sender(conn, params, lists, files, options.dryRun(), true, transferLog.itemLog(), stats);
        } else {
            flist = FileList.forSender(new ArrayList<>(entries), protocol);
            sender = new Sender(conn, params, flist, files, options.dryRun(), true, transferLog.itemLog(), stats);
        }
        if (options.removeSourceFiles()) {
            // rsync/sender.c:successful_send through secure_sender_parent_fd: each file's parent is opened beneath
            // the pinned module root without following a symlink, and the file removed through that; rsync tells
            // of each removal at -vv (INFO_REMOVE)
            Path root = paths.root();
            ConfinedDirs dirs = ctx.dirs();
            SourceRemover.Locator source = e -> dirs.resolve(root,
                    PathBytes.of(root.relativize(Posix.named(scanner.pathOf(e)))));
            conn.setSuccessListener(lists != null
                    ? new SourceRemover(lists, source, conn.log(), options.verbose() > 1)
                    : new SourceRemover(flist, source, conn.log(), options.verbose() > 1));
        }
        sender.reportMatches(options.debugLevel("DELTASUM") > 0);
        sender.append(options.appendMode());
        if (options.xattrs() > 0) {
            sender.sendXattrs(scanner::pathOf);
        }
        sender.sendFiles();
        transferLog.finished();
        stats.writeSenderStats(out, protocol, conn.socketBytesRead(), conn.socketBytesWritten());
        sender.readFinalGoodbye();
        return new ServerRole.Outcome(stats, ioError | sender.ioError());
    }

    /**
     * Where the scanner lists source {@code local} (an absolute path beneath the module root, as {@link
     * ModulePaths} resolved it): beneath the module root the session pinned ({@link ConfinedDirs#source}), so
     * the module's ancestors are not walked again after the privilege drop, and a directory on the way swapped
     * for a symlink since it was checked is not followed. With "insecure links" any symlink on the way is
     * followed, as rsync 3.2.7 did. A source whose directory is missing keeps its path, for the scanner to report.
     */
    private static String scanned(ServerRole.Context ctx, String local) throws ModulePaths.Refused {
        Path root = ctx.paths().root();
        boolean itself = local.endsWith("/");
        byte[] rel = PathBytes.of(root.relativize(PathBytes.path(local).normalize()));
        try {
            Path at = ctx.module().insecureLinks() && rel.length > 0
                    ? PathBytes.resolve(ctx.dirs().source(new byte[0], true), rel) : ctx.dirs().source(rel, itself);
            String text = PathBytes.text(at);
            return itself ? text + "/" : text;
        } catch (BeneathOpener.OpenFailure e) {
            if (e.missing()) {
                return local;
            }
            throw new ModulePaths.Refused("\"" + Escaped.of(rel) + "\": a directory on the way is a symlink leading"
                    + " out of the module, or not a directory");
        } catch (IOException e) {
            throw new ModulePaths.Refused("\"" + Escaped.of(rel) + "\": " + Posix.describe(e));
        }
    }

    /** The directory a source's names are relative to: itself for "dir/", its parent otherwise. */
    private static Path transferRoot(String local) {
        Path p = PathBytes.path(local).normalize();
        return local.endsWith("/") || local.endsWith("/.") ? p : p.getParent();
    }

    private static void count(TransferStats s, FileEntry e) {
        if (e.isDirectory()) {
            s.numDirs++;
        } else if (e.isSymlink()) {
            s.numSymlinks++;
            s.totalSize += e.size();
        } else if (e.isRegular()) {
            s.numFiles++;
            s.totalSize += e.size();
        } else if (e.isDevice()) {
            s.numDevices++;
        } else {
            s.numSpecials++;
        }
    }
}
