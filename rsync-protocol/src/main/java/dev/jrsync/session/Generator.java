package dev.jrsync.session;

import dev.jrsync.checksum.BlockSizing;
import dev.jrsync.core.Escaped;
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
import dev.jrsync.fs.ThreadCredentials;
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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The generator role ({@code rsync/generator.c}): walks the received file list in index order, brings
 * directories, symlinks and special files into shape itself, and asks the sender for the regular files
 * that differ, with the block sums of the basis it chose. It only writes to the peer; what it learns
 * from the receiver (redo requests, phase ends) arrives through {@link #postRedo} and {@link #postDone}.
 * Runs on its own thread next to a {@link Receiver}; see {@link Receiver#runPair}.
 */
public final class Generator {
    /** What the generator asked the sender for; the receiver accepts data only for these. */
    public record Request(int ndx, Path target, Path basis, int basisType, byte[] xname, SumHead head,
                          boolean redo, boolean existed, boolean append) {
        /**
         * About what the request holds on the heap until it is answered (the record, its map entry, the paths
         * as bytes and as text): a peer that reads none of them decides how many are outstanding.
         */
        long heapBytes() {
            return 200 + 2L * target.toString().length() + (basis == null ? 0 : 2L * basis.toString().length())
                    + (xname == null ? 0 : 16 + xname.length);
        }
    }

    /** Where the files go: a directory, or (one file into a non-directory name) that name itself. */
    public record Destination(Path root, boolean soloFile, boolean createdRoot) {}

    /**
     * Turns a file-list name into the local path both roles write through. The default is
     * {@link SafeNames#resolve}; a daemon plugs in one that pins each parent directory with an open
     * descriptor, so a symlink swapped in after the check cannot redirect the write.
     */
    @FunctionalInterface
    public interface PathResolver {
        Path resolve(Path root, byte[] name) throws SafeNames.UnsafePathException;
    }

    /** What the receiver tells the generator ({@code rsync/io.c:read_a_msg} on the generator's side). */
    private enum Kind { DONE, REDO, WAKE }

    private record Note(Kind kind, int ndx) {}

    private static final Note DONE = new Note(Kind.DONE, -1);
    private static final Note WAKE = new Note(Kind.WAKE, -1);
    private static final long WAIT_SLICE_MS = 200;

    private final Connection conn;
    private final SessionParams params;
    private final FileList flist;
    private final Destination dest;
    private final Options o;
    private final boolean wholeFile;
    private final ScanFilter deleteFilter;
    private final ItemLog itemLog;
    private final TransferStats stats;
    private final SessionLog log;
    private final ProtocolOutput out;
    private final int protocol;
    /** rsync's {@code am_root != 0}: root, or fake super, which records what root would set. */
    private final boolean amRoot;
    /** rsync's {@code am_root < 0}: {@code --fake-super}, or a module's {@code fake super}. */
    private final boolean fakeSuper;
    /**
     * The process's umask, read once: a daemon session chrooted into a module would read the module's own
     * {@code proc/self/status}, a file a client can write (the daemon initialises this class before any chroot).
     */
    private static final int PROCESS_UMASK = readUmask();
    private final LinkedBlockingQueue<Note> inbox = new LinkedBlockingQueue<>();
    private final Map<Integer, Request> requests = new ConcurrentHashMap<>();
    private final BitSet pruned = new BitSet();
    private final BitSet createdDirs = new BitSet();
    private volatile Thread receiverThread;
    /** Under incremental recursion: the lists as the receiver adds them; null otherwise. */
    private FileListChain chain;
    /** The lists generated and not yet ended with NDX_DONE, oldest first ({@code first_flist} onwards). */
    private final ArrayDeque<FileListChain.Link> unfinished = new ArrayDeque<>();
    /** The list being generated ({@code cur_flist}); null once all are. */
    private FileListChain.Link current;
    /**
     * Incremental recursion: the directories this run made and has not given their final mode yet (by
     * identity; some made early, in their parent's list, so that the parent's mtime is final with its list).
     */
    private final Set<FileEntry> madeDirs = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean appendOnWire = true;
    /** A copy is private until it has the entry's attributes, as the receiver's temp files are. */
    private PathResolver resolver = SafeNames::resolve;
    /** Resolves the destination's other files that the fuzzy search offers as a basis; null: {@link #resolver}. */
    private PathResolver fuzzyResolver;
    /** Null until set or until the transfer starts (then the options' directories, taken locally). */
    private BasisDirs basisDirs;
    /** --temp-dir, --backup-dir and the local basis directories, held open until {@link #releaseDirs}. */
    private final OperatorDirs operatorDirs = new OperatorDirs();
    private final Backups backups;
    private final AttrSetter attrs;
    private final QuickCheck quickCheck;
    /** Made when the roles start: the resolver and the reporter it uses are set until then. */
    private Deleter deleter;
    /** Made when the roles start, once the basis directories are known. */
    private AltDestBasis altDest;
    /** Made with {@link #altDest}: it searches the basis directories too, and uses the resolvers set until then. */
    private FuzzyBasis fuzzy;
    private DeletionReporter deletionReporter = this::printDeletion;
    private int msgDone;
    private int ioError;
    private boolean redoing;

    /**
     * @param wholeFile send no block sums (rsync's {@code -W}; the default for local copies)
     * @param deleteFilter what deletion must leave alone ({@code Filters.forDelete()})
     */
    public Generator(Connection conn, SessionParams params, FileList flist, Destination dest, Options options,
                     boolean wholeFile, ScanFilter deleteFilter, ItemLog itemLog, TransferStats stats) {
        this.conn = conn;
        this.params = params;
        this.flist = flist;
        this.dest = dest;
        this.o = options;
        this.wholeFile = wholeFile;
        this.deleteFilter = deleteFilter == null ? ScanFilter.NONE : deleteFilter;
        this.itemLog = itemLog;
        this.stats = stats;
        this.log = conn.log();
        this.out = conn.out();
        this.protocol = params.protocol();
        this.fakeSuper = options.fakeSuper;
        this.amRoot = fakeSuper || isRoot();
        this.backups = new Backups(options, dest.root(), operatorDirs);
        this.attrs = new AttrSetter(options, PROCESS_UMASK, ChmodSpec.parse(options.chmod), fakeSuper, amRoot);
        this.quickCheck = new QuickCheck(options, params, attrs, amRoot);
    }

    // ---- destination ----

    /**
     * Resolves the destination as rsync's {@code main.c:get_local_name} does: a single non-directory
     * entry goes to {@code dest} itself unless that is an existing directory; otherwise {@code dest} is a
     * directory, created (one level) when missing.
     */
    // rsync/main.c:get_local_name
    public static Destination prepareDestination(Path dest, FileList flist, boolean dryRun, SessionLog log) {
        boolean isDir = Files.isDirectory(dest);
        if (isSoloFile(dest, flist)) {
            // Absolute, so that a bare "name" still has a parent directory for the temp file.
            return new Destination(dest.toAbsolutePath(), true, false);
        }
        boolean created = false;
        if (!isDir && !dryRun) {
            if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) {
                throw new RsyncException(ExitCode.FILE_SELECT, "rsync: destination \"" + dest + "\" is not a directory");
            }
            try {
                Files.createDirectories(dest);
                created = true;
                log.info("created directory " + dest);
            } catch (IOException e) {
                throw new RsyncException(ExitCode.FILE_IO, "rsync: mkdir \"" + dest + "\" failed: " + Posix.describe(e));
            }
        }
        return new Destination(dest, false, created || (dryRun && !isDir));
    }

    /** Whether {@link #prepareDestination} takes {@code dest} as the name of the list's one file. */
    public static boolean isSoloFile(Path dest, FileList flist) {
        int active = 0;
        FileEntry only = null;
        for (int i = 0; i < flist.size(); i++) {
            if (flist.get(i) != null) {
                active++;
                only = flist.get(i);
            }
        }
        return active == 1 && !only.isDirectory() && !Files.isDirectory(dest);
    }

    /** The local path for an entry, after the name checks of {@link SafeNames#resolve}. */
    public Path pathOf(FileEntry e) throws SafeNames.UnsafePathException {
        if (dest.soloFile()) {
            return dest.root();
        }
        return resolver.resolve(dest.root(), e.name());
    }

    /**
     * How a deletion is told ({@code rsync/log.c:log_delete}): a client prints it with -v or -i; a daemon
     * sends it to its client as MSG_DELETED, which prints it by its own options, and logs it.
     */
    @FunctionalInterface
    public interface DeletionReporter {
        void deleted(String rel, boolean isDir);
    }

    /** Replaces the printing of "deleting NAME" lines; set before the roles run. */
    public void setDeletionReporter(DeletionReporter reporter) {
        this.deletionReporter = reporter;
    }

    private void printDeletion(String rel, boolean isDir) {
        log.deleted(isDir ? rel + "/" : rel);
        if (o.verbose > 0 || o.itemizeChanges > 0) {
            String shown = Escaped.of(rel) + (isDir ? "/" : "");
            log.info(o.itemizeChanges > 0 ? "*deleting   " + shown : "deleting " + shown);
        }
    }

    /** Replaces {@link SafeNames#resolve} for every path of the transfer; set before the roles run. */
    public void setPathResolver(PathResolver resolver) {
        this.resolver = resolver;
    }

    /**
     * Resolves the names the fuzzy search ({@code -y}) finds in the destination, refusing those that must not
     * become a basis (a daemon's excluded files: their block sums would let a client rebuild them).
     */
    public void setFuzzyResolver(PathResolver fuzzyResolver) {
        this.fuzzyResolver = fuzzyResolver;
    }

    /**
     * Replaces the alternate basis directories of the options (taken from the destination directory and
     * followed as written) with confined ones; set before the roles run.
     */
    public void setBasisDirs(BasisDirs basisDirs) {
        this.basisDirs = basisDirs;
    }

    /**
     * Whether the sender speaks rsync's {@code --append} (a sum head without sums, data only past the
     * kept prefix). jrsync's own sender does not: with it, {@code --append} degrades to an in-place
     * delta that still never shortens a file.
     */
    public void setAppendOnWire(boolean appendOnWire) {
        this.appendOnWire = appendOnWire;
    }

    public Destination destination() {
        return dest;
    }

    public Options options() {
        return o;
    }

    /** I/O error bits this side ran into. */
    public int ioError() {
        return deleter == null ? ioError : ioError | deleter.ioError();
    }

    /**
     * Hands the receiver the request the generator made for {@code ndx} in the current pass, or null;
     * each request is answered once (a second reply for the same file is refused as unrequested).
     */
    public Request takeRequest(int ndx) {
        Request r = requests.remove(ndx);
        if (r != null) {
            conn.in().maxAlloc().release(r.heapBytes());
        }
        return r;
    }

    /**
     * Records a request until the receiver takes it, charged to the session's allowance: under incremental
     * recursion a pushing client that sends lists and reads nothing would otherwise have the generator hold
     * hundreds of thousands of them beside the lists (a hostile client drove a 512 MiB daemon out of heap).
     */
    private void recordRequest(Request r) {
        conn.in().maxAlloc().grow(0, r.heapBytes(), "generator", "pending file requests");
        Request replaced = requests.put(r.ndx(), r);
        if (replaced != null) {
            conn.in().maxAlloc().release(replaced.heapBytes());
        }
    }

    // ---- messages from the receiver ----

    /** The receiver's MSG_REDO: the file failed its whole-file check and is to be requested again. */
    public void postRedo(int ndx) {
        inbox.add(new Note(Kind.REDO, ndx));
    }

    /** The receiver's MSG_DONE: it finished a phase. */
    public void postDone() {
        inbox.add(DONE);
    }

    /**
     * Incremental recursion: the receiver is done with a requested file, written or not (its MSG_SUCCESS or
     * MSG_NO_SEND), so the file's list may end once its other files are done too.
     */
    public void postFinished(int ndx) {
        takeRequest(ndx); // a file the sender could not open leaves its request unanswered
        if (chain.forNdx(ndx).inProgress.decrementAndGet() == 0) {
            inbox.add(WAKE); // its list may end now; a wake-up per file would cost a context switch each
        }
    }

    /** Incremental recursion: a list, or the end of the lists, was added to the chain. */
    public void postNewList() {
        inbox.add(WAKE);
    }

    /**
     * Generates the lists of {@code chain} one by one as they arrive, instead of the one list given to the
     * constructor (which is then the chain's top list). Set before the roles run.
     */
    public void generateIncrementally(FileListChain chain) {
        this.chain = chain;
    }

    void setReceiverThread(Thread t) {
        this.receiverThread = t;
    }

    // ---- the role ----

    // rsync/generator.c:generate_files
    public void generateFiles() {
        deleter = new Deleter(conn, o, dest, deleteFilter, resolver, deletionReporter, backups, stats);
        DeleteMode deleteMode = o.deleteMode(protocol);
        boolean deleting = deleteMode != null && !dest.soloFile() && !o.isListOnly();
        if (basisDirs == null) {
            // rsync takes relative ones from the directory it changed into: a lone file's parent.
            Path destDir = dest.soloFile() ? dest.root().getParent() : dest.root();
            basisDirs = o.isListOnly() ? BasisDirs.NONE : BasisDirs.local(o, destDir, log, operatorDirs);
        }
        altDest = new AltDestBasis(basisDirs, o, quickCheck, attrs, log, this::readlink, this::itemize);
        fuzzy = new FuzzyBasis(o.fuzzyLevel(), basisDirs, dest, resolver, fuzzyResolver);
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
                        Path dir = pathOf(parent);
                        if (lstat(dir) != null) {
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
            Path path = pathOf(e);
            LocalStat st = destStat(path);
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
    public void finalGoodbye() {
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
        while (true) {
            Note m;
            try {
                m = inbox.poll(WAIT_SLICE_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RsyncException(ExitCode.SIGNAL, "generator interrupted");
            }
            if (m != null) {
                handleMessage(m, checkRedo);
                handleInbox(checkRedo);
                return;
            }
            Thread r = receiverThread;
            if (r != null && !r.isAlive() && inbox.isEmpty()) {
                throw new RsyncException(ExitCode.IPC, "the receiver ended before the generator was done");
            }
        }
    }

    private void handleInbox(boolean checkRedo) {
        Note m;
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
    private void handleMessage(Note m, boolean checkRedo) {
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
            path = pathOf(e);
        } catch (SafeNames.UnsafePathException ex) {
            log.error("rsync: " + ex.getMessage());
            ioError |= Connection.IOERR_GENERAL;
            return;
        }
        LocalStat st = destStat(path);
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
            iflags = altDest.unchanged(e, nameInDestDir(e)) ? 0 : ItemFlags.IS_NEW | ItemFlags.LOCAL_CHANGE;
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
            if (java.util.Arrays.equals(readlink(path), target)) {
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
        if (st == null && (iflags = altDest.flagsAfter(ndx, e, path, iflags, nameInDestDir(e))) < 0) {
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
        if (st == null && (iflags = altDest.flagsAfter(ndx, e, path, iflags, nameInDestDir(e))) < 0) {
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
            AltDestBasis.Candidate c = altDest.best(e, nameInDestDir(e));
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
            LocalStat ps = partial == null ? null : lstat(partial);
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
            FuzzyBasis.Fuzzy similar = fuzzy.find(path, e, nameInDestDir(e));
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
            recordRequest(new Request(ndx, path, null, basisType, xname, SumHead.EMPTY, redo, st != null, false));
            NdxAttrs.write(out, protocol, ndx, iflags, basisType, xname);
            return;
        }

        boolean sendSums = basis != null && (!wholeFile || o.appendMode > 0);
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
        boolean append = appendOnWire && o.appendMode > 0 && !redo && st != null && head.count() > 0;
        recordRequest(new Request(ndx, path, recordedBasis, basisType, xname, head, redo, st != null, append));
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

    /** The entry's name below the destination directory: a lone file's is the name it is copied to. */
    private byte[] nameInDestDir(FileEntry e) {
        return dest.soloFile() ? PathBytes.of(dest.root().getFileName()) : e.name();
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
            Path p = pathOf(e);
            LocalStat st = lstat(p);
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
                Path p = pathOf(e);
                LocalStat st = lstat(p);
                if (st != null && st.isDirectory()) {
                    deleter.deleteInDir(p, e.isRootDot() ? "" : PathBytes.text(e.name()), flist, false);
                }
            } catch (SafeNames.UnsafePathException ex) {
                log.error("rsync: " + ex.getMessage());
                ioError |= Connection.IOERR_GENERAL;
            }
        }
    }

    /** The backups this session makes ({@code -b}), shared with the receiver. */
    Backups backups() {
        return backups;
    }

    /** --temp-dir, held open for the session: a temp file is created, and renamed away, through that descriptor. */
    Path tempDir() throws IOException {
        return operatorDirs.pin(dest.root(), o.tempDir, false);
    }

    /** Closes the directories the options named; the session's roles have both finished. */
    void releaseDirs() {
        operatorDirs.close();
    }

    /** How the session sets owners, modes and times ({@code rsync/rsync.c:set_file_attrs}), shared with the receiver. */
    AttrSetter attrs() {
        return attrs;
    }

    /**
     * What the receiver takes a destination name to be ({@code rsync/flist.c:link_stat}): its {@code lstat},
     * with fake super's stored attributes over it; null when nothing is there.
     */
    LocalStat destStat(Path p) {
        if (!fakeSuper) {
            return lstat(p);
        }
        try {
            return FakeSuper.lstat(p);
        } catch (IOException ex) {
            return null;
        }
    }

    /** A destination symlink's target; with fake super, what its stand-in file holds. */
    private byte[] readlink(Path p) throws IOException {
        return fakeSuper ? FakeSuper.readlink(p, false) : Posix.readlink(p);
    }

    static LocalStat lstat(Path p) {
        try {
            return LocalStat.ofOrNull(p);
        } catch (IOException ex) {
            return null;
        }
    }

    boolean amRoot() {
        return amRoot;
    }

    /**
     * Whether this thread may chown and create devices: its own effective uid, which a daemon session has
     * switched to the module's (the owner of /proc/self is the process's first thread, still root).
     */
    private static boolean isRoot() {
        return ThreadCredentials.euid() == 0;
    }

    private static int readUmask() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Umask:")) {
                    return Integer.parseInt(line.substring(6).trim(), 8);
                }
            }
        } catch (IOException | NumberFormatException ex) {
            // fall through to the usual default
        }
        return 022;
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
