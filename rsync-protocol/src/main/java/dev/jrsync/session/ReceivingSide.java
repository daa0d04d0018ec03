package dev.jrsync.session;

import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import dev.jrsync.flist.FileList;
import dev.jrsync.flist.SafeNames;
import dev.jrsync.fs.BeneathOpener;
import dev.jrsync.fs.ChmodSpec;
import dev.jrsync.fs.ScanFilter;
import dev.jrsync.fs.ThreadCredentials;
import dev.jrsync.options.Options;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The receiving side of a transfer ({@code rsync/main.c:do_recv}): a {@link Generator} that writes to the peer
 * and a {@link Receiver} that reads from it, run side by side as rsync forks them. They share what the session
 * set up once ({@link RecvContext}) and talk only through the {@link RequestTable} and the {@link GeneratorInbox}.
 */
public final class ReceivingSide {
    private static final long CANCEL_WAIT_MILLIS = 10_000;

    private final Connection conn;
    private final OperatorDirs operatorDirs;
    /** The destination's names pinned beneath it, or null where they resolve by name ({@link #pinnedBeneath}). */
    private final PinnedDirs pinned;
    private final GeneratorInbox inbox;
    private final Generator generator;
    private final Receiver receiver;
    private final RequestTable requests;

    private ReceivingSide(Builder b) {
        Options o = b.options;
        boolean fakeSuper = o.fakeSuper();
        // rsync's am_root: root, or fake super, which records what root would set; a daemon session has switched
        // this thread to the module's uid (the owner of /proc/self is the process's first thread, still root)
        boolean amRoot = fakeSuper || (o.superUser() != null ? o.superUser() : ThreadCredentials.euid() == 0);
        Destination dest = Objects.requireNonNull(b.dest, "destination");
        this.conn = b.conn;
        this.operatorDirs = new OperatorDirs(o.confineRoot(), o.insecureLinks());
        this.pinned = b.resolver == null && !followsParentLinks(o) ? pinnedBeneath(dest, o) : null;
        AttrSetter attrs = new AttrSetter(Preserve.of(o, amRoot), ChmodSpec.PROCESS_UMASK,
                ChmodSpec.parse(o.chmod(), ChmodSpec.PROCESS_UMASK), fakeSuper,
                o.acls() ? new AclSetter(fakeSuper, o.devices(), o.specials(), conn.log()) : null);
        RecvContext ctx = new RecvContext(conn, b.params, RecvOptions.of(o), Objects.requireNonNull(b.flist, "file list"), b.lists,
                new DestPaths(dest, b.resolver != null ? b.resolver : pinned != null ? pinned
                        : followsParentLinks(o) ? SafeNames::resolveKeepingDirlinks : SafeNames::resolve, fakeSuper), attrs, Backups.of(o, dest.root(), operatorDirs, conn.log()),
                operatorDirs, b.itemLog, b.stats);
        this.requests = new RequestTable(conn.in().maxAlloc());
        this.inbox = new GeneratorInbox();
        this.generator = new Generator(ctx, requests, inbox, new Generator.Settings(b.wholeFile,
                o.deleteMode(b.params.protocol()), b.deleteFilter == null ? ScanFilter.NONE : b.deleteFilter,
                b.fuzzyResolver, b.basisDirs, b.deletionReporter));
        this.receiver = new Receiver(ctx, requests, inbox, b.readStats);
    }

    /**
     * Whether a symlink to a directory on the way to a name is gone through: with {@code -K}, and for the parents
     * {@code -R --no-implied-dirs} leaves out of the list, which rsync's receiver uses as it finds them.
     */
    private static boolean followsParentLinks(Options o) {
        return o.keepDirlinks() || (o.relative() && o.noImpliedDirs());
    }

    /**
     * A local or {@code --server} receiver's names, each written through its parent directory pinned beneath the
     * destination as rsync 3.5's receiver opens them ({@code secure_relpath_active}): a parent swapped for a symlink
     * out of the tree while the transfer runs leads nowhere, and a symlink already there is followed only within
     * the tree. Not with {@code --insecure-links}, which restores following any symlink, nor where nothing is
     * written (a dry run, a listing, a destination not made) or the destination is a lone file.
     */
    // rsync/syscall.c:secure_relpath_active and do_open_at's secure_relative_open of the parent
    private static PinnedDirs pinnedBeneath(Destination dest, Options o) {
        if (o.insecureLinks() || o.dryRun() || o.isListOnly() || dest.root() == null || dest.soloFile()
                || !Files.isDirectory(dest.root())) {
            return null;
        }
        try {
            return new PinnedDirs(new BeneathOpener(true, true), dest.root());
        } catch (IOException e) {
            return null; // not a directory this side can open: every write into it fails by name as well
        }
    }

    /** Sets up the receiving side of a session speaking {@code params} over {@code conn}. */
    public static Builder builder(Connection conn, SessionParams params, Options options) {
        return new Builder(conn, params, options);
    }

    /** What a session decides before the roles run; each call sets one thing, {@link #build} freezes them. */
    public static final class Builder {
        private final Connection conn;
        private final SessionParams params;
        private final Options options;
        private FileList flist;
        private FileListReceiver.Incremental lists;
        private Destination dest;
        private ItemLog itemLog;
        private TransferStats stats;
        private boolean wholeFile;
        private ScanFilter deleteFilter;
        private boolean readStats;
        /** Null for the plain one: {@link SafeNames#resolve}, or with -K {@link SafeNames#resolveKeepingDirlinks}. */
        private PathResolver resolver;
        private PathResolver fuzzyResolver;
        private BasisDirs basisDirs;
        private DeletionReporter deletionReporter;

