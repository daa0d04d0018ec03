package dev.jrsync.watcher;

import dev.jrsync.watcher.fanotify.Fanotify;
import dev.jrsync.watcher.fanotify.FanotifyEvent;
import dev.jrsync.watcher.fanotify.MountPoints;
import dev.jrsync.watcher.inotify.ErrnoException;
import dev.jrsync.watcher.inotify.Inotify;
import dev.jrsync.watcher.inotify.InotifyLimits;
import dev.jrsync.watcher.inotify.InotifyMask;
import dev.jrsync.watcher.tree.EngineOptions;
import dev.jrsync.watcher.tree.EventLoop;
import dev.jrsync.watcher.tree.FanotifyEngine;
import dev.jrsync.watcher.tree.WatchEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Watches a directory tree recursively and hands path-level changes, relative to the root, to a listener on a
 * dedicated reader thread, one batch per kernel read, through inotify (a watch per directory) or fanotify (one
 * mark for the filesystem). Closing stops the thread and closes the kernel descriptor.
 *
 * <pre>{@code
 * try (TreeWatcher w = TreeWatcher.start(root, WatchOptions.defaults(), batch -> mirror.apply(batch))) { ... }
 * }</pre>
 */
public final class TreeWatcher implements AutoCloseable {
    /**
     * What a mirror needs: writes (a file kept open must still be seen), content complete, metadata, namespace
     * changes; no reads or opens.
     */
    private static final int MASK = InotifyMask.MODIFY | InotifyMask.CLOSE_WRITE | InotifyMask.ATTRIB | InotifyMask.CREATE
            | InotifyMask.DELETE | InotifyMask.MOVED_FROM | InotifyMask.MOVED_TO | InotifyMask.DELETE_SELF
            | InotifyMask.MOVE_SELF;
    private static final int POLL_MILLIS = 200;

    /** One kernel interface feeding the coalescer. */
    private interface Source {
        void runOnce(int timeoutMillis) throws IOException;

        int watchCount();

        int unwatchedCount();

        void close();
    }

    private final Source source;
    private final WatchOptions.Backend backend;
    private final Thread reader;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile Throwable failure;

    private TreeWatcher(Source source, WatchOptions.Backend backend, ChangeCoalescer coalescer,
                        Consumer<List<PathChange>> listener) {
        this.source = source;
        this.backend = backend;
        this.reader = Thread.ofPlatform().daemon().name("jrsync-watcher").unstarted(() -> {
            try {
                while (running) {
                    source.runOnce(coalescer.hasPending() ? 50 : POLL_MILLIS);
                    coalescer.tick(System.nanoTime());
                    List<PathChange> batch = coalescer.drain();
                    if (!batch.isEmpty()) {
                        listener.accept(batch);
                    }
                }
            } catch (Throwable t) {
                failure = t;
            } finally {
                stopped.countDown();
            }
        });
    }

    /**
     * Watches {@code root} and everything below it with the backend the options ask for; returns once every watch
     * (or the fanotify mark) is established. fanotify asked for but not possible (no CAP_SYS_ADMIN, a kernel
     * before 5.17, another filesystem mounted inside the tree) falls back to inotify.
     *
     * @throws IOException if the root cannot be watched, or no inotify instance is available (the message names
     *                     fs.inotify.max_user_instances and the sysctl line that raises it)
     */
    public static TreeWatcher start(Path root, WatchOptions options, Consumer<List<PathChange>> listener)
            throws IOException {
        String prefix = root.toAbsolutePath().normalize() + "/";
        ChangeCoalescer coalescer = new ChangeCoalescer(prefix, options.filter(), options.moveWindow().toNanos());
        Source source = null;
        if (options.backend() != WatchOptions.Backend.INOTIFY) {
            source = fanotify(prefix, options, coalescer);
        }
        WatchOptions.Backend used = source == null ? WatchOptions.Backend.INOTIFY : WatchOptions.Backend.FANOTIFY;
        if (source == null) {
            source = inotify(prefix, options, coalescer);
        }
        TreeWatcher watcher = new TreeWatcher(source, used, coalescer, listener);
        watcher.reader.start();
        return watcher;
    }

