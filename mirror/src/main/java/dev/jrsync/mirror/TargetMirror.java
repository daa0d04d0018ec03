package dev.jrsync.mirror;

import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import dev.jrsync.core.SessionLog;
import dev.jrsync.options.Options;
import dev.jrsync.options.ServerArgs;
import dev.jrsync.watcher.PathChange;
import dev.jrsync.watcher.TreeWatcher;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One destination of a {@link LiveMirror}: its own queue of the watcher's changes, its own backoff, its own
 * snapshot of what it last got, and its own session, run on a thread of its own, so a slow or absent destination
 * delays no other; one that was away catches up from its queue (or its rescan, when the queue overflowed).
 */
public final class TargetMirror {
    /**
     * What one destination's mirror runs its transfers through and reports to.
     *
     * @param transfer its transfers (each destination has its own, so that each daemon's motd shows once)
     * @param log      its transfers' lines and events, and its own error lines
     * @param events   its mirror events
     */
    public record Io(Transfer transfer, SessionLog log, MirrorEvents events) {}

    private final Options options;
    private final Transfer transfer;
    private final SessionLog log;
    private final Path root;
    private final String dest;
    private final ChangeQueue queue = new ChangeQueue(LiveMirror.MAX_PENDING_PATHS);
    private final Backoff backoff = new Backoff(LiveMirror.FIRST_RETRY_MS, LiveMirror.MAX_RETRY_MS);
    private final MirrorEvents status;
    private final MirrorSession session;
    private final TreeIndex index;
    /** The source as scanned once its watches were in: every destination starts from the same scan. */
    private final Supplier<TreeSnapshot> scan;

    /**
     * @param options    the mirror's options, with this destination as their last argument
     * @param root       the source directory watched
     * @param source     the source directory, without a trailing slash
     * @param mirrorRoot the directory of the destination that mirrors it, with a trailing slash
     * @param scan       the source as scanned once for every destination, a copy of its own for this one
     */
    TargetMirror(Options options, Io io, Path root, String source, String mirrorRoot, Supplier<TreeSnapshot> scan) {
        this.options = options;
        this.transfer = io.transfer();
        this.log = io.log();
        this.root = root;
        this.dest = options.args().getLast();
        this.status = io.events();
        this.session = new MirrorSession(options, transfer, source, mirrorRoot, log);
        this.scan = scan;
        this.index = TreeIndex.of(options.watchState(), root, mirrorRoot, transferOf(options), log);
    }

    /** The destination as it was given. */
    public String destination() {
        return dest;
    }

    /** Changes seen and not yet sent: read from any thread. */
    public int pending() {
        return queue.size();
    }

    /** Takes one batch of the watcher's changes, on the watcher's thread. */
    void accept(List<PathChange> changes, long now) {
        queue.accept(changes, now);
        session.greetAhead();
    }

    /**
     * Sends the whole tree (or, when a {@link TreeIndex} of this destination's state was kept, only the paths that
     * differ from it, as one batch), then the changes {@code watcher} reports, until the calling thread is
     * interrupted.
     *
     * @throws RsyncException when watching the source stopped
     */
    void run(TreeWatcher watcher) {
        TreeSnapshot snapshot = null;
        try {
            snapshot = index.restore(root);
            if (snapshot != null) {
                // What changed while the mirror was down goes as the watcher would have reported it, due at once.
                queue.accept(snapshot.diff(), System.nanoTime() - maxDelayNanos());
            } else {
                fullSync();
                snapshot = scan.get();
                index.save(snapshot);
            }
            status.watching(root, watcher.watchCount(), snapshot.size());
            loop(watcher, snapshot);
        } catch (InterruptedException e) {
            // stop asked for: the index keeps what was synced, then the closing line
            if (snapshot != null) {
                index.save(snapshot);
            }
        } finally {
            session.close();
        }
        status.stopped(queue.size());
    }

