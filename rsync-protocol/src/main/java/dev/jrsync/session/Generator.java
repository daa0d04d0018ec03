package dev.jrsync.session;

import dev.jrsync.checksum.BlockSizing;
import dev.jrsync.checksum.ChecksumType;
import dev.jrsync.checksum.FileDigest;
import dev.jrsync.delta.BlockSums;
import dev.jrsync.delta.SumHead;
import dev.jrsync.flist.FileEntry;
import dev.jrsync.flist.FileList;
import dev.jrsync.flist.SafeNames;
import dev.jrsync.fs.FakeSuper;
import dev.jrsync.fs.LocalStat;
import dev.jrsync.fs.PathBytes;
import dev.jrsync.fs.Posix;
import dev.jrsync.fs.ScanFilter;
import dev.jrsync.fs.ThreadCredentials;
import dev.jrsync.options.AltDest;
import dev.jrsync.options.DeleteMode;
import dev.jrsync.options.Options;
import dev.jrsync.wire.NdxCodec;
import dev.jrsync.wire.ProtocolOutput;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
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
import java.util.concurrent.ThreadLocalRandom;
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
    private final int umask;
    /**
     * The process's umask, read once: a daemon session chrooted into a module would read the module's own
     * {@code proc/self/status}, a file a client can write (the daemon initialises this class before any chroot).
     */
    private static final int PROCESS_UMASK = readUmask();
    private final LinkedBlockingQueue<Note> inbox = new LinkedBlockingQueue<>();
    private final Map<Integer, Request> requests = new ConcurrentHashMap<>();
    private final BitSet pruned = new BitSet();
    private final BitSet createdDirs = new BitSet();
    private final List<String> delayedDeletions = new ArrayList<>();
    private final ChmodSpec chmod;
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
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private PathResolver resolver = SafeNames::resolve;
    /** Resolves the destination's other files that the fuzzy search offers as a basis; null: {@link #resolver}. */
    private PathResolver fuzzyResolver;
    /** Null until set or until the transfer starts (then the options' directories, taken locally). */
    private BasisDirs basisDirs;
    /** --temp-dir, --backup-dir and the local basis directories, held open until {@link #releaseDirs}. */
    private final OperatorDirs operatorDirs = new OperatorDirs();
    private DeletionReporter deletionReporter = this::printDeletion;
    private int msgDone;
    private int ioError;
    private int deletions;
    private int skippedDeletes;
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
        this.umask = PROCESS_UMASK;
        this.chmod = ChmodSpec.parse(options.chmod);
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
        return ioError;
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
        DeleteMode deleteMode = o.deleteMode(protocol);
        boolean deleting = deleteMode != null && !dest.soloFile() && !o.isListOnly();
        if (basisDirs == null) {
            // rsync takes relative ones from the directory it changed into: a lone file's parent.
            Path destDir = dest.soloFile() ? dest.root().getParent() : dest.root();
            basisDirs = o.isListOnly() ? BasisDirs.NONE : BasisDirs.local(o, destDir, log, operatorDirs);
        }
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
                for (String rel : delayedDeletions) {
                    deleteByName(rel);
                }
            } else if (deleteMode == DeleteMode.AFTER) {
                deletePass();
            }
        }
        if (skippedDeletes > 0) {
            log.error("Deletions stopped due to --max-delete limit (" + skippedDeletes + " skipped)");
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
                            deleteInDir(dir, parent.isRootDot() ? "" : PathBytes.text(parent.name()), list,
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
            if (st != null && (st.isDirectory() || !removeForReplacement(path, st, e))) {
                return;
            }
            Files.createDirectory(path);
            setMode(path, 0700);
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
            log.info(listLine(e, o.humanReadable));
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
            if (!o.dryRun && !removeForReplacement(path, st, e)) {
                return;
            }
            st = null;
        }
        // made by rsync/main.c:get_local_name, or early in its parent's list (FLAG_DIR_CREATED): reported as new
        boolean madeAlready = st != null && (e.isRootDot() && dest.createdRoot() || madeDirs.contains(e));
        boolean isNew = st == null || madeAlready;
        if (isNew) {
            // A directory the basis directories hold unchanged is still created, but not reported.
            iflags = unchangedInBasisDirs(e) ? 0 : ItemFlags.IS_NEW | ItemFlags.LOCAL_CHANGE;
            if (!o.dryRun) {
                if (!madeAlready) {
                    Files.createDirectory(path);
                }
                setMode(path, (e.mode() & 07777) | 0700);
                if (chain != null) {
                    madeDirs.add(e);
                } else {
                    createdDirs.set(ndx);
                }
            }
        } else {
            iflags = attrFlags(e, st);
            if (!o.dryRun && (st.mode() & 0700) != 0700) {
                setMode(path, (st.mode() & 07777) | 0700);
            }
        }
        if (fakeSuper && !o.dryRun) {
            // rsync/generator.c:recv_generator's set_file_attrs on the directory: its mode and owner are stored
            // now, while the directory itself stays open to its owner for the files to come
            storeStat(path, e, targetMode(e, isNew ? null : st, isNew));
        }
        itemize(ndx, e, iflags);
        if (deleteDuring && isContentDir(e) && (st != null || !o.dryRun)) {
            deleteInDir(path, e.isRootDot() ? "" : PathBytes.text(e.name()), flist,
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
                iflags = attrFlags(e, st);
                if (!o.dryRun) {
                    setAttrs(path, e, st, false);
                }
                itemize(ndx, e, iflags);
                return;
            }
            iflags = ItemFlags.REPORT_CHANGE | ItemFlags.LOCAL_CHANGE;
        } else {
            iflags = st == null ? ItemFlags.IS_NEW | ItemFlags.LOCAL_CHANGE : ItemFlags.REPORT_CHANGE | ItemFlags.LOCAL_CHANGE;
        }
        if (st == null && (iflags = flagsAfterBasisDirs(ndx, e, path, iflags)) < 0) {
            return;
        }
        if (!o.dryRun) {
            Path tmp = tempName(path.getParent(), path.getFileName());
            if (fakeSuper) {
                FakeSuper.symlink(target, tmp);
            } else {
                Posix.symlink(target, tmp);
            }
            if (st != null && st.isDirectory() && !removeForReplacement(path, st, e)) {
                Files.deleteIfExists(tmp);
                return;
            }
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            setAttrs(path, e, null, true);
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
            int iflags = attrFlags(e, st);
            if (!o.dryRun) {
                setAttrs(path, e, st, false);
            }
            itemize(ndx, e, iflags);
            return;
        }
        int iflags = st == null ? ItemFlags.IS_NEW | ItemFlags.LOCAL_CHANGE : ItemFlags.REPORT_CHANGE | ItemFlags.LOCAL_CHANGE;
        if (st == null && (iflags = flagsAfterBasisDirs(ndx, e, path, iflags)) < 0) {
            return;
        }
        if (!o.dryRun) {
            if (st != null && !removeForReplacement(path, st, e)) {
                return;
            }
            Path tmp = tempName(path.getParent(), path.getFileName());
            if (fakeSuper) {
                FakeSuper.placeholder(tmp);
            } else {
                Posix.mknod(tmp, (e.mode() & LocalStat.S_IFMT) | (e.mode() & 07777), e.isDevice() ? rdev : 0);
            }
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            setAttrs(path, e, null, true);
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
                if (!removeForReplacement(path, st, e)) {
                    return;
                }
                st = null;
            }
        }
        Candidate alternate = null;
        if (!basisDirs.isEmpty() && (st == null || basisDirs.type() != AltDest.COPY)) {
            Candidate c = bestInBasisDirs(e);
            if (c != null && settledFromBasisDir(ndx, e, path, st, c)) {
                return;
            }
            if (c != null && st == null) {
                alternate = c;
            }
        }
        if (!redo && st != null) {
            if (o.update && compareMtime(st, e) > 0) {
                return; // newer on the receiver
            }
            if (quickCheckOk(e, path, st)) {
                int iflags = attrFlags(e, st);
                if (!o.dryRun) {
                    setAttrs(path, e, st, false);
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
            iflags |= attrFlags(e, was) & ~ItemFlags.REPORT_TIME;
            if (was.size() != e.size()) {
                iflags |= ItemFlags.REPORT_SIZE;
            }
            if (timeDiffers(was, e)) {
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
            Path partial = partialPath(path, partialDir);
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
            Fuzzy fuzzy = findFuzzy(path, e);
            if (fuzzy != null) {
                basis = fuzzy.path();
                basisType = fuzzy.basisType();
                xname = PathBytes.of(fuzzy.path().getFileName());
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

    // ---- alternate basis directories (--compare-dest, --copy-dest, --link-dest) ----

    /** How closely a basis directory's copy matches an entry ({@code try_dests_reg}'s match_level). */
    private static final int SAME_TYPE = 1;
    private static final int QUICK_CHECK_OK = 2;
    private static final int UNCHANGED = 3;

    /** The best copy of an entry among the basis directories: directory {@code dir}, at {@code level}. */
    private record Candidate(int dir, Path path, LocalStat st, int level) {}

    /**
     * The first basis directory holding the entry unchanged, else the first where it passes the quick
     * check, else the first with the same type; null when none has it.
     */
    // rsync/generator.c:try_dests_reg and try_dests_non (the search)
    private Candidate bestInBasisDirs(FileEntry e) {
        Candidate best = null;
        for (int j = 0; j < basisDirs.size(); j++) {
            Path p;
            try {
                p = basisDirs.resolve(j, nameInDestDir(e));
            } catch (SafeNames.UnsafePathException ex) {
                continue;
            }
            LocalStat st = lstat(p);
            if (st == null || st.type() != (e.mode() & LocalStat.S_IFMT)) {
                continue;
            }
            int level = !basisQuickCheck(e, p, st) ? SAME_TYPE : attrFlags(e, st) != 0 ? QUICK_CHECK_OK : UNCHANGED;
            if (best == null || level > best.level()) {
                best = new Candidate(j, p, st, level);
            }
            if (level == UNCHANGED) {
                break;
            }
        }
        return best;
    }

    /** The entry's name below the destination directory: a lone file's is the name it is copied to. */
    private byte[] nameInDestDir(FileEntry e) {
        return dest.soloFile() ? PathBytes.of(dest.root().getFileName()) : e.name();
    }

    // rsync/generator.c:quick_check_ok for each file type
    private boolean basisQuickCheck(FileEntry e, Path p, LocalStat st) {
        if (e.isRegular()) {
            return quickCheckOk(e, p, st);
        }
        if (e.isSymlink()) {
            try {
                return e.linkTarget() != null && Arrays.equals(readlink(p), e.linkTarget());
            } catch (IOException ex) {
                return false;
            }
        }
        return !e.isDevice() || st.rdev() == Posix.makedev(e.rdevMajor(), e.rdevMinor());
    }

    /**
     * Settles a regular file from candidate {@code c} when it can ({@code try_dests_reg}): unchanged there,
     * {@code --compare-dest} leaves it out and {@code --link-dest} hard-links it (an existing destination file
     * goes first, unless it already is that link); passing the quick check there (or unchanged with
     * {@code --copy-dest}, or a link that failed), a missing file is copied locally. False when the file still
     * needs the sender; a missing one then uses {@code c} as its basis.
     */
    // rsync/generator.c:try_dests_reg
    private boolean settledFromBasisDir(int ndx, FileEntry e, Path path, LocalStat st, Candidate c) throws IOException {
        if (c.level() == UNCHANGED && basisDirs.type() != AltDest.COPY) {
            if (st != null) {
                if (basisDirs.type() == AltDest.LINK && st.dev() == c.st().dev() && st.ino() == c.st().ino()) {
                    return false; // already the link: the quick check below finds it current
                }
                if (!o.dryRun) {
                    Files.deleteIfExists(path);
                }
            }
            if (basisDirs.type() == AltDest.LINK && !o.dryRun && !hardLink(path, c.path())) {
                return copyFromBasisDir(ndx, e, path, c);
            }
            itemize(ndx, e, 0);
            return true;
        }
        if (st != null || c.level() < QUICK_CHECK_OK) {
            return false;
        }
        return copyFromBasisDir(ndx, e, path, c);
    }

    private static boolean hardLink(Path link, Path existing) {
        try {
            Files.createLink(link, existing);
            return true;
        } catch (IOException | UnsupportedOperationException ex) {
            return false; // another file system, or one without hard links: rsync copies instead
        }
    }

    /** Copies the candidate into place through a temp file, with the entry's attributes ({@code copy_altdest_file}). */
    // rsync/generator.c:copy_altdest_file
    private boolean copyFromBasisDir(int ndx, FileEntry e, Path path, Candidate c) {
        if (!o.dryRun) {
            Path tmp = tempName(path.getParent(), path.getFileName());
            try {
                try (FileChannel in = FileChannel.open(c.path(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
                     FileChannel out = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW,
                             StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), OWNER_ONLY)) {
                    long size = in.size();
                    for (long pos = 0; pos < size; ) {
                        long n = in.transferTo(pos, size - pos, out);
                        if (n <= 0) {
                            throw new IOException("it shrank while being copied"); // a log rotated under us
                        }
                        pos += n;
                    }
                }
                setFileAttrs(tmp, e, null, null);
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException ex) {
                log.error("rsync: copying \"" + e.displayName() + "\" from " + basisDirs.type().option() + " failed: "
                        + Posix.describe(ex));
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the temp name is random: at worst a stray dot-file stays
                }
                return false;
            }
        }
        itemize(ndx, e, ItemFlags.LOCAL_CHANGE | attrFlags(e, c.st()));
        return true;
    }

    /**
     * For a missing symlink, device or special file ({@code try_dests_non}): unchanged in a basis directory,
     * {@code --link-dest} hard-links it and {@code --compare-dest} leaves it out (-1: settled); {@code --copy-dest},
     * or a link that failed, creates it as usual but unreported (0). Otherwise {@code iflags}, as they were.
     */
    // rsync/generator.c:try_dests_non
    private int flagsAfterBasisDirs(int ndx, FileEntry e, Path path, int iflags) {
        if (basisDirs.isEmpty()) {
            return iflags;
        }
        Candidate c = bestInBasisDirs(e);
        if (c == null || c.level() != UNCHANGED) {
            return iflags;
        }
        if (basisDirs.type() == AltDest.COMPARE
                || basisDirs.type() == AltDest.LINK && (o.dryRun || hardLink(path, c.path()))) {
            itemize(ndx, e, 0);
            return -1;
        }
        return 0;
    }

    /** Whether a basis directory holds this directory with the same attributes (it is then not reported). */
    private boolean unchangedInBasisDirs(FileEntry e) {
        if (basisDirs.isEmpty()) {
            return false;
        }
        Candidate c = bestInBasisDirs(e);
        return c != null && c.level() == UNCHANGED;
    }

    // rsync/generator.c:quick_check_ok
    private boolean quickCheckOk(FileEntry e, Path path, LocalStat st) {
        if (st.size() != e.size()) {
            return false;
        }
        if (o.checksum && e.checksum() != null) {
            return Arrays.equals(fileChecksum(path), e.checksum());
        }
        if (o.sizeOnly) {
            return true;
        }
        if (o.ignoreTimes) {
            return false;
        }
        return !timeDiffers(st, e);
    }

    private byte[] fileChecksum(Path path) {
        ChecksumType type = params.checksums().file();
        FileDigest d = FileDigest.forFileList(type);
        byte[] buf = new byte[64 << 10];
        try (InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                d.update(buf, 0, n);
            }
        } catch (IOException ex) {
            return new byte[0];
        }
        return d.finish();
    }

    /** Positive when the local file is newer than the entry (rsync's {@code mtime_differs} sign). */
    private int compareMtime(LocalStat st, FileEntry e) {
        int window = o.modifyWindow == null ? 0 : o.modifyWindow;
        long diff = st.mtimeSeconds() - e.mtime();
        if (window > 0) {
            return Math.abs(diff) <= window ? 0 : Long.signum(diff);
        }
        // A negative window asks for nanoseconds too (rsync >= 3.1.3), as jrsync already compares them at 0.
        if (diff != 0 || protocol < 31) {
            return Long.signum(diff);
        }
        return Integer.signum(st.mtimeNanos() - e.mtimeNsec());
    }

    private boolean timeDiffers(LocalStat st, FileEntry e) {
        return compareMtime(st, e) != 0;
    }

    /** The itemize bits for attribute differences of an existing item. */
    private int attrFlags(FileEntry e, LocalStat st) {
        int f = 0;
        boolean timesApply = o.times && !(e.isDirectory() && o.omitDirTimes) && !(e.isSymlink() && o.omitLinkTimes);
        if (timesApply && timeDiffers(st, e)) {
            f |= ItemFlags.REPORT_TIME;
        }
        if (o.perms && !e.isSymlink() && (st.mode() & 07777) != (targetMode(e, st, false) & 07777)) {
            f |= ItemFlags.REPORT_PERMS;
        }
        if (o.owner && amRoot && st.uid() != e.uid()) {
            f |= ItemFlags.REPORT_OWNER;
        }
        if (o.group && st.gid() != e.gid()) {
            f |= ItemFlags.REPORT_GROUP;
        }
        return f;
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

    /** One line of a listing, as {@code rsync/generator.c:list_file_entry} prints it. */
    // rsync/generator.c:list_file_entry
    public static String listLine(FileEntry e, int humanReadable) {
        String size = humanNumber(e.size(), humanReadable);
        String time = java.time.format.DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss")
                .format(java.time.Instant.ofEpochSecond(e.mtime()).atZone(java.time.ZoneId.systemDefault()));
        String width = humanReadable > 0 ? "%14s" : "%11s";
        String line = permString(e.mode()) + " " + String.format(width, size) + " " + time + " " + e.displayName();
        if (e.isSymlink() && e.linkTarget() != null) {
            line += " -> " + Escaped.of(e.linkTarget());
        }
        return line;
    }

    // rsync/lib/permstring.c:permstring
    static String permString(int mode) {
        char[] c = "----------".toCharArray();
        c[0] = switch (mode & LocalStat.S_IFMT) {
            case LocalStat.S_IFDIR -> 'd';
            case LocalStat.S_IFLNK -> 'l';
            case LocalStat.S_IFCHR -> 'c';
            case LocalStat.S_IFBLK -> 'b';
            case LocalStat.S_IFIFO -> 'p';
            case LocalStat.S_IFSOCK -> 's';
            default -> '-';
        };
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            if ((mode & (0400 >> i)) != 0) {
                c[i + 1] = rwx.charAt(i);
            }
        }
        if ((mode & 04000) != 0) {
            c[3] = (mode & 0100) != 0 ? 's' : 'S';
        }
        if ((mode & 02000) != 0) {
            c[6] = (mode & 0010) != 0 ? 's' : 'S';
        }
        if ((mode & 01000) != 0) {
            c[9] = (mode & 0001) != 0 ? 't' : 'T';
        }
        return new String(c);
    }

    // rsync/lib/compat.c:do_big_num via human_num
    static String humanNumber(long n, int humanReadable) {
        if (humanReadable <= 0) {
            return Long.toString(n);
        }
        if (humanReadable == 1 || n < (humanReadable == 2 ? 1000 : 1024)) {
            return String.format(java.util.Locale.ROOT, "%,d", n);
        }
        double mult = humanReadable == 2 ? 1000.0 : 1024.0;
        double v = n;
        String units = "KMGTPE";
        int u = -1;
        while (v >= mult && u < units.length() - 1) {
            v /= mult;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.2f%c", v, units.charAt(u));
    }

    // ---- attributes ----

    /** The permission bits an entry ends with locally ({@code rsync/rsync.c:dest_mode}). */
    int targetMode(FileEntry e, LocalStat existing, boolean isNew) {
        int mode;
        if (o.perms) {
            mode = e.mode() & 07777;
        } else if (existing != null && !isNew) {
            mode = existing.mode() & 07777;
        } else {
            mode = e.mode() & 0777 & ~umask;
        }
        return chmod.apply(mode, e.isDirectory());
    }

    /**
     * Applies owner, group, permissions and (for non-directories) the mtime to {@code path}
     * ({@code rsync/rsync.c:set_file_attrs}). {@code existing} is what {@code path} looked like, or null
     * when it was just created.
     */
    // rsync/rsync.c:set_file_attrs
    void setAttrs(Path path, FileEntry e, LocalStat existing, boolean isNew) throws IOException {
        LocalStat st = existing != null ? existing : lstat(path);
        if (st == null) {
            return;
        }
        int mode = e.isDirectory() ? (targetMode(e, st, isNew) | 0700) : targetMode(e, st, isNew);
        applyAttrs(path, e, st, mode, isNew);
    }

    /**
     * Attributes for a received file's new content at {@code path} (the temp file, or the file itself
     * with {@code --inplace}); {@code replaced} is the file it replaces, whose permissions survive
     * without {@code -p}.
     */
    // rsync/rsync.c:set_file_attrs via receiver.c:finish_transfer
    void setFileAttrs(Path path, FileEntry e, LocalStat current, LocalStat replaced) throws IOException {
        LocalStat st = current != null ? current : lstat(path);
        if (st == null) {
            return;
        }
        boolean isNew = replaced == null || !replaced.isRegular();
        int mode = targetMode(e, isNew ? null : replaced, isNew);
        applyAttrs(path, e, st, mode, true);
    }

    private void applyAttrs(Path path, FileEntry e, LocalStat st, int mode, boolean forceTime) throws IOException {
        if (fakeSuper) {
            storeStat(path, e, e.isSymlink() ? e.mode() & 07777 : mode);
        } else {
            changeOwnerAndMode(path, e, st, mode);
        }
        boolean times = o.times && !e.isDirectory() && !(e.isSymlink() && o.omitLinkTimes);
        if (times && (forceTime || st.mtimeSeconds() != e.mtime() || st.mtimeNanos() != e.mtimeNsec())) {
            Posix.setMtime(path, e.mtime(), e.mtimeNsec());
        }
    }

    private void changeOwnerAndMode(Path path, FileEntry e, LocalStat st, int mode) throws IOException {
        int uid = o.owner && amRoot && st.uid() != e.uid() ? e.uid() : -1;
        int gid = o.group && st.gid() != e.gid() ? e.gid() : -1;
        if (uid != -1 || gid != -1) {
            try {
                Posix.lchown(path, uid, gid);
            } catch (IOException ex) {
                if (amRoot) {
                    throw ex;
                }
                // a non-root receiver keeps its own group when chgrp is not allowed, as rsync does quietly
            }
        }
        if (!e.isSymlink() && ((st.mode() & 07777) != mode || uid != -1 || gid != -1)) {
            setMode(path, mode);
        }
    }

    /**
     * Fake super's owner and mode ({@code rsync/rsync.c:set_file_attrs} with {@code am_root < 0}): nothing is
     * chowned or given special bits; {@code user.rsync.%stat} records the entry's type, {@code perms}, device
     * and owner instead. Without {@code -o} or {@code -g} the file's own owner or group is recorded (rsync
     * writes whatever its unfilled entry holds).
     */
    // rsync/xattrs.c:set_stat_xattr via rsync.c:set_file_attrs
    private void storeStat(Path path, FileEntry e, int perms) throws IOException {
        LocalStat real = o.owner && o.group ? null : LocalStat.of(path);
        FakeSuper.setStatXattr(path, (e.mode() & LocalStat.S_IFMT) | perms, e.rdevMajor(), e.rdevMinor(),
                o.owner ? e.uid() : real.uid(), o.group ? e.gid() : real.gid());
    }

    static void setMode(Path path, int mode) throws IOException {
        Posix.chmod(path, mode);
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
            int mode = targetMode(e, st, created);
            // fake super keeps the directory open to its owner; its recorded mode is in the attribute
            if (!fakeSuper && (st.mode() & 07777) != mode) {
                setMode(p, mode);
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
                    deleteInDir(p, e.isRootDot() ? "" : PathBytes.text(e.name()), flist, false);
                }
            } catch (SafeNames.UnsafePathException ex) {
                log.error("rsync: " + ex.getMessage());
                ioError |= Connection.IOERR_GENERAL;
            }
        }
    }

    // rsync/generator.c:delete_in_dir. Names relative to the destination are PathBytes.text: a String per name,
    // byte for byte.
    private void deleteInDir(Path dir, String relDir, FileList names, boolean delay) {
        if ((conn.peerIoError() & ~Connection.IOERR_VANISHED) != 0) {
            log.error("IO error encountered -- skipping file deletion");
            return;
        }
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path c : ds) {
                children.add(c);
            }
        } catch (IOException ex) {
            log.error("rsync: opendir \"" + Escaped.of(dir) + "\" failed: " + Posix.describe(ex));
            ioError |= Connection.IOERR_GENERAL;
            return;
        }
        children.sort(null);
        String partialDir = o.effectivePartialDir();
        for (Path c : children) {
            String name = PathBytes.text(c.getFileName());
            String rel = relDir.isEmpty() ? name : relDir + "/" + name;
            if (names.find(PathBytes.bytes(rel)) != null) {
                continue;
            }
            if (partialDir != null && !partialDir.contains("/") && name.equals(partialDir)) {
                continue;
            }
            LocalStat st = lstat(c);
            if (st == null || deleteFilter.excluded(PathBytes.bytes(rel), st.isDirectory())) {
                continue;
            }
            if (delay) {
                delayedDeletions.add(rel);
            } else {
                deleteByName(rel);
            }
        }
    }

    /**
     * Deletes {@code rel} through the path resolver rather than below the listed directory's path, so a
     * directory swapped for a symlink since it was listed is refused, not followed.
     */
    private void deleteByName(String rel) {
        try {
            deleteItem(resolveRel(rel), rel, true);
        } catch (SafeNames.UnsafePathException ex) {
            log.error("rsync: delete_file: " + ex.getMessage());
            ioError |= Connection.IOERR_GENERAL;
        }
    }

    private Path resolveRel(String rel) throws SafeNames.UnsafePathException {
        return resolver.resolve(dest.root(), PathBytes.bytes(rel));
    }

    /** Deletes one extraneous item (recursively for a directory), honouring the protect rules. */
    // rsync/delete.c:delete_item
    private boolean deleteItem(Path p, String rel, boolean report) {
        LocalStat st = lstat(p);
        if (st == null) {
            return true;
        }
        if (o.maxDelete != null && deletions >= o.maxDelete) {
            skippedDeletes++;
            return false;
        }
        if (o.dryRun) {
            countDeleted(st);
            deletions++;
            if (report) {
                deletionReporter.deleted(rel, st.isDirectory());
            }
            return true;
        }
        try {
            if (st.isDirectory()) {
                boolean all = true;
                List<Path> kids = new ArrayList<>();
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
                    ds.forEach(kids::add);
                }
                for (Path listed : kids) {
                    String krel = rel + "/" + PathBytes.text(listed.getFileName());
                    Path k = resolveRel(krel);
                    LocalStat ks = lstat(k);
                    if (ks != null && deleteFilter.excluded(PathBytes.bytes(krel), ks.isDirectory())) {
                        all = false;
                        continue;
                    }
                    all &= deleteItem(k, krel, report);
                }
                if (!all) {
                    return false;
                }
                Files.delete(p);
                countDeleted(st);
            } else {
                if (o.makeBackups() && st.isRegular()) {
                    backup(p, rel);
                } else {
                    Files.delete(p);
                }
                countDeleted(st);
            }
            deletions++;
            if (report) {
                deletionReporter.deleted(rel, st.isDirectory());
            }
            return true;
        } catch (DirectoryNotEmptyException ex) {
            return false;
        } catch (IOException ex) {
            log.error("rsync: delete_file: " + Escaped.of(rel) + ": " + Posix.describe(ex));
            ioError |= Connection.IOERR_GENERAL;
            return false;
        }
    }

    private void countDeleted(LocalStat st) {
        if (st.isDirectory()) {
            stats.deletedDirs++;
        } else if (st.isSymlink()) {
            stats.deletedSymlinks++;
        } else if (st.isDevice()) {
            stats.deletedDevices++;
        } else if (st.isSpecial()) {
            stats.deletedSpecials++;
        } else {
            stats.deletedFiles++;
        }
    }

    /**
     * Clears an item of another type out of the way of {@code e}: a directory only recursively with a
     * deletion mode or {@code --force}, as rsync's {@code DEL_RECURSE} rule has it.
     */
    private boolean removeForReplacement(Path path, LocalStat st, FileEntry e) throws IOException {
        String rel = PathBytes.text(dest.soloFile() ? PathBytes.of(path.getFileName()) : e.name());
        if (st.isDirectory()) {
            if (!(o.deleteMode() || o.force)) {
                try {
                    Files.delete(path);
                    return true;
                } catch (DirectoryNotEmptyException ex) {
                    log.error("rsync: cannot delete non-empty directory: " + Escaped.of(rel));
                    ioError |= Connection.IOERR_GENERAL;
                    return false;
                }
            }
            return deleteItem(path, rel, false);
        }
        Files.delete(path);
        return true;
    }

    /**
     * Moves {@code p} to its backup name ({@code rsync/backup.c:make_backup}): beside it with the suffix, or
     * below --backup-dir through {@link OperatorDirs}, so a symlink planted there leads nowhere.
     */
    void backup(Path p, String rel) throws IOException {
        if (o.backupDir == null) {
            Files.move(p, p.resolveSibling(PathBytes.path(PathBytes.text(p.getFileName()) + o.backupSuffix())), StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        operatorDirs.intoBackupDir(dest.root(), o.backupDir, rel + o.backupSuffix(),
                target -> Files.move(p, target, StandardCopyOption.REPLACE_EXISTING));
    }

    /** With {@code --inplace} the file is rewritten where it is: the backup is a copy. */
    void backupCopy(Path p, String rel) throws IOException {
        if (o.backupDir == null) {
            copyForBackup(p, p.resolveSibling(PathBytes.path(PathBytes.text(p.getFileName()) + o.backupSuffix())));
            return;
        }
        operatorDirs.intoBackupDir(dest.root(), o.backupDir, rel + o.backupSuffix(), target -> copyForBackup(p, target));
    }

    private static void copyForBackup(Path p, Path target) throws IOException {
        Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES,
                LinkOption.NOFOLLOW_LINKS);
    }

    /** --temp-dir, held open for the session: a temp file is created, and renamed away, through that descriptor. */
    Path tempDir() throws IOException {
        return operatorDirs.pin(dest.root(), o.tempDir, false);
    }

    /** Closes the directories the options named; the session's roles have both finished. */
    void releaseDirs() {
        operatorDirs.close();
    }

    // ---- helpers shared with the receiver ----

    /** The partial file for {@code path} under {@code partialDir} (relative to the file's directory). */
    static Path partialPath(Path path, String partialDir) {
        Path pd = Path.of(partialDir);
        Path dir = pd.isAbsolute() ? pd : path.getParent().resolve(pd);
        return dir.resolve(path.getFileName());
    }

    /** A fresh {@code .NAME.XXXXXX} name in {@code dir} for the file {@code name} ({@code rsync/receiver.c:get_tmpname}). */
    static Path tempName(Path dir, Path name) {
        byte[] b = PathBytes.of(name);
        int len = Math.min(b.length, 255 - 8);
        while (len < b.length && len > 0 && (b[len] & 0xC0) == 0x80) {
            len--; // not in the middle of a UTF-8 sequence
        }
        String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        byte[] tmp = new byte[len + 8];
        tmp[0] = '.';
        System.arraycopy(b, 0, tmp, 1, len);
        tmp[len + 1] = '.';
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int i = 0; i < 6; i++) {
            tmp[len + 2 + i] = (byte) chars.charAt(r.nextInt(chars.length()));
        }
        return dir.resolve(PathBytes.path(tmp));
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

    /** A fuzzy basis: the file, and its basis type (FNAMECMP_FUZZY, plus 1 + j in basis directory j). */
    private record Fuzzy(Path path, int basisType) {}

    /**
     * A similar file in the entry's directory (and with {@code -yy} in the same directory of each basis
     * directory): one with the same size and mtime anywhere first, else the closest name.
     */
    // rsync/generator.c:find_fuzzy (simplified name distance)
    private Fuzzy findFuzzy(Path path, FileEntry e) {
        List<Path> dirs = new ArrayList<>();
        dirs.add(path.getParent());
        byte[] own = nameInDestDir(e);
        if (o.fuzzyLevel() > 1) {
            for (int j = 0; j < basisDirs.size(); j++) {
                try {
                    dirs.add(basisDirs.resolve(j, own).getParent());
                } catch (SafeNames.UnsafePathException ex) {
                    dirs.add(null);
                }
            }
        }
        String want = PathBytes.text(path.getFileName());
        String dirPrefix = parentPrefix(own);
        Fuzzy best = null;
        int bestDist = Integer.MAX_VALUE;
        for (int i = 0; i < dirs.size(); i++) {
            Path dir = dirs.get(i);
            if (dir == null) {
                continue;
            }
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path listed : ds) {
                    String name = PathBytes.text(listed.getFileName());
                    if (name.startsWith(".")) {
                        continue;
                    }
                    // Each candidate is resolved as a file-list name would be: confined, and never one the
                    // daemon's rules exclude (a basis's sums would let the client copy it out).
                    Path c;
                    if (i == 0 && dest.soloFile()) {
                        if (fuzzyResolver != null) {
                            break; // a daemon's lone file: names beside it are not resolved through the module
                        }
                        c = listed;
                    } else {
                        try {
                            byte[] rel = PathBytes.bytes(dirPrefix + name);
                            c = i == 0 ? (fuzzyResolver != null ? fuzzyResolver : resolver).resolve(dest.root(), rel)
                                    : basisDirs.resolve(i - 1, rel);
                        } catch (SafeNames.UnsafePathException ex) {
                            continue;
                        }
                    }
                    LocalStat st = lstat(c);
                    if (st == null || !st.isRegular() || st.size() == 0) {
                        continue;
                    }
                    if (st.size() == e.size() && st.mtimeSeconds() == e.mtime()) {
                        return new Fuzzy(c, ItemFlags.FNAMECMP_FUZZY + i);
                    }
                    int d = distance(name, want);
                    if (d < bestDist) {
                        bestDist = d;
                        best = new Fuzzy(c, ItemFlags.FNAMECMP_FUZZY + i);
                    }
                }
            } catch (IOException ex) {
                // an unreadable or missing directory offers nothing
            }
        }
        return best != null && bestDist <= Math.max(2, want.length() / 2) ? best : null;
    }

    /** The directory part of a file-list name with its trailing slash, or "" at the top. */
    private static String parentPrefix(byte[] name) {
        String n = PathBytes.text(name);
        int slash = n.lastIndexOf('/');
        return slash < 0 ? "" : n.substring(0, slash + 1);
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int c = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + c);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** {@code --chmod} rules ({@code rsync/chmod.c:parse_chmod}, {@code tweak_mode}). */
    static final class ChmodSpec {
        private record Item(int which, char op, int who, int bits, boolean conditionalX, int octal) {}

        private static final int DIRS = 1;
        private static final int FILES = 2;
        private final List<Item> items;

        private ChmodSpec(List<Item> items) {
            this.items = items;
        }

        static ChmodSpec parse(List<String> specs) {
            List<Item> items = new ArrayList<>();
            for (String spec : specs) {
                for (String raw : spec.split(",")) {
                    String s = raw.trim();
                    if (s.isEmpty()) {
                        continue;
                    }
                    int which = DIRS | FILES;
                    if (s.charAt(0) == 'D') {
                        which = DIRS;
                        s = s.substring(1);
                    } else if (s.charAt(0) == 'F') {
                        which = FILES;
                        s = s.substring(1);
                    }
                    if (!s.isEmpty() && Character.isDigit(s.charAt(0))) {
                        items.add(new Item(which, '=', 0, 0, false, Integer.parseInt(s, 8) & 07777));
                        continue;
                    }
                    int i = 0;
                    int who = 0;
                    while (i < s.length() && "ugoa".indexOf(s.charAt(i)) >= 0) {
                        who |= switch (s.charAt(i)) {
                            case 'u' -> 04700;
                            case 'g' -> 02070;
                            case 'o' -> 01007;
                            default -> 07777;
                        };
                        i++;
                    }
                    if (who == 0) {
                        who = 07777; // rsync applies a wholess item to all (no umask filtering)
                    }
                    if (i >= s.length() || "+-=".indexOf(s.charAt(i)) < 0) {
                        throw new RsyncException(ExitCode.SYNTAX, "Invalid argument passed to --chmod (" + raw + ")");
                    }
                    char op = s.charAt(i++);
                    int bits = 0;
                    boolean condX = false;
                    for (; i < s.length(); i++) {
                        switch (s.charAt(i)) {
                            case 'r' -> bits |= 0444;
                            case 'w' -> bits |= 0222;
                            case 'x' -> bits |= 0111;
                            case 'X' -> condX = true;
                            case 's' -> bits |= 06000;
                            case 't' -> bits |= 01000;
                            default -> throw new RsyncException(ExitCode.SYNTAX,
                                    "Invalid argument passed to --chmod (" + raw + ")");
                        }
                    }
                    items.add(new Item(which, op, who, bits, condX, -1));
                }
            }
            return new ChmodSpec(items);
        }

        int apply(int mode, boolean isDir) {
            for (Item it : items) {
                if ((it.which() & (isDir ? DIRS : FILES)) == 0) {
                    continue;
                }
                if (it.octal() >= 0) {
                    mode = it.octal();
                    continue;
                }
                int bits = it.bits();
                if (it.conditionalX() && (isDir || (mode & 0111) != 0)) {
                    bits |= 0111;
                }
                bits &= it.who();
                switch (it.op()) {
                    case '+' -> mode |= bits;
                    case '-' -> mode &= ~bits;
                    default -> mode = (mode & ~(it.who() & 07777)) | bits;
                }
            }
            return mode & 07777;
        }
    }
}
