/** The live mirror ({@code --watch}); jrsync's command is its only user. */
module dev.jrsync.mirror {
    requires dev.jrsync;
    requires dev.jrsync.watcher;

    exports dev.jrsync.mirror to dev.jrsync.cli;
}
