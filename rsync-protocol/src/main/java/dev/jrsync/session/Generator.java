package dev.jrsync.session;

import dev.jrsync.core.ExitCode;
import dev.jrsync.core.PathBytes;
import dev.jrsync.core.RsyncException;
import dev.jrsync.core.SessionLog;
import dev.jrsync.flist.FileEntry;
import dev.jrsync.flist.FileList;
import dev.jrsync.flist.SafeNames;
import dev.jrsync.fs.LocalStat;
import dev.jrsync.fs.ScanFilter;
import dev.jrsync.options.DeleteMode;
import dev.jrsync.wire.NdxCodec;
import dev.jrsync.wire.ProtocolOutput;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * The generator role ({@code rsync/generator.c:generate_files}, {@code check_for_finished_files} and {@code
 * rsync/io.c:wait_for_receiver}): walks the received lists in index order, handing each entry to {@link
 * RecvGenerator}, then runs the redo phase and the phase ends, the deletions before or after the transfer, and
 * the directories' touch-up. It only writes to the peer; what it asks for goes into the {@link RequestTable},
 * and what it learns from the receiver (redo requests, phase ends, finished files) arrives through the {@link
 * GeneratorInbox}. Runs on its own thread next to a {@link Receiver}; see {@link ReceivingSide}.
 */
final class Generator {
    /**
     * What this session's generator does that the receiver need not know.
     *
     * @param wholeFile        send no block sums (rsync's {@code -W}; the default for local copies)
     * @param deleteWhen       when extraneous files are deleted in this session's protocol; null: not at all
     * @param deleteFilter     what deletion must leave alone ({@code Filters.forDelete()})
     * @param fuzzyResolver    resolves the destination's other files that the fuzzy search offers as a basis;
     *                         null: the destination's resolver
     * @param basisDirs        the alternate basis directories; null: the options', taken locally when the run starts
     * @param deletionReporter how deletions are told; null: to the session's log
     */
    record Settings(boolean wholeFile, DeleteMode deleteWhen, ScanFilter deleteFilter, PathResolver fuzzyResolver,
                    BasisDirs basisDirs, DeletionReporter deletionReporter) {}

    private final RecvContext ctx;
    private final Connection conn;
    private final FileList flist;
    private final Destination dest;
    private final DestPaths paths;
    private final RecvOptions o;
    private final Settings settings;
    private final TransferStats stats;
    private final SessionLog log;
    private final ProtocolOutput out;
    private final int protocol;
    private final RequestTable requests;
    private final GeneratorInbox inbox;
    /** rsync's -m: the directories left out, by index of the one list. */
    private final BitSet pruned = new BitSet();
    /** Under incremental recursion: the lists as the receiver adds them; null otherwise. */
    private final FileListChain chain;
    /** The lists generated and not yet ended with NDX_DONE, oldest first ({@code first_flist} onwards). */
    private final ArrayDeque<FileListChain.Link> unfinished = new ArrayDeque<>();
    /** The list being generated ({@code cur_flist}); null once all are. */
    private FileListChain.Link current;
    private final Deleter deleter;
    private final DirTouchUp dirs;
    /** Made when the run starts, once the basis directories are known. */
    private RecvGenerator entries;
    private final List<Integer> redoQueue = new ArrayList<>();
    private int msgDone;
    private int ioError;

    Generator(RecvContext ctx, RequestTable requests, GeneratorInbox inbox, Settings settings) {
        this.ctx = ctx;
        this.conn = ctx.conn();
        this.flist = ctx.flist();
        this.dest = ctx.dest();
        this.paths = ctx.paths();
        this.o = ctx.o();
        this.settings = settings;
        this.stats = ctx.stats();
        this.log = conn.log();
        this.out = conn.out();
        this.protocol = ctx.protocol();
        this.requests = requests;
        this.inbox = inbox;
        this.chain = ctx.chain();
        this.deleter = new Deleter(ctx, settings.deleteFilter(), settings.deletionReporter());
        this.dirs = new DirTouchUp(ctx);
    }

    /** I/O error bits this side ran into. */
    int ioError() {
        return ioError | deleter.ioError() | dirs.ioError() | (entries == null ? 0 : entries.ioError())
                | ctx.attrs().ioError();
    }

    // ---- the role ----

