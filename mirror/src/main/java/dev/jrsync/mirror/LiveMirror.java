package dev.jrsync.mirror;

import dev.jrsync.client.DaemonAddress;
import dev.jrsync.core.ExitCode;
import dev.jrsync.core.PathBytes;
import dev.jrsync.core.RsyncException;
import dev.jrsync.core.SessionLog;
import dev.jrsync.fs.Posix;
import dev.jrsync.options.Options;
import dev.jrsync.options.OptionsBuilder;
import dev.jrsync.watcher.PathChange;
import dev.jrsync.watcher.TreeWatcher;
import dev.jrsync.watcher.WatchOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * {@code jrsync --watch SRC/ DEST}: keeps DEST a live mirror of SRC until the thread is interrupted. The watches
 * go in first, then a normal full transfer runs, so nothing changed between that scan and the watch is lost;
 * after that each settled batch of changes becomes a few transfers listing only the changed paths.
 */
public final class LiveMirror {
    /** Settle window: long enough to gather one save's events, short enough for a ~10 ms change-to-replica lag. */
    static final int DEFAULT_DELAY_MS = 5;
    /**
     * The settle window of a path no writer holds open (a written file closed, a rename, a chmod): its change is
     * complete, so only a burst of related events is gathered.
     */
    static final int DEFAULT_CLOSED_DELAY_MS = 1;
    /** A file written continuously still arrives at least this often. */
    static final int DEFAULT_MAX_DELAY_MS = 1000;
    /**
     * Past this many pending paths the detail is dropped and a rescan against the snapshot replaces it; past this
     * many differing paths in a rescan, one full transfer does.
     */
    static final int MAX_PENDING_PATHS = 100_000;
    private static final long FIRST_RETRY_MS = 50;
    private static final long MAX_RETRY_MS = 5_000;

    private final Options options;
    private final Transfer transfer;
    private final SessionLog log;
    private final Path root;
    private final ChangeQueue queue = new ChangeQueue(MAX_PENDING_PATHS);
    private final Backoff backoff = new Backoff(FIRST_RETRY_MS, MAX_RETRY_MS);
    private final MirrorEvents status;
    private final MirrorSession session;

    private LiveMirror(Options userOptions, Transfer transfer, SessionLog log, MirrorEvents events) {
        // Changes come within the second of the last sync: a stock receiver compares whole seconds by default and
        // would keep a directory's sub-second mtime as its own writes left it; -@-1 makes it compare nanoseconds.
        OptionsBuilder mirrorOptions = userOptions.toBuilder();
        if (mirrorOptions.modifyWindow == null) {
            mirrorOptions.modifyWindow = -1;
        }
        this.options = mirrorOptions.build();
        this.transfer = transfer;
        this.log = log;
        List<String> args = options.args();
        if (args.size() != 2 || DaemonAddress.isDaemonArg(args.getFirst())) {
            throw new RsyncException(ExitCode.SYNTAX,
                    "jrsync: --watch needs one local source directory and one destination (SRC/ DEST)");
        }
        String src = args.getFirst();
        String trimmed = src.length() > 1 ? src.replaceAll("/+$", "") : src;
        root = PathBytes.path(trimmed);
        if (!Files.isDirectory(root)) {
            throw new RsyncException(ExitCode.SYNTAX, "jrsync: --watch source is not a directory: " + src);
        }
        String dest = args.getLast().endsWith("/") ? args.getLast() : args.getLast() + "/";
        // Without the trailing slash rsync puts the directory itself under DEST.
        String mirrorRoot = src.endsWith("/") ? dest
                : dest + PathBytes.text(root.toAbsolutePath().normalize().getFileName()) + "/";
        status = events;
        session = new MirrorSession(options, transfer, trimmed, mirrorRoot, log);
    }

    /**
     * A mirror of the options' {@code SRC/ DEST}, checked but not started, reporting to {@code events}.
     *
     * @throws RsyncException (syntax) unless the options name one local source directory and a destination
     */
    public static LiveMirror of(Options userOptions, Transfer transfer, SessionLog log,
                                MirrorEvents events) {
        return new LiveMirror(userOptions, transfer, log, events);
    }

