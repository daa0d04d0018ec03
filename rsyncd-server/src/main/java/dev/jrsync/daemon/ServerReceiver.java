package dev.jrsync.daemon;

import dev.jrsync.core.Escaped;
import dev.jrsync.core.ExitCode;
import dev.jrsync.core.PathBytes;
import dev.jrsync.core.RsyncException;
import dev.jrsync.core.SessionLog;
import dev.jrsync.filter.FilterRules;
import dev.jrsync.filter.FilterSide;
import dev.jrsync.flist.FileEntry;
import dev.jrsync.flist.FileList;
import dev.jrsync.flist.FileListOptions;
import dev.jrsync.flist.IdNames;
import dev.jrsync.flist.OwnerMaps;
import dev.jrsync.flist.SafeNames;
import dev.jrsync.fs.BeneathOpener;
import dev.jrsync.fs.Posix;
import dev.jrsync.fs.ScanFilter;
import dev.jrsync.options.Options;
import dev.jrsync.options.OptionsBuilder;
import dev.jrsync.session.BasisDirs;
import dev.jrsync.session.Connection;
import dev.jrsync.session.FilesFromNames;
import dev.jrsync.session.DeletionReporter;
import dev.jrsync.session.Destination;
import dev.jrsync.session.FileListReceiver;
import dev.jrsync.session.LocalDest;
import dev.jrsync.session.PathResolver;
import dev.jrsync.session.ReceivingSide;
import dev.jrsync.session.SessionParams;
import dev.jrsync.session.SessionRunner;
import dev.jrsync.session.TransferStats;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The daemon receiving a push ({@code rsync/main.c:do_server_recv} and {@code do_recv}): read the client's
 * filter list when it sends one, the file list, then run the shared {@link ReceivingSide} (generator and receiver)
 * into the module, every path pinned beneath the module root by {@link ConfinedDirs}. A server receiver
 * sends no statistics (the client counts its own); the generator's final goodbye closes the session.
 */
final class ServerReceiver {
    /** The most file-list entries one upload may carry (each costs at most a few hundred bytes here). */
    static final int MAX_ENTRIES = 500_000;

    private ServerReceiver() {}

    /** @param log the daemon's log, told when the file list starts to arrive as rsync tells it */
    static ServerRole.Outcome run(ServerRole.Context ctx, TransferLogger transferLog, BeneathOpener opener,
                                  DaemonLog log) {
        // a malformed or oversized stream comes out with its exit code: the client is told why before the close
        return SessionRunner.run(() -> receive(ctx, transferLog, opener, log));
    }