        private Builder(Connection conn, SessionParams params, Options options) {
            this.conn = conn;
            this.params = params;
            this.options = options;
        }

        /** The file list, and with it where the files go, how they are reported and counted. */
        public Builder files(FileList flist, Destination dest, ItemLog itemLog, TransferStats stats) {
            this.flist = flist;
            this.dest = dest;
            this.itemLog = itemLog;
            this.stats = stats;
            return this;
        }

        /**
         * Incremental recursion: the top list came through {@code lists}; the sub-lists and the end of the lists
         * come among the file indexes, the generator takes each list as it arrives, and each list is freed at the
         * {@code NDX_DONE} that ends it.
         */
        public Builder incremental(FileListReceiver.Incremental lists) {
            this.lists = lists;
            return this;
        }

        /** Send no block sums (rsync's {@code -W}; the default for local copies). */
        public Builder wholeFile(boolean wholeFile) {
            this.wholeFile = wholeFile;
            return this;
        }

        /** What deletion must leave alone ({@code Filters.forDelete()}). */
        public Builder deleteFilter(ScanFilter deleteFilter) {
            this.deleteFilter = deleteFilter;
            return this;
        }

        /**
         * The sender is a server that sends its statistics after the last phase (a client pull), as rsync's
         * {@code handle_stats} reads them.
         */
        public Builder readSenderStats() {
            this.readStats = true;
            return this;
        }

        /** Replaces {@link SafeNames#resolve} for every path of the transfer. */
        public Builder pathResolver(PathResolver resolver) {
            this.resolver = resolver;
            return this;
        }

        /**
         * Resolves the names the fuzzy search ({@code -y}) finds in the destination, refusing those that must not
         * become a basis (a daemon's excluded files: their block sums would let a client rebuild them).
         */
        public Builder fuzzyResolver(PathResolver fuzzyResolver) {
            this.fuzzyResolver = fuzzyResolver;
            return this;
        }

        /**
         * Replaces the alternate basis directories of the options (taken from the destination directory and
         * followed as written) with confined ones.
         */
        public Builder basisDirs(BasisDirs basisDirs) {
            this.basisDirs = basisDirs;
            return this;
        }

        /** Replaces the printing of "deleting NAME" lines. */
        public Builder deletionReporter(DeletionReporter deletionReporter) {
            this.deletionReporter = deletionReporter;
            return this;
        }

        public ReceivingSide build() {
            return new ReceivingSide(this);
        }
    }

    /**
     * Runs the two roles on virtual threads. When either fails, {@code abort} is run (it must unblock the other,
     * e.g. by closing the connection) and the first failure is thrown, a malformed or hostile stream as exit
     * code 12. Returns the I/O error bits the two roles ran into.
     */
    public int run(Runnable abort) {
        return run(abort, Thread.ofVirtual());
    }

    /**
     * As {@link #run(Runnable)}, the two roles started by {@code threads}: a daemon session running under a
     * module's identity passes platform threads, which inherit the identity and root directory of the thread
     * that starts them (virtual threads run on root's carrier threads).
     */
    // rsync/main.c:do_recv (the fork into generator and receiver)
    public int run(Runnable abort, Thread.Builder threads) {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread recvThread = threads.name("jrsync-receiver").unstarted(() -> {
            try {
                receiver.recvFiles();
            } catch (Throwable t) {
                if (failure.compareAndSet(null, t)) {
                    abort.run();
                }
            }
        });
        inbox.postingFrom(recvThread);
        conn.postFrom(recvThread);
        Thread genThread = threads.name("jrsync-generator").unstarted(() -> {
            try {
                generator.generateFiles();
                generator.finalGoodbye();
            } catch (Throwable t) {
                if (failure.compareAndSet(null, t)) {
                    abort.run();
                }
                requests.decidedAll(); // a receiver waiting on its choices stops waiting
            }
        });
        recvThread.start();
        genThread.start();
        try {
            recvThread.join();
            if (failure.get() != null) {
                genThread.interrupt();
            }
            genThread.join();
        } catch (InterruptedException ex) {
            abort.run();
            genThread.interrupt();
            recvThread.interrupt();
            // Cancelled (Ctrl-C, a library user's cancel): the receiver removes the file it was writing before
            // the caller hears that the transfer ended, as rsync's exit cleanup does.
            awaitQuietly(recvThread);
            awaitQuietly(genThread);
            Thread.currentThread().interrupt();
            throw new RsyncException(ExitCode.SIGNAL, "interrupted");
        } finally {
            if (!recvThread.isAlive() && !genThread.isAlive()) {
                operatorDirs.close();
                if (pinned != null) {
                    pinned.close();
                }
            }
        }
        Throwable t = failure.get();
        if (t != null) {
            throw SessionRunner.failure(t);
        }
        return generator.ioError() | receiver.ioError();
    }

    /** Waits up to {@link #CANCEL_WAIT_MILLIS} for a role that was told to stop; the caller is interrupted. */
    private static void awaitQuietly(Thread role) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CANCEL_WAIT_MILLIS);
        while (role.isAlive() && System.nanoTime() < deadline) {
            try {
                role.join(CANCEL_WAIT_MILLIS);
            } catch (InterruptedException again) {
                // a second cancel: keep waiting, within the same bound
            }
        }
    }
}
