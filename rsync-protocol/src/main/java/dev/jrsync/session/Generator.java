package dev.jrsync.session;

import dev.jrsync.checksum.BlockSizing;
import dev.jrsync.core.ExitCode;
import dev.jrsync.core.PathBytes;
import dev.jrsync.core.RsyncException;
import dev.jrsync.core.SessionLog;
import dev.jrsync.delta.BlockSums;
import dev.jrsync.delta.SumHead;
import dev.jrsync.flist.FileEntry;
import dev.jrsync.flist.FileList;
import dev.jrsync.flist.SafeNames;
import dev.jrsync.fs.FakeSuper;
import dev.jrsync.fs.LocalStat;
import dev.jrsync.fs.Posix;
import dev.jrsync.fs.ScanFilter;
import dev.jrsync.options.AltDest;
import dev.jrsync.options.DeleteMode;
import dev.jrsync.options.Options;
import dev.jrsync.wire.NdxCodec;
import dev.jrsync.wire.ProtocolOutput;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The generator role ({@code rsync/generator.c}): walks the received file list in index order, brings
 * directories, symlinks and special files into shape itself, and asks the sender for the regular files
 * that differ, with the block sums of the basis it chose. It only writes to the peer; what it asks for goes
 * into the {@link RequestTable}, and what it learns from the receiver (redo requests, phase ends) arrives
 * through the {@link GeneratorInbox}. Runs on its own thread next to a {@link Receiver}; see {@link ReceivingSide}.
 */
final class Generator {
    /**
     * What this session's generator does that the receiver need not know.
     *
     * @param wholeFile        send no block sums (rsync's {@code -W}; the default for local copies)
     * @param deleteFilter     what deletion must leave alone ({@code Filters.forDelete()})
     * @param fuzzyResolver    resolves the destination's other files that the fuzzy search offers as a basis;
     *                         null: the destination's resolver
     * @param basisDirs        the alternate basis directories; null: the options', taken locally when the run starts
     * @param deletionReporter how deletions are told; null: printed
     * @param appendOnWire     whether the sender speaks rsync's {@code --append}
     */
    record Settings(boolean wholeFile, ScanFilter deleteFilter, PathResolver fuzzyResolver, BasisDirs basisDirs,
                    DeletionReporter deletionReporter, boolean appendOnWire) {}