    private static ServerRole.Outcome receive(ServerRole.Context ctx, TransferLogger transferLog,
                                              BeneathOpener opener, DaemonLog log) {
        Connection conn = ctx.conn();
        SessionParams params = ctx.params();
        ModuleConfig module = ctx.module();
        Path root = ctx.paths().root();
        Options options = withConfinedDirs(module.withChmod(ctx.options(), false), root, ctx.filter());
        int protocol = params.protocol();
        String named = destination(ctx);
        transferLog.receivingInto(named);
        if (ctx.filter().excludesDestination(named)) {
            throw new RsyncException(ExitCode.FILE_SELECT, "ERROR: daemon has excluded destination \""
                    + Escaped.of(named) + "\"");
        }
        String destRel;
        try {
            ConfinedDirs.checkDestination(opener, root, named);
            // rsync changes into the destination: a module's own symlink to a directory of its is that directory
            destRel = ConfinedDirs.directoryOf(opener, root, named, ctx.identity().chroot());
        } catch (ModulePaths.Refused e) {
            throw new RsyncException(ExitCode.FILE_SELECT, "ERROR: " + e.getMessage());
        }
        // rsync/exclude.c:recv_filter_list: a pushing client sends rules only when the receiver needs them.
        boolean wantsRules = options.pruneEmptyDirs()
                || (options.deleteMode() && (!options.deleteExcluded() || protocol >= 29));
        ModuleFilter moduleFilter = ctx.filter();
        FilterRules clientRules = moduleFilter.clientRules(options, wantsRules
                        ? FilterRules.receive(conn.in(), protocol, options.deleteExcluded())
                        : FilterRules.fromArgs(List.of(), options.deleteExcluded()))
                .withServerCvsExclude(options.cvsExclude(), false, protocol);
        // rsync/flist.c:recv_file_list logs this (FLOG) whatever the verbosity: an administrator sees how far a
        // push came
        log.log("receiving file list");
        if (options.filesFromFile() != null) {
            // the client's "--files-from=:path", read in the module and sent to the sending client
            try {
                FilesFromNames.send(conn.out(), ModuleFilesFrom.read(ctx.paths(), moduleFilter,
                        options.filesFromFile(), options.from0()));
            } catch (ModulePaths.Refused e) {
                throw new RsyncException(ExitCode.FILE_SELECT, "rsync: " + e.getMessage());
            }
        }

        TransferStats stats = new TransferStats();
        FileListReceiver.Incremental lists = null;
        FileList flist;
        if (params.incRecurse()) {
            // each sub-list is confined to its directory as it is read, and screened as the top list is
            lists = new FileListReceiver.Incremental(conn, fileListOptions(params, options), stats,
                    ctx.idNames(), ownerMaps(options, ctx.idNames()), entries -> munged(entries, ctx.identity()));
            Set<String> refusedDirs = new HashSet<>();
            lists.setScreen((dir, list) -> {
                refuseDaemonExcluded(list, moduleFilter, named, conn, refusedDirs);
                return dir == null || !isRefused(PathBytes.text(dir.name()), refusedDirs);
            });
            flist = lists.readTop().list();
        } else {
            flist = readFileList(conn, params, options, ctx, stats);
            SafeNames.checkParentsListed(flist);
            refuseDaemonExcluded(flist, moduleFilter, named, conn, new HashSet<>());
        }

        Path destPath = destRel.isEmpty() ? root : root.resolve(PathBytes.path(destRel));
        if (!options.dryRun()) {
            makeNamedDirectory(ctx, named, destPath, flist);
        }
        // Relative ones start where rsync changed into: the destination, or a lone file's parent.
        String basisFrom = !Destination.isSoloFile(destPath, flist) ? destRel
                : destRel.contains("/") ? destRel.substring(0, destRel.lastIndexOf('/')) : "";
        List<String> basisRels = basisDirs(opener, root, options, basisFrom, moduleFilter, conn.log());
        // --mkpath and a named directory are makeNamedDirectory's, in the module's terms
        Destination target = Destination.prepare(LocalDest.of(destPath), false, flist, options.dryRun(),
                options.verbose() > 0, conn.log());
        ScanFilter deleteFilter = moduleFilter.forDelete(destPath, clientRules.view(FilterSide.RECEIVER, root));
        boolean wholeFile = Boolean.TRUE.equals(options.effectiveWholeFile());
        List<ConfinedDirs> basisResolvers = new ArrayList<>();
        boolean chrooted = ctx.identity().chroot();
        try (ConfinedDirs dirs = new ConfinedDirs(opener, root, destRel, chrooted)) {
            List<BasisDirs.Dir> basis = new ArrayList<>();
            for (String rel : basisRels) {
                ConfinedDirs confined = new ConfinedDirs(opener, root, rel, chrooted);
                basisResolvers.add(confined);
                basis.add(new BasisDirs.Dir(rel.isEmpty() ? root : root.resolve(PathBytes.path(rel)),
                        unlessExcluded(confined, rel, moduleFilter)));
            }
            ReceivingSide side = ReceivingSide.builder(conn, params, options)
                    .files(flist, target, transferLog.receivedItems(), stats)
                    .incremental(lists)
                    .wholeFile(wholeFile)
                    .deleteFilter(deleteFilter)
                    .pathResolver(dirs)
                    .fuzzyResolver(unlessExcluded(dirs, named, moduleFilter))
                    .basisDirs(new BasisDirs(options.altDest(), basis))
                    .deletionReporter((rel, isDir) -> reportDeletion(conn, transferLog, options.dryRun(), rel, isDir))
                    .build();
            int ioError;
            try {
                // platform threads: they inherit the session thread's identity and root (ModuleIdentity)
                ioError = side.run(ctx.abort(), Thread.ofPlatform().daemon());
            } finally {
                transferLog.finished();
            }
            return new ServerRole.Outcome(stats, conn.peerIoError() | ioError);
        } catch (IOException e) {
            throw new RsyncException(ExitCode.FILE_IO, "ERROR: cannot open module directory: " + Posix.describe(e));
        } finally {
            basisResolvers.forEach(ConfinedDirs::close);
        }
    }

