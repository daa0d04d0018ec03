package dev.jrsync.mirror;

import dev.jrsync.client.DaemonAddress;
import dev.jrsync.client.DaemonClient;
import dev.jrsync.client.TransferResult;
import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import dev.jrsync.core.SessionLog;
import dev.jrsync.options.AltDest;
import dev.jrsync.options.FilterArg;
import dev.jrsync.options.Options;
import dev.jrsync.options.OptionsBuilder;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Turns a {@link BatchPlan} into transfers, in an order that keeps every basis available: renamed and moved
 * entries first (their old copies are still on the target), then changed content, then metadata, then deletions.
 */
final class MirrorSession {
    /**
     * rsync's largest block (MAX_BLOCK_SIZE): a renamed file matches its old copy whole, so a few big blocks keep
     * the sums and match tokens on the wire at a few hundred bytes per 8 MiB.
     */
    static final int RENAME_BLOCK_SIZE = 128 << 10;

    private final Options userOptions;
    private final Transfer transfer;
    private final String source;
    private final String dest;
    /** A daemon, to which the next transfer can start connecting before its batch settles. */
    private final boolean daemonTarget;
    private final SessionLog log;
    /** The target refused {@code --copy-dest} once (a daemon configured to refuse it): stop asking. */
    private boolean copyDestRefused;
    /**
     * A daemon connection started when a change came in, for the next transfer: connecting, the daemon's fork
     * and greeting, module and authentication then overlap the settle delay instead of following it.
     */
    private final AtomicReference<CompletableFuture<DaemonClient.Greeted>> ahead = new AtomicReference<>();

    /**
     * @param userOptions the user's options, from which each transfer's are derived for its job
     * @param source      the local source directory, without a trailing slash
     * @param dest        the target directory that mirrors it, with a trailing slash
     */
    MirrorSession(Options userOptions, Transfer transfer, String source, String dest, SessionLog log) {
        this.userOptions = userOptions;
        this.transfer = transfer;
        this.source = source;
        this.dest = dest;
        this.daemonTarget = DaemonAddress.isDaemonArg(dest);
        this.log = log;
    }

    /** Runs every transfer the plan needs; returns the bytes sent. Throws when the target fails. */
    long run(BatchPlan plan) {
        long sent = 0;
        if (!plan.renames().isEmpty()) {
            sent += listed(plan.renames(), o -> {
                // Renamed over an existing name the old copy is the basis anyway; to a new name, fuzzy finds it.
                o.ignoreTimes = true;
                o.fuzzy = 1;
                o.wholeFile = Boolean.FALSE;
                o.blockSize = RENAME_BLOCK_SIZE;
                o.recursive = false;
                o.dirs = Boolean.TRUE;
            });
        }
        for (BatchPlan.Move m : plan.moves()) {
            sent += moved(m);
        }
        if (!plan.content().isEmpty()) {
            // The watcher saw these written: rsync's quick check would miss a same-size rewrite within the mtime.
            sent += listed(plan.content(), o -> {
                o.ignoreTimes = true;
                // what moved into a new directory came with its move, from its old copy
                plan.movedIntoNew().forEach(to -> o.filters.addFirst(new FilterArg(FilterArg.Kind.EXCLUDE, "/" + to)));
            });
        }
        if (!plan.attrs().isEmpty()) {
            sent += listed(plan.attrs(), o -> {
                o.recursive = false;
                o.dirs = Boolean.TRUE;
            });
        }
        if (userOptions.deleteMode()) {
            for (String dir : plan.deleteDirs()) {
                OptionsBuilder o = userOptions.toBuilder();
                o.recursive = false;
                o.dirs = Boolean.TRUE;
                rebase(o, dir);
                String rel = dir.isEmpty() ? "" : dir + "/";
                sent += checked(transfer(o.build(), List.of(source + "/" + rel), dest + rel));
            }
        }
        return sent;
    }

