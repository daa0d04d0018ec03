package dev.jrsync.cli;

import dev.jrsync.daemon.DaemonLog;
import dev.jrsync.daemon.RsyncDaemon;
import dev.jrsync.daemon.RsyncdConfig;
import dev.jrsync.testing.CurrentUser;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/** The Java daemon in this JVM, serving one writable module "mod", as the command-line tests push and pull. */
record ModuleDaemon(RsyncDaemon daemon, DaemonLog log, int port) implements AutoCloseable {

    /**
     * Starts the daemon with module "mod" at {@code dst} (plus {@code moduleLines}) on {@code port} (0: a free
     * one), logging to {@code log}.
     */
    static ModuleDaemon start(Path dst, Path log, int port, String moduleLines) throws Exception {
        boolean root = CurrentUser.isRoot();
        var config = RsyncdConfig.parse("use chroot = no\n" + (root ? "uid = 0\ngid = 0\n" : "")
                + "[mod]\npath = " + dst + "\nread only = no\nmunge symlinks = no\n" + moduleLines, "test.conf");
        DaemonLog daemonLog = new DaemonLog(log, null);
        RsyncDaemon daemon = new RsyncDaemon(config, daemonLog);
        return new ModuleDaemon(daemon, daemonLog, daemon.start(new InetSocketAddress("127.0.0.1", port)));
    }

    /** The module's URL. */
    String url() {
        return "rsync://127.0.0.1:" + port + "/mod/";
    }

    @Override
    public void close() {
        daemon.close();
        log.close();
    }
}