    private static Source inotify(String prefix, WatchOptions options, ChangeCoalescer coalescer) throws IOException {
        InotifyLimits limits = InotifyLimits.read();
        Inotify inotify;
        try {
            inotify = Inotify.open();
        } catch (ErrnoException e) {
            throw e.errno() == ErrnoException.EMFILE ? new IOException(limits.instanceLimitMessage(), e) : e;
        }
        long window = options.moveWindow().toNanos();
        EngineOptions engineOptions = new EngineOptions(MASK, true, true, options.filter(), window,
                options.rescanInterval().toNanos(), options.warnings());
        WatchEngine engine = new WatchEngine(inotify, engineOptions, e -> coalescer.accept(e, System.nanoTime()),
                limits);
        try {
            engine.watch(prefix, System.nanoTime());
        } catch (IOException | RuntimeException e) {
            inotify.close();
            throw e;
        }
        EventLoop loop = new EventLoop(inotify, engine);
        return new Source() {
            @Override
            public void runOnce(int timeoutMillis) throws IOException {
                loop.runOnce(timeoutMillis);
            }

            @Override
            public int watchCount() {
                return engine.watchCount();
            }

            @Override
            public int unwatchedCount() {
                return engine.unwatchedCount();
            }

            @Override
            public void close() {
                inotify.close();
            }
        };
    }

    /** The fanotify source, or null (with a warning when fanotify was asked for by name) where it cannot be. */
    private static Source fanotify(String prefix, WatchOptions options, ChangeCoalescer coalescer) throws IOException {
        String refusal;
        List<String> mounts = MountPoints.below(prefix);
        Fanotify fanotify = null;
        if (!Files.isDirectory(Path.of(prefix))) {
            // A single file (one inotify watch is all it takes), or nothing (inotify's engine says so).
            return null;
        } else if (!mounts.isEmpty()) {
            refusal = "another filesystem is mounted at " + mounts.getFirst();
        } else {
            try {
                fanotify = Fanotify.open(Path.of(prefix));
                refusal = null;
            } catch (ErrnoException e) {
                refusal = e.getMessage();
            }
        }
        if (fanotify == null) {
            if (options.backend() == WatchOptions.Backend.FANOTIFY) {
                options.warnings().accept("fanotify cannot watch " + prefix + " (" + refusal
                        + "); watching with inotify instead");
            }
            return null;
        }
        Fanotify fan = fanotify;
        FanotifyEngine engine = new FanotifyEngine(prefix, options.filter(), e -> coalescer.accept(e,
                System.nanoTime()), fan::path);
        return new Source() {
            @Override
            public void runOnce(int timeoutMillis) throws IOException {
                List<FanotifyEvent> batch = fan.read(timeoutMillis);
                if (!batch.isEmpty()) {
                    engine.process(batch, () -> fan.read(0));
                }
            }

            @Override
            public int watchCount() {
                return 1;
            }

            @Override
            public int unwatchedCount() {
                return 0;
            }

            @Override
            public void close() {
                fan.close();
            }
        };
    }

    /** The kernel interface in use: INOTIFY or FANOTIFY, never AUTO. */
    public WatchOptions.Backend backend() {
        return backend;
    }

    /** Directories watched by the kernel, or 1 for fanotify's one mark (read on the reader thread; approximate). */
    public int watchCount() {
        return source.watchCount();
    }

    /** Directories that got no watch (limit reached) and are rescanned periodically. */
    public int unwatchedCount() {
        return source.unwatchedCount();
    }

    /** Why the reader thread stopped early (a read error, or the listener threw), or null. */
    public Throwable failure() {
        return failure;
    }

    @Override
    public void close() {
        running = false;
        try {
            stopped.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        source.close();
    }
}