    private final RecvContext ctx;
    private final Connection conn;
    private final SessionParams params;
    private final FileList flist;
    private final Destination dest;
    private final DestPaths paths;
    private final Options o;
    private final Settings settings;
    private final ItemLog itemLog;
    private final TransferStats stats;
    private final SessionLog log;
    private final ProtocolOutput out;
    private final int protocol;
    /** rsync's {@code am_root != 0}: root, or fake super, which records what root would set. */
    private final boolean amRoot;
    /** rsync's {@code am_root < 0}: {@code --fake-super}, or a module's {@code fake super}. */
    private final boolean fakeSuper;
    private final RequestTable requests;
    private final GeneratorInbox inbox;
    private final BitSet pruned = new BitSet();
    private final BitSet createdDirs = new BitSet();
    /** Under incremental recursion: the lists as the receiver adds them; null otherwise. */
    private final FileListChain chain;
    /** The lists generated and not yet ended with NDX_DONE, oldest first ({@code first_flist} onwards). */
    private final ArrayDeque<FileListChain.Link> unfinished = new ArrayDeque<>();
    /** The list being generated ({@code cur_flist}); null once all are. */
    private FileListChain.Link current;
    /**
     * Incremental recursion: the directories this run made and has not given their final mode yet (by
     * identity; some made early, in their parent's list, so that the parent's mtime is final with its list).
     */
    private final Set<FileEntry> madeDirs = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Null until the transfer starts unless given (then the options' directories, taken locally). */
    private BasisDirs basisDirs;
    private final AttrSetter attrs;
    private final QuickCheck quickCheck;
    private final Deleter deleter;
    /** Made when the roles start, once the basis directories are known. */
    private AltDestBasis altDest;
    /** Made with {@link #altDest}: it searches the basis directories too. */
    private FuzzyBasis fuzzy;
    private int msgDone;
    private int ioError;
    private boolean redoing;

    Generator(RecvContext ctx, RequestTable requests, GeneratorInbox inbox, Settings settings) {
        this.ctx = ctx;
        this.conn = ctx.conn();
        this.params = ctx.params();
        this.flist = ctx.flist();
        this.dest = ctx.dest();
        this.paths = ctx.paths();
        this.o = ctx.o();
        this.settings = settings;
        this.itemLog = ctx.itemLog();
        this.stats = ctx.stats();
        this.log = conn.log();
        this.out = conn.out();
        this.protocol = params.protocol();
        this.fakeSuper = o.fakeSuper;
        this.attrs = ctx.attrs();
        this.amRoot = attrs.amRoot();
        this.requests = requests;
        this.inbox = inbox;
        this.chain = ctx.chain();
        this.basisDirs = settings.basisDirs();
        this.quickCheck = new QuickCheck(o, params, attrs, amRoot);
        this.deleter = new Deleter(conn, o, dest, settings.deleteFilter(), paths.resolver(),
                settings.deletionReporter(), ctx.backups(), stats);
    }

    /** I/O error bits this side ran into. */
    int ioError() {
        return ioError | deleter.ioError();
    }

    // ---- the role ----

    // rsync/generator.c:generate_files
    void generateFiles() {
        DeleteMode deleteMode = o.deleteMode(protocol);
        boolean deleting = deleteMode != null && !dest.soloFile() && !o.isListOnly();
        if (basisDirs == null) {
            // rsync takes relative ones from the directory it changed into: a lone file's parent.
            Path destDir = dest.soloFile() ? dest.root().getParent() : dest.root();
            basisDirs = o.isListOnly() ? BasisDirs.NONE : BasisDirs.local(o, destDir, log, ctx.operatorDirs());
        }
        altDest = new AltDestBasis(basisDirs, o, quickCheck, attrs, log, paths::readlink, this::itemize);
        fuzzy = new FuzzyBasis(o.fuzzyLevel(), basisDirs, dest, paths.resolver(), settings.fuzzyResolver());
        boolean deleteDuring = deleting && (deleteMode == DeleteMode.DURING || deleteMode == DeleteMode.DELAY);
        if (chain != null) {
            generateLists(deleteDuring);
        } else {
            countList(flist);
            markPrunedDirs();
            if (deleting && deleteMode == DeleteMode.BEFORE) {
                deletePass();
            }
            for (int i = 0; i < flist.size(); i++) {
                FileEntry e = flist.get(i);
                if (e == null) {
                    continue;
                }
                recvGenerator(i, e, deleteDuring);
                handleInbox(false);
            }
            out.writeNdx(NdxCodec.NDX_DONE);
            out.flush();
        }

        // Phase 1: redo requests until the receiver finished phase 0 (under inc_recurse: lists still ending).
        while (msgDone < 1) {
            waitForReceiver(true);
            finishLists();
        }
        boolean earlyDelayDone = !o.delayUpdates;
        boolean earlyDeleteDone = !(deleteMode == DeleteMode.DELAY || deleteMode == DeleteMode.AFTER);
        out.writeNdx(NdxCodec.NDX_DONE);
        if (earlyDelayDone) {
            out.writeNdx(NdxCodec.NDX_DONE);
        }
        if (protocol >= 31 && earlyDeleteDone) {
            if (deleteMode != null || o.force) {
                DeleteStats.write(out, stats);
            }
            if (earlyDelayDone) {
                out.writeNdx(NdxCodec.NDX_DONE);
            }
        }
        out.flush();
        while (msgDone < 2) {
            waitForReceiver(false);
        }
        if (!earlyDelayDone) {
            out.writeNdx(NdxCodec.NDX_DONE);
            if (protocol >= 31 && earlyDeleteDone) {
                out.writeNdx(NdxCodec.NDX_DONE);
            }
            out.flush();
        }
        while (msgDone < 3) {
            waitForReceiver(false);
        }
        if (deleting) {
            if (deleteMode == DeleteMode.DELAY) {
                deleter.deleteDelayed();
            } else if (deleteMode == DeleteMode.AFTER) {
                deletePass();
            }
        }
        if (deleter.skipped() > 0) {
            log.error("Deletions stopped due to --max-delete limit (" + deleter.skipped() + " skipped)");
            ioError |= Connection.IOERR_DEL_LIMIT;
        }
        if (protocol >= 31) {
            if (!earlyDeleteDone) {
                if (deleteMode != null || o.force) {
                    DeleteStats.write(out, stats);
                }
                out.writeNdx(NdxCodec.NDX_DONE);
                out.flush();
            }
            while (msgDone < 4) {
                waitForReceiver(false);
            }
        }
        if (!o.dryRun && !dest.soloFile() && !o.isListOnly()) {
            if (chain == null) {
                touchUpDirs();
            } else if (deleteMode == DeleteMode.DELAY) {
                // rsync/generator.c:generate_files: with --delete-delay the lists left their directories alone
                chain.dirs().forEachActive(dir -> touchUpDir(dir, madeDirs.remove(dir)));
            }
        }
    }

    // ---- incremental recursion ----

    /**
     * The lists in the order they arrive ({@code rsync/generator.c:generate_files} with inc_recurse): a
     * sub-list's directory first, in full, with its deletions, then its entries, a directory among them only
     * created so far; between entries the lists whose files are all done are ended.
     */
    private void generateLists(boolean deleteDuring) {
        int seq = 0;
        FileListChain.Link link;
        while ((link = nextList(seq++)) != null) {
            current = link;
            unfinished.addLast(link);
            FileList list = link.list();
            countList(list);
            FileEntry parent = link.parent();
            if (parent != null) {
                recvGenerator(link.parentNdx(), parent, false);
                if (deleteDuring && isContentDir(parent) && !o.isListOnly()) {
                    try {
                        Path dir = paths.pathOf(parent);
                        if (DestPaths.lstat(dir) != null) {
                            deleter.deleteInDir(dir, parent.isRootDot() ? "" : PathBytes.text(parent.name()), list,
                                    o.deleteMode(protocol) == DeleteMode.DELAY);
                        }
                    } catch (SafeNames.UnsafePathException ex) {
                        log.error("rsync: " + ex.getMessage());
                        ioError |= Connection.IOERR_GENERAL;
                    }
                }
            }
            for (int i = 0; i < list.size(); i++) {
                FileEntry e = list.get(i);
                if (e == null) {
                    continue;
                }
                if (e.isDirectory()) {
                    createEarly(e);
                } else {
                    recvGenerator(link.start() + i, e, false);
                }
                handleInbox(false);
                finishLists();
            }
        }
        current = null;
        finishLists();
    }

    /** The {@code seq}-th list, once it arrived; null after the last ({@code NDX_FLIST_EOF}). */
    private FileListChain.Link nextList(int seq) {
        while (true) {
            runRedos();
            finishLists();
            FileListChain.Link link = chain.arrived(seq);
            if (link != null) {
                return link;
            }
            if (chain.endReached()) {
                return null;
            }
            waitForReceiver(true);
        }
    }

    /**
     * A directory met in its parent's list: made now (private to us) when directory times are kept, so that
     * the parent's mtime is final when its list ends; its attributes and contents come with its own list.
     */
    // rsync/generator.c:recv_generator with is_dir < 0
    private void createEarly(FileEntry e) {
        if (!o.times || o.omitDirTimes || o.dryRun || o.isListOnly() || e.isRootDot()) {
            return;
        }
        try {
            Path path = paths.pathOf(e);
            LocalStat st = paths.destStat(path);
            if (st != null && (st.isDirectory() || !deleter.removeForReplacement(path, st, e))) {
                return;
            }
            Files.createDirectory(path);
            AttrSetter.setMode(path, 0700);
            madeDirs.add(e);
        } catch (SafeNames.UnsafePathException ex) {
            log.error("rsync: " + ex.getMessage());
            ioError |= Connection.IOERR_GENERAL;
        } catch (IOException ex) {
            // reported when the directory's own list comes (rsync: "Any errors get reported later")
        }
    }

    /**
     * Ends, oldest first, each list before the current one whose requested files are all done: NDX_DONE to
     * the sender, its directory's mode and mtime set, the list dropped.
     */
    // rsync/generator.c:check_for_finished_files (the list half)
    private void finishLists() {
        if (chain == null) {
            return;
        }
        while (!unfinished.isEmpty() && unfinished.peekFirst() != current) {
            FileListChain.Link first = unfinished.peekFirst();
            if (first.inProgress.get() > 0 || first.toRedo > 0) {
                break;
            }
            out.writeNdx(NdxCodec.NDX_DONE);
            if (first.parent() != null && !o.dryRun && !dest.soloFile() && !o.isListOnly()
                    && o.deleteMode(protocol) != DeleteMode.DELAY) {
                touchUpDir(first.parent(), madeDirs.remove(first.parent()));
            }
            unfinished.removeFirst();
        }
    }

    /** The unfinished list an index of ours belongs to. */
    private FileListChain.Link ownList(int ndx) {
        if (current != null && current.holds(ndx)) {
            return current;
        }
        for (FileListChain.Link l : unfinished) {
            if (l.holds(ndx)) {
                return l;
            }
        }
        throw new RsyncException(ExitCode.PROTOCOL_INCOMPATIBLE, "File-list index " + ndx + " is in no list in progress");
    }

    /** The generator's last word ({@code rsync/main.c:do_recv}): the final goodbye. */
    // rsync/main.c:do_recv (generator half, after generate_files)
    void finalGoodbye() {
        out.writeNdx(NdxCodec.NDX_DONE);
        out.flush();
    }

    private void countList(FileList list) {
        for (int i = 0; i < list.size(); i++) {
            FileEntry e = list.get(i);
            if (e == null) {
                continue;
            }
            if (e.isDirectory()) {
                stats.numDirs++;
            } else if (e.isSymlink()) {
                stats.numSymlinks++;
                stats.totalSize += e.size();
            } else if (e.isDevice()) {
                stats.numDevices++;
            } else if (e.isSpecial()) {
                stats.numSpecials++;
            } else {
                stats.numFiles++;
                stats.totalSize += e.size();
            }
        }
    }

    // rsync/io.c:wait_for_receiver
    private void waitForReceiver(boolean checkRedo) {
        out.flush();
        if (checkRedo) {
            runRedos();
        }
        handleMessage(inbox.take(), checkRedo);
        handleInbox(checkRedo);
    }

    private void handleInbox(boolean checkRedo) {
        GeneratorInbox.Note m;
        while ((m = inbox.poll()) != null) {
            handleMessage(m, checkRedo);
        }
    }

    private final List<Integer> redoQueue = new ArrayList<>();

    private void runRedos() {
        while (!redoQueue.isEmpty()) {
            redo(redoQueue.removeFirst());
        }
    }

    // rsync/io.c:got_flist_entry_status and read_a_msg's MSG_DONE
    private void handleMessage(GeneratorInbox.Note m, boolean checkRedo) {
        switch (m.kind()) {
            case DONE -> msgDone++;
            case WAKE -> { } // the caller looks at the lists again
            case REDO -> {
                if (chain != null) {
                    FileListChain.Link l = ownList(m.ndx());
                    l.inProgress.decrementAndGet();
                    l.toRedo++;
                }
                if (checkRedo) {
                    redo(m.ndx());
                } else {
                    redoQueue.add(m.ndx());
                }
            }
        }
    }

    // rsync/generator.c:check_for_finished_files (the redo half): full-length sums, no skipping rules
    private void redo(int ndx) {
        FileEntry e;
        if (chain != null) {
            FileListChain.Link l = ownList(ndx);
            l.toRedo--;
            e = l.entry(ndx);
        } else {
            e = flist.get(ndx);
        }
        if (e == null || !e.isRegular()) {
            throw new RsyncException(ExitCode.STREAM_IO, "redo request for a non-file index " + ndx);
        }
        redoing = true;
        try {
            recvGenerator(ndx, e, false);
        } finally {
            redoing = false;
        }
    }

    // ---- per entry ----

    // rsync/generator.c:recv_generator
    private void recvGenerator(int ndx, FileEntry e, boolean deleteDuring) {
        if (pruned.get(ndx)) {
            return;
        }
        if (o.isListOnly()) {
            log.info(FileListing.line(e, o.humanReadable));
            return;
        }
        Path path;
        try {
            path = paths.pathOf(e);
        } catch (SafeNames.UnsafePathException ex) {
            log.error("rsync: " + ex.getMessage());
            ioError |= Connection.IOERR_GENERAL;
            return;
        }
        LocalStat st = paths.destStat(path);
        if (!redoing) {
            if (o.existing && st == null) {
                if (o.verbose > 1) {
                    log.info("not creating new " + (e.isDirectory() ? "directory" : "file") + " \"" + e.displayName() + "\"");
                }
                return;
            }
            if (o.ignoreExisting && st != null && !(e.isDirectory() && st.isDirectory())) {
                return;
            }
        }
        try {
            if (e.isDirectory()) {
                generateDir(ndx, e, path, st, deleteDuring);
            } else if (e.isSymlink()) {
                generateSymlink(ndx, e, path, st);
            } else if (e.isDevice() || e.isSpecial()) {
                generateSpecial(ndx, e, path, st);
            } else if (e.isRegular()) {
                generateFile(ndx, e, path, st);
            }
        } catch (IOException ex) {
            log.error("rsync: recv_generator: " + e.displayName() + ": " + Posix.describe(ex));
            ioError |= Connection.IOERR_GENERAL;
        }
    }

    private void generateDir(int ndx, FileEntry e, Path path, LocalStat st, boolean deleteDuring) throws IOException {
        int iflags = 0;
        if (st != null && !st.isDirectory()) {
            if (!o.dryRun && !deleter.removeForReplacement(path, st, e)) {
                return;
            }
            st = null;
        }
        // made by rsync/main.c:get_local_name, or early in its parent's list (FLAG_DIR_CREATED): reported as new
        boolean madeAlready = st != null && (e.isRootDot() && dest.createdRoot() || madeDirs.contains(e));
        boolean isNew = st == null || madeAlready;
        if (isNew) {
            // A directory the basis directories hold unchanged is still created, but not reported.
            iflags = altDest.unchanged(e, paths.nameInDestDir(e)) ? 0 : ItemFlags.IS_NEW | ItemFlags.LOCAL_CHANGE;
            if (!o.dryRun) {
                if (!madeAlready) {
                    Files.createDirectory(path);
                }
                AttrSetter.setMode(path, (e.mode() & 07777) | 0700);
                if (chain != null) {
                    madeDirs.add(e);
                } else {
                    createdDirs.set(ndx);
                }
            }
        } else {
            iflags = quickCheck.attrFlags(e, st);
            if (!o.dryRun && (st.mode() & 0700) != 0700) {
                AttrSetter.setMode(path, (st.mode() & 07777) | 0700);
            }
        }
        if (fakeSuper && !o.dryRun) {
            // rsync/generator.c:recv_generator's set_file_attrs on the directory: its mode and owner are stored
            // now, while the directory itself stays open to its owner for the files to come
            attrs.storeStat(path, e, attrs.targetMode(e, isNew ? null : st, isNew));
        }
        itemize(ndx, e, iflags);
        if (deleteDuring && isContentDir(e) && (st != null || !o.dryRun)) {
            deleter.deleteInDir(path, e.isRootDot() ? "" : PathBytes.text(e.name()), flist,
                    o.deleteMode(protocol) == DeleteMode.DELAY);
        }
    }

    private void generateSymlink(int ndx, FileEntry e, Path path, LocalStat st) throws IOException {
        if (!o.links || e.linkTarget() == null) {
            return;
        }
        byte[] target = e.linkTarget();
        int iflags;
        if (st != null && st.isSymlink()) {
            if (java.util.Arrays.equals(paths.readlink(path), target)) {
                iflags = quickCheck.attrFlags(e, st);
                if (!o.dryRun) {
                    attrs.setAttrs(path, e, st, false);
                }
                itemize(ndx, e, iflags);
                return;
            }
            iflags = ItemFlags.REPORT_CHANGE | ItemFlags.LOCAL_CHANGE;
        } else {
            iflags = st == null ? ItemFlags.IS_NEW | ItemFlags.LOCAL_CHANGE : ItemFlags.REPORT_CHANGE | ItemFlags.LOCAL_CHANGE;
        }
        if (st == null && (iflags = altDest.flagsAfter(ndx, e, path, iflags, paths.nameInDestDir(e))) < 0) {
            return;
        }
        if (!o.dryRun) {
            Path tmp = TempNames.tempName(path.getParent(), path.getFileName());
            if (fakeSuper) {
                FakeSuper.symlink(target, tmp);
            } else {
                Posix.symlink(target, tmp);
            }
            if (st != null && st.isDirectory() && !deleter.removeForReplacement(path, st, e)) {
                Files.deleteIfExists(tmp);
                return;
            }
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            attrs.setAttrs(path, e, null, true);
        }
        itemize(ndx, e, iflags);
    }

    private void generateSpecial(int ndx, FileEntry e, Path path, LocalStat st) throws IOException {
        if (e.isDevice() && (!o.devices || !amRoot)) {
            // rsync/generator.c:recv_generator: a device not created falls to the non-regular-file notice
            log.info("skipping non-regular file \"" + e.displayName() + "\"");
            return;
        }
        if (e.isSpecial() && !o.specials) {
            return;
        }
        long rdev = Posix.makedev(e.rdevMajor(), e.rdevMinor());
        if (st != null && (st.mode() & LocalStat.S_IFMT) == (e.mode() & LocalStat.S_IFMT)
                && (!e.isDevice() || st.rdev() == rdev)) {
            int iflags = quickCheck.attrFlags(e, st);
            if (!o.dryRun) {
                attrs.setAttrs(path, e, st, false);
            }
            itemize(ndx, e, iflags);
            return;
        }
        int iflags = st == null ? ItemFlags.IS_NEW | ItemFlags.LOCAL_CHANGE : ItemFlags.REPORT_CHANGE | ItemFlags.LOCAL_CHANGE;
        if (st == null && (iflags = altDest.flagsAfter(ndx, e, path, iflags, paths.nameInDestDir(e))) < 0) {
            return;
        }
        if (!o.dryRun) {
            if (st != null && !deleter.removeForReplacement(path, st, e)) {
                return;
            }
            Path tmp = TempNames.tempName(path.getParent(), path.getFileName());
            if (fakeSuper) {
                FakeSuper.placeholder(tmp);
            } else {
                Posix.mknod(tmp, (e.mode() & LocalStat.S_IFMT) | (e.mode() & 07777), e.isDevice() ? rdev : 0);
            }
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            attrs.setAttrs(path, e, null, true);
        }
        itemize(ndx, e, iflags);
    }

    private void generateFile(int ndx, FileEntry e, Path path, LocalStat st) throws IOException {
        boolean redo = redoing;
        if (!redo) {
            if (o.maxSize != null && e.size() > o.maxSize || o.minSize != null && e.size() < o.minSize) {
                return;
            }
            if (o.existing && st == null) {
                return;
            }
            if (o.ignoreExisting && st != null) {
                return;
            }
        }
        if (st != null && !st.isRegular()) {
            if (o.dryRun) {
                st = null;
            } else {
                if (!deleter.removeForReplacement(path, st, e)) {
                    return;
                }
                st = null;
            }
        }
        AltDestBasis.Candidate alternate = null;
        if (!basisDirs.isEmpty() && (st == null || basisDirs.type() != AltDest.COPY)) {
            AltDestBasis.Candidate c = altDest.best(e, paths.nameInDestDir(e));
            if (c != null && altDest.settled(ndx, e, path, st, c)) {
                return;
            }
            if (c != null && st == null) {
                alternate = c;
            }
        }
        if (!redo && st != null) {
            if (o.update && quickCheck.compareMtime(st, e) > 0) {
                return; // newer on the receiver
            }
            if (quickCheck.quickCheckOk(e, path, st)) {
                int iflags = quickCheck.attrFlags(e, st);
                if (!o.dryRun) {
                    attrs.setAttrs(path, e, st, false);
                }
                itemize(ndx, e, iflags);
                if (o.removeSourceFiles && !o.dryRun) {
                    // rsync/generator.c:recv_generator's return_with_success: an up-to-date copy counts as
                    // duplicated, so the sender removes its source as it would after a transfer
                    conn.sendInt(dev.jrsync.wire.MsgCode.SUCCESS, ndx);
                }
                return;
            }
        }
        if (!redo && o.appendMode > 0 && st != null && st.size() >= e.size()) {
            return; // --append never shortens or rewrites
        }

        int iflags = ItemFlags.TRANSFER;
        // A file found in a basis directory is reported as an update of that copy, as rsync does.
        LocalStat was = st != null ? st : alternate != null ? alternate.st() : null;
        if (was == null) {
            iflags |= ItemFlags.IS_NEW;
        } else {
            iflags |= quickCheck.attrFlags(e, was) & ~ItemFlags.REPORT_TIME;
            if (was.size() != e.size()) {
                iflags |= ItemFlags.REPORT_SIZE;
            }
            if (quickCheck.timeDiffers(was, e)) {
                iflags |= ItemFlags.REPORT_TIME;
            }
            if (o.checksum) {
                iflags |= ItemFlags.REPORT_CHANGE;
            }
        }

        // Pick the basis: the partial file, the file itself, or a fuzzy match.
        Path basis = null;
        int basisType = ItemFlags.FNAMECMP_FNAME;
        byte[] xname = null;
        String partialDir = o.effectivePartialDir();
        if (partialDir != null && !o.delayUpdates) {
            Path partial = TempNames.partialPath(path, partialDir);
            LocalStat ps = partial == null ? null : DestPaths.lstat(partial);
            if (ps != null && ps.isRegular()) {
                basis = partial;
                basisType = ItemFlags.FNAMECMP_PARTIAL_DIR;
            }
        }
        if (basis == null && st != null) {
            basis = path;
        }
        if (basis == null && alternate != null) {
            basis = alternate.path();
            basisType = alternate.dir(); // rsync's FNAMECMP_BASIS_DIR_LOW + j
        }
        if (basis == null && o.fuzzyLevel() > 0 && !o.inplaceMode()) {
            FuzzyBasis.Fuzzy similar = fuzzy.find(path, e, paths.nameInDestDir(e));
            if (similar != null) {
                basis = similar.path();
                basisType = similar.basisType();
                xname = PathBytes.of(similar.path().getFileName());
            }
        }
        if (basisType != ItemFlags.FNAMECMP_FNAME) {
            iflags |= ItemFlags.BASIS_TYPE_FOLLOWS;
        }
        if (xname != null) {
            iflags |= ItemFlags.XNAME_FOLLOWS;
        }

        if (o.dryRun) {
            requests.record(new RequestTable.Request(ndx, path, null, basisType, xname, SumHead.EMPTY, redo, st != null, false));
            NdxAttrs.write(out, protocol, ndx, iflags, basisType, xname);
            return;
        }

        boolean sendSums = basis != null && (!settings.wholeFile() || o.appendMode > 0);
        SumHead head = SumHead.EMPTY;
        FileChannel ch = null;
        if (sendSums) {
            try {
                ch = FileChannel.open(basis, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
                long len = ch.size();
                int csumLength = redo ? BlockSizing.SUM_LENGTH : BlockSizing.SHORT_SUM_LENGTH;
                head = len == 0 ? SumHead.EMPTY
                        : SumHead.forBasis(len, protocol, o.blockSize, csumLength, params.strongChecksum().digestLength());
            } catch (IOException ex) {
                log.error("rsync: failed to open basis \"" + basis + "\": " + Posix.describe(ex));
                if (ch != null) {
                    ch.close();
                }
                ch = null;
                head = SumHead.EMPTY;
            }
        }
        Path recordedBasis = head.count() > 0 || o.inplaceMode() ? basis : null;
        if (recordedBasis == null && basisType != ItemFlags.FNAMECMP_FNAME) {
            // No usable basis after all: ask plainly.
            iflags &= ~(ItemFlags.BASIS_TYPE_FOLLOWS | ItemFlags.XNAME_FOLLOWS);
            basisType = ItemFlags.FNAMECMP_FNAME;
            xname = null;
        }
        // --append: the head alone tells the sender how much the receiver keeps (generate_and_send_sums)
        boolean append = settings.appendOnWire() && o.appendMode > 0 && !redo && st != null && head.count() > 0;
        requests.record(new RequestTable.Request(ndx, path, recordedBasis, basisType, xname, head, redo, st != null, append));
        if (chain != null) {
            ownList(ndx).inProgress.incrementAndGet();
        }
        NdxAttrs.write(out, protocol, ndx, iflags, basisType, xname);
        try {
            if (append) {
                head.write(out, protocol);
            } else if (ch != null && head.count() > 0) {
                BlockSums.generateAndSend(ch, head, params.strongChecksum().newBlockHasher(), out, protocol,
                        conn.in().maxAlloc());
            } else {
                head.write(out, protocol);
            }
        } finally {
            if (ch != null) {
                ch.close();
            }
        }
    }

    private void itemize(int ndx, FileEntry e, int iflags) {
        int significant = iflags & ~(ItemFlags.BASIS_TYPE_FOLLOWS | ItemFlags.XNAME_FOLLOWS);
        if (significant == 0 && o.itemizeChanges < 2) {
            return;
        }
        if (protocol >= 29) {
            NdxAttrs.write(out, protocol, ndx, iflags, ItemFlags.FNAMECMP_FNAME, null);
        } else {
            itemLog.item(e, iflags, false);
        }
    }

    // rsync/generator.c:touch_up_dirs
    private void touchUpDirs() {
        for (int i = flist.size() - 1; i >= 0; i--) {
            FileEntry e = flist.get(i);
            if (e != null && e.isDirectory() && !pruned.get(i)) {
                touchUpDir(e, createdDirs.get(i));
            }
        }
    }

    /** A directory's final mode and mtime, once nothing more is written into it. */
    private void touchUpDir(FileEntry e, boolean created) {
        try {
            Path p = paths.pathOf(e);
            LocalStat st = DestPaths.lstat(p);
            if (st == null || !st.isDirectory()) {
                return;
            }
            int mode = attrs.targetMode(e, st, created);
            // fake super keeps the directory open to its owner; its recorded mode is in the attribute
            if (!fakeSuper && (st.mode() & 07777) != mode) {
                AttrSetter.setMode(p, mode);
            }
            if (o.times && !o.omitDirTimes && (st.mtimeSeconds() != e.mtime() || st.mtimeNanos() != e.mtimeNsec())) {
                Posix.setMtime(p, e.mtime(), e.mtimeNsec());
            }
        } catch (IOException ex) {
            log.error("rsync: failed to set attributes on \"" + e.displayName() + "\": " + Posix.describe(ex));
            ioError |= Connection.IOERR_GENERAL;
        }
    }

    // ---- deletion ----

    private boolean isContentDir(FileEntry e) {
        // Before protocol 30 only a receiver sets NO_CONTENT_DIR: a pull's "." that is a bare parent.
        return !e.isNoContentDir() && (protocol >= 30 || o.recursive || e.isTopDir());
    }

    // rsync/generator.c:do_delete_pass
    private void deletePass() {
        for (int i = 0; i < flist.size(); i++) {
            FileEntry e = flist.get(i);
            if (e == null || !e.isDirectory() || !isContentDir(e) || pruned.get(i)) {
                continue;
            }
            try {
                Path p = paths.pathOf(e);
                LocalStat st = DestPaths.lstat(p);
                if (st != null && st.isDirectory()) {
                    deleter.deleteInDir(p, e.isRootDot() ? "" : PathBytes.text(e.name()), flist, false);
                }
            } catch (SafeNames.UnsafePathException ex) {
                log.error("rsync: " + ex.getMessage());
                ioError |= Connection.IOERR_GENERAL;
            }
        }
    }

    // rsync's -m: directories with nothing but (pruned) directories below them are left out
    private void markPrunedDirs() {
        if (!o.pruneEmptyDirs) {
            return;
        }
        java.util.Set<String> keep = new java.util.HashSet<>();
        for (int i = 0; i < flist.size(); i++) {
            FileEntry e = flist.get(i);
            if (e == null || e.isDirectory()) {
                continue;
            }
            String n = PathBytes.text(e.name());
            for (int s = n.lastIndexOf('/'); s > 0; s = n.lastIndexOf('/', s - 1)) {
                if (!keep.add(n.substring(0, s))) {
                    break;
                }
            }
        }
        for (int i = 0; i < flist.size(); i++) {
            FileEntry e = flist.get(i);
            if (e != null && e.isDirectory() && !e.isRootDot() && !keep.contains(PathBytes.text(e.name()))) {
                pruned.set(i);
            }
        }
    }
}
