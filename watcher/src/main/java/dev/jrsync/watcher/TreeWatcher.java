package dev.jrsync.watcher;

import dev.jrsync.watcher.inotify.ErrnoException;
import dev.jrsync.watcher.inotify.Inotify;
import dev.jrsync.watcher.inotify.InotifyLimits;
import dev.jrsync.watcher.inotify.InotifyMask;
import dev.jrsync.watcher.tree.EngineOptions;
import dev.jrsync.watcher.tree.EventLoop;
import dev.jrsync.watcher.tree.WatchEngine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Watches a directory tree recursively and hands path-level changes, relative to the root, to a listener on a
 * dedicated reader thread, one batch per kernel read. Closing stops the thread and closes the inotify descriptor.
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

    private final Inotify inotify;
    private final WatchEngine engine;
    private final Thread reader;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile Throwable failure;

    private TreeWatcher(Inotify inotify, WatchEngine engine, EventLoop loop, ChangeCoalescer coalescer,
                        Consumer<List<PathChange>> listener) {
        this.inotify = inotify;
        this.engine = engine;
        this.reader = Thread.ofPlatform().daemon().name("jrsync-watcher").unstarted(() -> {
            try {
                while (running) {
                    loop.runOnce(coalescer.hasPending() ? 50 : POLL_MILLIS);
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
     * Watches {@code root} and everything below it; returns once every watch is established.
     *
     * @throws IOException if the root cannot be watched, or no inotify instance is available (the message names
     *                     fs.inotify.max_user_instances and the sysctl line that raises it)
     */
    public static TreeWatcher start(Path root, WatchOptions options, Consumer<List<PathChange>> listener)
            throws IOException {
        String prefix = root.toAbsolutePath().normalize() + "/";
        InotifyLimits limits = InotifyLimits.read();
        Inotify inotify;
        try {
            inotify = Inotify.open();
        } catch (ErrnoException e) {
            throw e.errno() == ErrnoException.EMFILE ? new IOException(limits.instanceLimitMessage(), e) : e;
        }
        long window = options.moveWindow().toNanos();
        ChangeCoalescer coalescer = new ChangeCoalescer(prefix, options.filter(), window);
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
        TreeWatcher watcher = new TreeWatcher(inotify, engine, new EventLoop(inotify, engine), coalescer, listener);
        watcher.reader.start();
        return watcher;
    }

    /** Directories watched by the kernel (read on the reader thread; approximate while it runs). */
    public int watchCount() {
        return engine.watchCount();
    }

    /** Directories that got no watch (limit reached) and are rescanned periodically. */
    public int unwatchedCount() {
        return engine.unwatchedCount();
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
        inotify.close();
    }
}