    /**
     * Resolves names below {@code basisRel} (a basis directory, or the destination for the fuzzy search) as
     * {@code dirs} does, refusing those the module's rules exclude (and those below an excluded directory): an
     * excluded file must not become a basis, or a link or copy of it in a place the client may read.
     */
    private static PathResolver unlessExcluded(ConfinedDirs dirs, String basisRel, ModuleFilter filter) {
        return (root, name) -> {
            String n = PathBytes.text(name);
            String rel = basisRel.isEmpty() ? n : basisRel + "/" + n;
            boolean refused = filter.refusesUpload(PathBytes.bytes(rel), false);
            for (int s = rel.indexOf('/'); s > 0 && !refused; s = rel.indexOf('/', s + 1)) {
                refused = filter.refusesUpload(PathBytes.bytes(rel.substring(0, s)), true);
            }
            if (refused) {
                throw new SafeNames.UnsafePathException("\"" + Escaped.of(name) + "\" is excluded by the module");
            }
            return dirs.resolve(root, name);
        };
    }

    /**
     * The client's {@code --compare-dest}/{@code --copy-dest}/{@code --link-dest} directories as paths below the
     * module root, as rsync's daemon sanitizes them ({@code sanitize_path}): relative to the destination, an
     * absolute one from the module root, and a ".." that would climb above the module root dropped. One with a
     * symlink or file on the way is warned about and left out (the transfer goes on without it, as stock's confined
     * lookup finds nothing there); one the module's rules refuse uploads to refuses the transfer (a basis directory
     * is read, and with {@code --compare-dest} its contents steer what is written). A missing one is warned about and
     * searched anyway, as rsync does. Names below them are resolved beneath the module by their own
     * {@link ConfinedDirs}, so a symlink inside cannot lead out either.
     */
    // rsync/main.c:do_server_recv (sanitize_path of basis_dir, the daemon filter check) + check_alt_basis_dirs
    static List<String> basisDirs(BeneathOpener opener, Path root, Options o, String destDirRel, ModuleFilter filter,
                                  SessionLog log) {
        List<String> rels = new ArrayList<>();
        for (String given : o.basisDirs()) {
            String option = o.altDest().option();
            String rel = sanitized(given, given.startsWith("/") ? "" : destDirRel);
            if (!rel.isEmpty() && filter.refusesUpload(PathBytes.bytes(rel), true)) {
                throw new RsyncException(ExitCode.SYNTAX, "ERROR: " + option + " \"" + given
                        + "\" refused: the module excludes it");
            }
            try {
                ConfinedDirs.checkDirectory(opener, root, rel, option);
            } catch (ModulePaths.Refused e) {
                log.warning(option + " arg ignored: " + e.getMessage());
                continue;
            }
            Path dir = rel.isEmpty() ? root : root.resolve(PathBytes.path(rel));
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                log.warning(option + " arg does not exist: " + (rel.isEmpty() ? "." : rel));
            }
            rels.add(rel);
        }
        return rels;
    }

    // rsync/flist.c:recv_file_list with the daemon's bound, id mapping and munging of symlinks; the
    // client's --numeric-ids decides the protocol, the module's only drops the names (numeric_ids = -1)
    private static FileList readFileList(Connection conn, SessionParams params, Options options,
                                         ServerRole.Context ctx, TransferStats stats) {
        List<FileEntry> entries = FileListReceiver.recvFileList(conn, fileListOptions(params, options), stats,
                ctx.idNames(), ownerMaps(options, ctx.idNames()));
        return FileList.forReceiver(munged(entries, ctx.identity()), params.protocol());
    }

    /** The client's --usermap and --groupmap, their local names as the module sees names. */
    private static OwnerMaps ownerMaps(Options options, IdNames idNames) {
        return OwnerMaps.parse(options.usermap(), options.groupmap(), idNames);
    }

    private static FileListOptions fileListOptions(SessionParams params, Options options) {
        return params.fileListOptions(options, options.numericIds(), MAX_ENTRIES);
    }

    private static List<FileEntry> munged(List<FileEntry> entries, ModuleIdentity identity) {
        if (identity.mungeSymlinks()) {
            return entries.stream().map(SymlinkMunging::munge).toList();
        }
        return identity.sanitizesPaths() ? entries.stream().map(SanitizedLinks::of).toList() : new ArrayList<>(entries);
    }

    // rsync/main.c:get_local_name says "created directory" only with -v or -i
    // rsync/log.c:log_delete on a server: MSG_DELETED to the client (a directory's name ends in a NUL),
    // and a "del." line in the transfer log unless this is a dry run
    private static void reportDeletion(Connection conn, TransferLogger transferLog, boolean dryRun, String rel,
                                       boolean isDir) {
        DeletionReporter.toClient(conn, rel, isDir);
        if (!dryRun) {
            transferLog.deleted(rel, isDir);
        }
    }

    /**
     * The push's destination below the module, from the path argument ({@code module/inner/path}); "." and
     * empty components dropped, ".." and absolute paths refused.
     */
    static String destination(ServerRole.Context ctx) {
        List<String> args = ctx.pathArgs();
        String arg = args.isEmpty() ? ctx.module().name() : args.get(args.size() - 1);
        String inner;
        try {
            inner = ctx.paths().innerPath(arg);
        } catch (ModulePaths.Refused e) {
            throw new RsyncException(ExitCode.SYNTAX, "ERROR: " + e.getMessage());
        }
        List<String> parts = new ArrayList<>();
        for (String p : inner.split("/")) {
            if (p.equals("..")) {
                throw new RsyncException(ExitCode.SYNTAX, "ERROR: \"..\" in destination \"" + inner + "\" refused");
            }
            if (!p.isEmpty() && !p.equals(".")) {
                parts.add(p);
            }
        }
        return String.join("/", parts);
    }

    /**
     * rsync/main.c:get_local_name: a destination written with a trailing slash names a directory even for a
     * single file, and is created (only its last component, all of them with --mkpath); a missing parent
     * ends the push with rsync's mkdir error before anything is sent.
     */
    private static void makeNamedDirectory(ServerRole.Context ctx, String destRel, Path destPath, FileList flist) {
        List<String> args = ctx.pathArgs();
        boolean namesDirectory = !args.isEmpty() && args.getLast().endsWith("/");
        boolean solo = Destination.isSoloFile(destPath, flist);
        if (destRel.isEmpty() || solo && !namesDirectory || Files.exists(destPath, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            if (ctx.options().mkpath()) {
                Files.createDirectories(destPath);
            } else if (solo) {
                Files.createDirectory(destPath);
            } else if (!Files.isDirectory(destPath.getParent())) {
                throw new NoSuchFileException(destRel); // a tree's own directory is created by the generator
            } else {
                return;
            }
        } catch (IOException e) {
            String why = e instanceof NoSuchFileException ? "No such file or directory (2)"
                    : e instanceof FileAlreadyExistsException ? "File exists (17)" : e.getMessage();
            throw new RsyncException(ExitCode.FILE_IO, "rsync: mkdir \"" + Escaped.of(destRel) + "\" (in " + ctx.module().name()
                    + ") failed: " + why);
        }
        if (ctx.options().tellsCreatedDirectory()) {
            ctx.conn().log().info("created directory " + destRel);
        }
    }

    /**
     * {@code name} below {@code start} (both relative, '/'-separated) with "." and empty components dropped and
     * each ".." taking away the component before it, never climbing above the module root ({@code
     * rsync/util1.c:sanitize_path}).
     */
    static String sanitized(String name, String start) {
        List<String> parts = new ArrayList<>();
        if (!start.isEmpty()) {
            parts.addAll(List.of(start.split("/")));
        }
        for (String p : name.split("/")) {
            if (p.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.removeLast();
                }
            } else if (!p.isEmpty() && !p.equals(".")) {
                parts.add(p);
            }
        }
        return String.join("/", parts);
    }

    /**
     * {@code --backup-dir}, {@code --temp-dir} and an absolute {@code --partial-dir} as a daemon takes them ({@code
     * rsync/options.c:parse_arguments}, {@code sanitize_path} with no ".." allowed above the start): an absolute one
     * from the module root, a relative one from the destination (a relative partial dir lies beside each file and
     * is resolved as the files are). They are then opened as a client opens them ({@code OperatorDirs}:
     * following only root's and the daemon user's symlinks) and used only where they really lie inside the module,
     * which {@code --confine-root} checks on the open descriptor. One the module's rules exclude refuses the options,
     * as rsync's "Your options have been rejected by the server."
     */
    static Options withConfinedDirs(Options o, Path root, ModuleFilter filter) {
        String partialDir = o.partialDir();
        if (o.backupDir() == null && o.tempDir() == null && partialDir == null) {
            return o;
        }
        OptionsBuilder b = o.toBuilder();
        b.backupDir = o.backupDir() == null ? null : inModule(o.backupDir(), root, filter);
        b.tempDir = o.tempDir() == null ? null : inModule(o.tempDir(), root, filter);
        if (partialDir != null && partialDir.startsWith("/")) {
            b.partialDir = inModule(partialDir, root, filter);
        } else if (partialDir != null && List.of(partialDir.split("/")).contains("..")) {
            // beside each file, a ".." would lead up through directories a client may have made symlinks
            throw new RsyncException(ExitCode.UNSUPPORTED, "ERROR: this daemon does not accept a --partial-dir with"
                    + " \"..\" (" + partialDir + ")");
        }
        b.confineRoot = PathBytes.text(root);
        return b.build();
    }

    private static String inModule(String given, Path root, ModuleFilter filter) {
        String rel = sanitized(given, "");
        if (!rel.isEmpty() && filter.refusesUpload(PathBytes.bytes(rel), true)) {
            throw new RsyncException(ExitCode.SYNTAX, "Your options have been rejected by the server.");
        }
        if (!given.startsWith("/")) {
            return rel.isEmpty() ? "." : rel;
        }
        return PathBytes.text(rel.isEmpty() ? root : root.resolve(PathBytes.path(rel)));
    }

    // rsync/generator.c:recv_generator: names the module's own rules exclude are not received, nor
    // anything below a refused directory
    private static void refuseDaemonExcluded(FileList flist, ModuleFilter filter, String destRel, Connection conn,
                                             Set<String> refusedDirs) {
        for (int i = 0; i < flist.size(); i++) {
            FileEntry e = flist.get(i);
            if (e == null || e.isRootDot()) {
                continue;
            }
            String name = PathBytes.text(e.name());
            if (underRefused(name, refusedDirs)) {
                flist.remove(i);
                continue;
            }
            String moduleRel = destRel.isEmpty() ? name : destRel + "/" + name;
            if (filter.refusesUpload(PathBytes.bytes(moduleRel), e.isDirectory())) {
                flist.remove(i);
                if (e.isDirectory()) {
                    refusedDirs.add(name);
                }
                conn.log().error("ERROR: daemon refused to receive " + (e.isDirectory() ? "directory" : "file")
                        + " \"" + e.displayName() + "\"");
            }
        }
        if (!refusedDirs.isEmpty()) {
            // a directory's contents may sort before it: a second pass clears them
            for (int i = 0; i < flist.size(); i++) {
                FileEntry e = flist.get(i);
                if (e != null && underRefused(PathBytes.text(e.name()), refusedDirs)) {
                    flist.remove(i);
                }
            }
        }
    }

    private static boolean isRefused(String dirName, Set<String> refusedDirs) {
        return refusedDirs.contains(dirName) || underRefused(dirName, refusedDirs);
    }

    private static boolean underRefused(String name, Set<String> refusedDirs) {
        for (int s = name.indexOf('/'); s > 0; s = name.indexOf('/', s + 1)) {
            if (refusedDirs.contains(name.substring(0, s))) {
                return true;
            }
        }
        return false;
    }
}
