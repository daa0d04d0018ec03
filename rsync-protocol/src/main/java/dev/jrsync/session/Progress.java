package dev.jrsync.session;

import dev.jrsync.core.FileProgress;
import dev.jrsync.core.SessionLog;
import dev.jrsync.flist.FileEntry;

/**
 * The progress of each file sent or received ({@code rsync/progress.c:show_progress} and {@code end_progress}),
 * reported to the session's log as {@link FileProgress} events: when the file starts, and when it ends with the
 * transfer count and how many list entries are left to check.
 */
public final class Progress {
    private final SessionLog log;
    private int transferred;
    private long startNanos;

    /** @param log where the events go; null for none */
    public Progress(SessionLog log) {
        this.log = log;
    }

    /** A file's transfer begins. */
    public void start(FileEntry e) {
        if (log == null) {
            return;
        }
        startNanos = System.nanoTime();
        log.progress(new FileProgress(e.displayName(), 0, e.size(), 0, false, 0, 0, 0, false));
    }

    /**
     * A file's transfer ended with {@code bytes} of its size; {@code ndx} of {@code listSize} entries, more
     * of which may still come ({@code listsToCome}: incremental recursion's "ir-chk").
     */
    public void end(FileEntry e, long bytes, int ndx, int listSize, boolean listsToCome) {
        if (log == null) {
            return;
        }
        transferred++;
        log.progress(new FileProgress(e.displayName(), bytes, e.size(), System.nanoTime() - startNanos, true,
                transferred, listSize - ndx - 1, listSize, listsToCome));
    }
}