    /**
     * A move to another directory: a session rooted at the new directory (a moved file's new parent) whose
     * receiver finds the old copies through {@code --copy-dest}: by name inside a moved directory or for a file
     * that kept its name; a file that also changed its name needs {@code -yy} to search the basis directory,
     * which a stock daemon does only with "use chroot = yes" (without chroot it looks in a sanitized path and
     * the data is sent again); jrsync's receiver (a local folder, the Java daemon) searches it either way.
     */
    private long moved(BatchPlan.Move m) {
        String dir = m.directory() ? m.to() : BatchPlan.parent(m.to());
        String oldDir = m.directory() ? m.from() : BatchPlan.parent(m.from());
        OptionsBuilder o = userOptions.toBuilder();
        noDeletes(o);
        o.mkpath = true; // its new directory may have been made in this batch; the tree's transfer comes later
        o.fuzzy = 2;
        o.wholeFile = Boolean.FALSE;
        o.blockSize = RENAME_BLOCK_SIZE;
        if (!copyDestRefused) {
            // Relative paths are taken from the session's destination directory; the user's own basis
            // directories are meant for the tree's root, not this session's, so they make way.
            o.altDest = AltDest.COPY;
            o.basisDirs.clear();
            o.basisDirs.add(up(dir) + oldDir);
        } else {
            rebase(o, dir);
        }
        if (!m.directory()) {
            o.filesFrom = List.of(m.to().substring(m.to().lastIndexOf('/') + 1));
        }
        String rel = dir.isEmpty() ? "" : dir + "/";
        try {
            return checked(transfer(o.build(), List.of(source + "/" + rel), dest + rel));
        } catch (RsyncException e) {
            if (o.basisDirs.isEmpty() || e.exitCode() != ExitCode.UNSUPPORTED) {
                throw e;
            }
            copyDestRefused = true;
            log.error("jrsync: mirror: the target refuses --copy-dest; moved files are sent again in full");
            o.altDest = null;
            o.basisDirs.clear();
            return checked(transfer(o.build(), List.of(source + "/" + rel), dest + rel));
        }
    }

    /** The way from directory {@code dir} of the tree back up to its root. */
    private static String up(String dir) {
        return "../".repeat(dir.isEmpty() ? 0 : dir.split("/").length);
    }

    /**
     * The user's relative basis directories name places seen from the tree's root (as rsync takes them from the
     * destination directory): a session rooted at {@code dir} below it must climb back up first.
     */
    private static void rebase(OptionsBuilder o, String dir) {
        o.basisDirs.replaceAll(b -> b.startsWith("/") ? b : up(dir) + b);
    }

    private long listed(List<String> paths, Consumer<OptionsBuilder> adjust) {
        OptionsBuilder o = userOptions.toBuilder();
        noDeletes(o);
        o.filesFrom = paths;
        adjust.accept(o);
        return checked(transfer(o.build(), List.of(source + "/"), dest));
    }

    /**
     * Starts connecting to the daemon for the next transfer unless a connection is already on its way; called
     * from the watcher's thread as changes come in, and by the mirror when changes wait after a batch.
     */
    void greetAhead() {
        if (!daemonTarget || ahead.get() != null) {
            return;
        }
        CompletableFuture<DaemonClient.Greeted> next = new CompletableFuture<>();
        if (!ahead.compareAndSet(null, next)) {
            return;
        }
        Thread.ofVirtual().name("jrsync-greet").start(() -> {
            try {
                next.complete(transfer.greet(userOptions, dest));
            } catch (Throwable t) {
                next.completeExceptionally(t); // whatever it was, the next transfer must not wait for it forever
            }
        });
    }

    /** Closes a connection started ahead and not used (the mirror is stopping). */
    void close() {
        CompletableFuture<DaemonClient.Greeted> unused = ahead.getAndSet(null);
        if (unused != null) {
            unused.thenAccept(DaemonClient.Greeted::close);
        }
    }

    /** One transfer, over the connection started ahead when there is one. */
    private TransferResult transfer(Options o, List<String> sources, String target) {
        return transfer.run(o, sources, target, takeGreeted());
    }

    /**
     * The connection started ahead, once it is admitted; null when there is none, or it failed or was closed
     * meanwhile (the transfer then connects itself, and reports what goes wrong).
     */
    private DaemonClient.Greeted takeGreeted() {
        CompletableFuture<DaemonClient.Greeted> f = ahead.getAndSet(null);
        if (f == null) {
            return null;
        }
        try {
            DaemonClient.Greeted g = f.get();
            if (g != null && g.isOpen()) {
                return g;
            }
            if (g != null) {
                g.close();
            }
            return null;
        } catch (ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.thenAccept(DaemonClient.Greeted::close);
            throw new RsyncException(ExitCode.SIGNAL, "interrupted while connecting");
        }
    }

    private static void noDeletes(OptionsBuilder o) {
        o.delete = false;
        o.deleteWhen = null;
        o.deleteExcluded = false;
    }

    private long checked(TransferResult r) {
        if (r.ioError() != 0) {
            // A file that vanished or could not be read: its own change event (or the next rescan) follows it.
            log.error("jrsync: mirror: some files could not be transferred (io_error " + r.ioError() + ")");
        }
        return r.bytesWritten();
    }
}
