package dev.jrsync.watcher.inotify;

/** Adds and removes kernel watches; tests substitute one that runs out of watches on demand. */
public interface WatchBackend {
    /**
     * @return the watch descriptor
     * @throws ErrnoException ENOSPC at fs.inotify.max_user_watches, ENOENT/EACCES/ENOTDIR for a vanished or
     *                        unreadable path
     */
    int addWatch(String path, int mask) throws ErrnoException;

    void removeWatch(int wd);
}
