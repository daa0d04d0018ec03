package dev.jrsync.watcher.tree;

import dev.jrsync.watcher.inotify.ErrnoException;
import dev.jrsync.watcher.inotify.Inotify;
import dev.jrsync.watcher.inotify.InotifyEvent;
import java.util.List;

/** Reads the kernel queue and feeds the engine; one call is one poll with a timeout, so callers stay in control. */
public final class EventLoop {
    /** Short enough to end move windows and notice shutdown promptly, long enough to cost nothing when idle. */
    private static final int BUSY_POLL_MILLIS = 50;

    private final Inotify inotify;
    private final WatchEngine engine;

    public EventLoop(Inotify inotify, WatchEngine engine) {
        this.inotify = inotify;
        this.engine = engine;
    }

    /** Waits up to {@code timeoutMillis} (less while the engine waits on time); returns how many events came. */
    public int runOnce(int timeoutMillis) throws ErrnoException {
        int wait = engine.waitingOnTime() ? Math.min(timeoutMillis, BUSY_POLL_MILLIS) : timeoutMillis;
        List<InotifyEvent> batch = inotify.read(wait);
        engine.process(batch, System.nanoTime());
        return batch.size();
    }
}
