package dev.jrsync.watcher.tree;

import dev.jrsync.watcher.inotify.EventKind;

/**
 * A kernel event with its watch descriptor resolved to the watched path, spelled as inotifywait spells it: the
 * directory with a trailing slash (or a watched file's own path) and the name inside it. {@code synthetic} marks
 * events made up from a scan (a directory's contents found when its watch was added, or a rescan of an unwatched
 * directory) rather than read from the kernel.
 */
public record TreeEvent(int mask, int cookie, String watchPath, String name, boolean synthetic) {
    public boolean is(EventKind kind) {
        return kind.in(mask);
    }

    public boolean isDir() {
        return is(EventKind.ISDIR);
    }

    /** The full path: watch path and name, as inotifywait's {@code %w%f}. */
    public String path() {
        return watchPath + name;
    }
}
