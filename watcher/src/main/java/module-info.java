/** Linux inotify and fanotify through FFM, and the watched tree; jrsync's mirror and command are its only users. */
module dev.jrsync.watcher {
    requires dev.jrsync;

    exports dev.jrsync.watcher to dev.jrsync.mirror;
    exports dev.jrsync.watcher.inotify to dev.jrsync.cli;
    exports dev.jrsync.watcher.tree to dev.jrsync.cli;
}