    /** Changes seen and not yet sent: read from any thread. */
    public int pending() {
        return queue.size();
    }

    /**
     * Mirrors until the calling thread is interrupted.
     *
     * @return rsync's exit code: 0 after a clean stop
     * @throws RsyncException when the source cannot be watched
     */
    public int run() {
        WatchOptions watchOptions = WatchOptions.defaults().withWarnings(m -> log.error("jrsync: watch: " + m))
                .withBackend(WatchOptions.Backend.named(Objects.requireNonNullElse(options.watchBackend(),
                        "inotify")));
        try (TreeWatcher watcher = TreeWatcher.start(root, watchOptions, c -> {
            queue.accept(c, System.nanoTime());
            session.greetAhead();
        })) {
            fullSync();
            TreeSnapshot snapshot = TreeSnapshot.of(root);
            status.watching(root, watcher.watchCount(), snapshot.size());
            loop(watcher, snapshot);
        } catch (InterruptedException e) {
            // stop asked for: fall through to the closing line
        } catch (IOException e) {
            throw new RsyncException(ExitCode.FILE_IO, "jrsync: cannot watch " + root + ": " + e.getMessage(), e);
        } finally {
            session.close();
        }
        status.stopped(queue.size());
        return ExitCode.OK;
    }

    /** An ordinary transfer of the whole tree, retried until the target takes it. */
    private void fullSync() throws InterruptedException {
        long start = System.nanoTime();
        status.fullSyncStarted();
        while (true) {
            try {
                long sent = transfer.run(options, options.args().subList(0, 1), options.args().getLast(), null)
                        .bytesWritten();
                status.fullSync(sent, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                backoff.reset();
                return;
            } catch (RuntimeException e) {
                stopIfInterrupted();
                long wait = backoff.nextDelayMillis();
                status.failed("full sync", describe(e), queue.size(), wait);
                Thread.sleep(wait);
            }
        }
    }

    private void loop(TreeWatcher watcher, TreeSnapshot snapshot) throws InterruptedException {
        long delay = TimeUnit.MILLISECONDS.toNanos(orDefault(options.watchDelayMs(), DEFAULT_DELAY_MS));
        // A --watch-delay given is the window for every path.
        long closedDelay = options.watchDelayMs() != null ? delay : TimeUnit.MILLISECONDS.toNanos(DEFAULT_CLOSED_DELAY_MS);
        long maxDelay = TimeUnit.MILLISECONDS.toNanos(orDefault(options.watchMaxDelayMs(), DEFAULT_MAX_DELAY_MS));
        while (true) {
            if (watcher.failure() != null) {
                throw new RsyncException(ExitCode.FILE_IO, "jrsync: watching " + root + " stopped: "
                        + describe(watcher.failure()), watcher.failure());
            }
            ChangeQueue.Batch batch = queue.awaitBatch(delay, closedDelay, maxDelay);
            if (batch.rescan()) {
                log.error("jrsync: watch: " + (batch.overflowed() ? "more than " + MAX_PENDING_PATHS
                        + " paths pending" : "events were lost (queue overflow)") + "; comparing the tree with the last"
                        + " synced state");
                List<PathChange> changes = snapshot.diff();
                if (changes.size() <= MAX_PENDING_PATHS) {
                    queue.accept(changes, System.nanoTime() - maxDelay);
                } else {
                    // Too many to list path by path: one ordinary transfer of the whole tree settles them.
                    log.error("jrsync: watch: " + changes.size() + " paths differ; running a full sync");
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
        try {
            sent = plan.isEmpty() ? 0 : session.run(plan);
        } catch (RuntimeException e) {
            stopIfInterrupted();
            queue.requeue(batch);
            long wait = backoff.nextDelayMillis();
            status.failed("sync of " + batch.size() + " path(s)", describe(e), queue.size(), wait);
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

    private static int orDefault(Integer value, int fallback) {
        return value != null ? value : fallback;
    }

    /** A failure's cause as a line shows it. */
    static String describe(Throwable t) {
        if (t instanceof IOException io) {
            return Posix.describe(io);
        }
        String msg = t.getMessage();
        return msg == null || msg.isBlank() ? "internal error" : msg.strip();
    }
}
