/** The {@code jrsync} command: argv in, the API's events printed as rsync prints them. Exports nothing. */
module dev.jrsync.cli {
    requires dev.jrsync;
    requires dev.jrsync.rsyncd;
    requires dev.jrsync.watcher;
    requires dev.jrsync.mirror;
    requires jdk.unsupported; // sun.misc.Signal: SIGINT ends a transfer with rsync's code 20
    requires jdk.httpserver; // --metrics
    requires micrometer.core;
    requires micrometer.registry.prometheus;
}