    /** An ordinary transfer of the whole tree, retried until the target takes it. */
    private void fullSync() throws InterruptedException {
        long start = System.nanoTime();
        status.fullSyncStarted();
        while (true) {
            try {
                long sent = transfer.run(options, options.args().subList(0, 1), dest, null).bytesWritten();
                status.fullSync(sent, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                backoff.reset();
                return;
            } catch (RuntimeException e) {
                stopIfInterrupted();
                long wait = backoff.nextDelayMillis();
                status.failed("full sync", LiveMirror.describe(e), queue.size(), wait);
                Thread.sleep(wait);
            }
        }
    }

    private void loop(TreeWatcher watcher, TreeSnapshot snapshot) throws InterruptedException {
        long delay = TimeUnit.MILLISECONDS.toNanos(orDefault(options.watchDelayMs(), LiveMirror.DEFAULT_DELAY_MS));
        // A --watch-delay given is the window for every path.
        long closedDelay = options.watchDelayMs() != null ? delay
                : TimeUnit.MILLISECONDS.toNanos(LiveMirror.DEFAULT_CLOSED_DELAY_MS);
        long maxDelay = maxDelayNanos();
        while (true) {
            if (watcher.failure() != null) {
                throw new RsyncException(ExitCode.FILE_IO, "jrsync: watching " + root + " stopped: "
                        + LiveMirror.describe(watcher.failure()), watcher.failure());
            }
            ChangeQueue.Batch batch = queue.awaitBatch(delay, closedDelay, maxDelay, index.dueNanos());
            if (batch.idle()) {
                index.save(snapshot);
                continue;
            }
            if (batch.rescan()) {
                log.error("jrsync: watch: " + (batch.overflowed() ? "more than " + LiveMirror.MAX_PENDING_PATHS
                        + " paths pending" : "events were lost (queue overflow)") + "; comparing the tree with the last"
                        + " synced state of " + dest);
                List<PathChange> changes = snapshot.diff();
                if (changes.size() <= LiveMirror.MAX_PENDING_PATHS) {
                    queue.accept(changes, System.nanoTime() - maxDelay);
                } else {
                    // Too many to list path by path: one ordinary transfer of the whole tree settles them.
                    log.error("jrsync: watch: " + changes.size() + " paths differ; running a full sync to " + dest);
                    index.changing();
                    fullSync();
                    snapshot.refresh("", true);
                }
                continue;
            }
            sync(batch.paths(), snapshot);
        }
    }

    private void sync(Map<String, ChangeQueue.Pending> batch, TreeSnapshot snapshot) throws InterruptedException {
        BatchPlan plan = BatchPlan.of(root, batch, snapshot);
        status.inFlight(batch.size(), queue.size());
        long sent;
        if (!plan.isEmpty()) {
            index.changing();
        }
        try {
            sent = plan.isEmpty() ? 0 : session.run(plan);
        } catch (RuntimeException e) {
            stopIfInterrupted();
            queue.requeue(batch);
            long wait = backoff.nextDelayMillis();
            status.failed("sync of " + batch.size() + " path(s)", LiveMirror.describe(e), queue.size(), wait);
            Thread.sleep(wait);
            return;
        }
        stopIfInterrupted();
        backoff.reset();
        long oldest = Long.MAX_VALUE;
        for (Map.Entry<String, ChangeQueue.Pending> e : batch.entrySet()) {
            snapshot.refresh(e.getKey(), (e.getValue().flags & ChangeQueue.TREE) != 0);
            oldest = Math.min(oldest, e.getValue().firstNanos);
        }
        status.synced(batch.keySet(), sent, plan.changedBytes(), queue.size(), System.nanoTime() - oldest);
        index.saveIfDue(snapshot);
        if (queue.size() > 0) {
            // What came in meanwhile may have started a connection that this batch's later transfers used.
            session.greetAhead();
        }
    }

    private static void stopIfInterrupted() throws InterruptedException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException();
        }
    }

    /**
     * What the target's state depends on besides the tree: the options a server would be given for the transfers
     * (the watch's own are not among them) and the filter rules, which go separately.
     */
    private static String transferOf(Options options) {
        try {
            return ServerArgs.build(options, false, ServerArgs.PROTOCOL_VERSION) + " " + options.filters();
        } catch (RuntimeException e) {
            return options.filters().toString(); // options a server would refuse: the rules still tell indexes apart
        }
    }

    private long maxDelayNanos() {
        return TimeUnit.MILLISECONDS.toNanos(orDefault(options.watchMaxDelayMs(), LiveMirror.DEFAULT_MAX_DELAY_MS));
    }

    private static int orDefault(Integer value, int fallback) {
        return value != null ? value : fallback;
    }
}
