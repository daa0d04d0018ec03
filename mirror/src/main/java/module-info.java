/**
 * The live mirror ({@code --watch}). Java users start one through {@code dev.jrsync.api.mirror}; its spec is built
 * from the core's {@code TransferSpec}, hence the transitive requirement.
 */
module dev.jrsync.mirror {
    requires transitive dev.jrsync;
    requires dev.jrsync.watcher;

    exports dev.jrsync.api.mirror;

    exports dev.jrsync.mirror to dev.jrsync.cli;
}
