package dev.jrsync.mirror;

import dev.jrsync.client.DaemonAddress;
import dev.jrsync.core.ExitCode;
import dev.jrsync.core.PathBytes;
import dev.jrsync.core.RsyncException;
import dev.jrsync.core.SessionLog;
import dev.jrsync.fs.Posix;
import dev.jrsync.options.Options;
import dev.jrsync.options.OptionsBuilder;
import dev.jrsync.watcher.TreeWatcher;
import dev.jrsync.watcher.WatchOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * {@code jrsync --watch SRC/ DEST [--watch-target=DEST2]...}: keeps each destination a live mirror of SRC until
 * the thread is interrupted. One set of watches serves them all: the watches go in first, then each destination,
 * on a thread of its own (a {@link TargetMirror}), gets a normal full transfer, so nothing changed between that
 * scan and the watch is lost; after that each settled batch of changes becomes a few transfers listing only the
 * changed paths.
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
    static final long FIRST_RETRY_MS = 50;
    static final long MAX_RETRY_MS = 5_000;

    private final SessionLog log;
    private final Path root;
    private final List<TargetMirror> targets = new ArrayList<>();
    /** {@code --watch-backend}: inotify unless fanotify or auto is asked for. */
    private final WatchOptions.Backend backend;
    /** The one scan of the source every destination starts from, until each has taken its copy; guarded by this. */
    private TreeSnapshot scanned;
    private int copiesLeft;

    private LiveMirror(Options userOptions, SessionLog log, Function<String, TargetMirror.Io> io) {
        this.log = log;
        backend = WatchOptions.Backend.named(Objects.requireNonNullElse(userOptions.watchBackend(), "inotify"));
        List<String> args = userOptions.args();
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
        List<String> dests = new ArrayList<>();
        dests.add(args.getLast());
        dests.addAll(userOptions.watchTargets());
        for (String target : dests) {
            // Changes come within the second of the last sync: a stock receiver compares whole seconds by default
            // and would keep a directory's sub-second mtime as its own writes left it; -@-1 makes it compare
            // nanoseconds.
            OptionsBuilder options = userOptions.toBuilder();
            if (options.modifyWindow == null) {
                options.modifyWindow = -1;
            }
            options.watchTargets.clear();
            options.args.set(1, target);
            String dest = target.endsWith("/") ? target : target + "/";
            // Without the trailing slash rsync puts the directory itself under DEST.
            String mirrorRoot = src.endsWith("/") ? dest
                    : dest + PathBytes.text(root.toAbsolutePath().normalize().getFileName()) + "/";
            targets.add(new TargetMirror(options.build(), io.apply(target), root, trimmed, mirrorRoot,
                    this::scan));
        }
        copiesLeft = targets.size();
    }

    /**
     * The source as one scan found it, taken when the first destination needs it (its watches are in by then, so
     * whatever changes after the scan is in every destination's queue): each destination gets a copy to keep up to
     * date, and the tree is walked once however many there are.
     */
    private synchronized TreeSnapshot scan() {
        if (scanned == null) {
            scanned = TreeSnapshot.of(root);
        }
        TreeSnapshot copy = scanned.copy();
        if (--copiesLeft <= 0) {
            scanned = null; // every destination has its own now
        }
        return copy;
    }

    /**
     * A mirror of the options' {@code SRC/ DEST} and {@code --watch-target}s, checked but not started: each
     * destination runs its transfers and reports through what {@code io} gives for it; the watch's own warnings go
     * to {@code log}.
     *
     * @throws RsyncException (syntax) unless the options name one local source directory and a destination
     */
    public static LiveMirror of(Options userOptions, SessionLog log, Function<String, TargetMirror.Io> io) {
        return new LiveMirror(userOptions, log, io);
    }

    /** The destinations, the last operand first, then the {@code --watch-target}s in their order. */
    public List<TargetMirror> targets() {
        return List.copyOf(targets);
    }

    /**
     * Mirrors until the calling thread is interrupted or watching stops.
     *
     * @return rsync's exit code: 0 after a clean stop
     * @throws RsyncException when the source cannot be watched
     */
    public int run() {
        WatchOptions watchOptions = WatchOptions.defaults().withWarnings(m -> log.error("jrsync: watch: " + m))
                .withBackend(backend);
        try (TreeWatcher watcher = TreeWatcher.start(root, watchOptions, c -> {
            long now = System.nanoTime();
            for (TargetMirror t : targets) {
                t.accept(c, now);
            }
        })) {
            runTargets(watcher);
        } catch (IOException e) {
            throw new RsyncException(ExitCode.FILE_IO, "jrsync: cannot watch " + root + ": " + e.getMessage(), e);
        }
        return ExitCode.OK;
    }

    /**
     * Runs each destination on a platform thread of its own until this thread is interrupted or one of them
     * fails (watching stopped: it is the same for all), then stops them all and waits for them.
     */
    private void runTargets(TreeWatcher watcher) {
        CountDownLatch ended = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (TargetMirror t : targets) {
            threads.add(Thread.ofPlatform().name("jrsync-mirror-" + threads.size()).daemon().start(() -> {
                try {
                    t.run(watcher);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    ended.countDown();
                }
            }));
        }
        try {
            ended.await();
        } catch (InterruptedException e) {
            // stop asked for; the interrupt is consumed here, so closing the watches below can wait for them
        }
        threads.forEach(Thread::interrupt);
        for (Thread t : threads) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    // stopping already
                }
            }
        }
        switch (failure.get()) {
            case null -> { }
            case RuntimeException e -> throw e;
            case Error e -> throw e;
            case Throwable e -> throw new IllegalStateException(e);
        }
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