    // rsync/generator.c:generate_files
    void generateFiles() {
        DeleteMode deleteMode = settings.deleteWhen();
        boolean deleting = deleteMode != null && !dest.soloFile() && !o.listOnly();
        BasisDirs basisDirs = settings.basisDirs();
        if (basisDirs == null) {
            // rsync takes relative ones from the directory it changed into: a lone file's parent.
            Path destDir = dest.soloFile() ? dest.root().getParent() : dest.root();
            basisDirs = o.listOnly() ? BasisDirs.NONE : BasisDirs.local(o.altDest(), o.basisDirs(), destDir, log, ctx.operatorDirs());
        }
        AttrSetter attrs = ctx.attrs();
        QuickCheck quickCheck = new QuickCheck(o.quickCheck(), ctx.params(), attrs);
        Itemizer itemizer = new Itemizer(ctx);
        GenContext g = new GenContext(ctx, settings, quickCheck, deleter,
                new AltDestBasis(ctx, basisDirs, quickCheck, itemizer),
                new FuzzyBasis(ctx, basisDirs, settings.fuzzyResolver()), itemizer);
        IntConsumer onRequest = chain == null ? null : ndx -> ownList(ndx).inProgress.incrementAndGet();
        entries = new RecvGenerator(g, dirs, new RegularFileGenerator(g, basisDirs, requests, onRequest));
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
                recvGenerator(i, e, deleteDuring, false);
                requests.decided(i);
                handleInbox(false);
            }
            out.writeNdx(NdxCodec.NDX_DONE);
            out.flush();
        }
        requests.decidedAll();

        // Phase 1: redo requests until the receiver finished phase 0 (under inc_recurse: lists still ending).
        while (msgDone < 1) {
            waitForReceiver(true);
            finishLists();
        }
        boolean earlyDelayDone = !o.delayUpdates();
        boolean earlyDeleteDone = !(deleteMode == DeleteMode.DELAY || deleteMode == DeleteMode.AFTER);
        out.writeNdx(NdxCodec.NDX_DONE);
        // Before protocol 29 there is no delay-updates phase: the receiver's second DONE is its last.
        boolean delayPhase = protocol >= 29;
        if (delayPhase && earlyDelayDone) {
            out.writeNdx(NdxCodec.NDX_DONE);
        }
        if (protocol >= 31 && earlyDeleteDone) {
            if (deleteMode != null || o.force()) {
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
        if (delayPhase && !earlyDelayDone) {
            out.writeNdx(NdxCodec.NDX_DONE);
            if (protocol >= 31 && earlyDeleteDone) {
                out.writeNdx(NdxCodec.NDX_DONE);
            }
            out.flush();
        }
        while (delayPhase && msgDone < 3) {
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
                if (deleteMode != null || o.force()) {
                    DeleteStats.write(out, stats);
                }
                out.writeNdx(NdxCodec.NDX_DONE);
                out.flush();
            }
            while (msgDone < 4) {
                waitForReceiver(false);
            }
        }
        if (!o.dryRun() && !dest.soloFile() && !o.listOnly()) {
            if (chain == null) {
                dirs.touchUpAll(flist, pruned);
            } else if (deleteMode == DeleteMode.DELAY) {
                // rsync/generator.c:generate_files: with --delete-delay the lists left their directories alone
                chain.dirs().forEachActive(dirs::touchUp);
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
                recvGenerator(link.parentNdx(), parent, false, false);
                if (deleteDuring && ctx.isContentDir(parent) && !o.listOnly()) {
                    try {
                        Path dir = paths.pathOf(parent);
                        if (DestPaths.lstat(dir) != null) {
                            deleter.deleteInDir(dir, parent.isRootDot() ? "" : PathBytes.text(parent.name()), list,
                                    settings.deleteWhen() == DeleteMode.DELAY);
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
                    entries.createEarly(e);
                } else {
                    recvGenerator(link.start() + i, e, false, false);
                }
                requests.decided(link.start() + i);
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
            if (first.parent() != null && !o.dryRun() && !dest.soloFile() && !o.listOnly()
                    && settings.deleteWhen() != DeleteMode.DELAY) {
                dirs.touchUp(first.parent());
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
            case LINKABLE -> entries.arrived(chain != null ? ownList(m.ndx()).entry(m.ndx()) : flist.get(m.ndx()));
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
        recvGenerator(ndx, e, false, true);
    }

    /** A directory -m pruned is left out with all it holds, as rsync's generator skips it. */
    private void recvGenerator(int ndx, FileEntry e, boolean deleteDuring, boolean redo) {
        if (!pruned.get(ndx)) {
            entries.generate(ndx, e, deleteDuring, redo);
        }
    }

    // rsync/generator.c:do_delete_pass
    private void deletePass() {
        for (int i = 0; i < flist.size(); i++) {
            FileEntry e = flist.get(i);
            if (e == null || !e.isDirectory() || !ctx.isContentDir(e) || pruned.get(i)) {
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
        if (!o.pruneEmptyDirs()) {
            return;
        }
        Set<String> keep = new HashSet<>();
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

