package dev.jrsync.daemon;

import dev.jrsync.testing.CurrentUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Our daemon, in-process on a free loopback port, configured from an rsyncd.conf text. */
final class JavaDaemon implements AutoCloseable {
    final RsyncDaemon daemon;
    final int port;
    final Path logFile;
    private final DaemonLog daemonLog;

    private JavaDaemon(RsyncDaemon daemon, int port, Path logFile, DaemonLog daemonLog) {
        this.daemon = daemon;
        this.port = port;
        this.logFile = logFile;
        this.daemonLog = daemonLog;
    }

    /**
     * Global rsyncd.conf lines that keep a test daemon run as root what it was before modules took their
     * identity: no chroot, and uid/gid 0 (the default, nobody, could neither read the test's private
     * temporary directories nor keep file ownership), as {@code StockDaemon} does for stock daemons.
     */
    static String asTestUser() {
        return "use chroot = no\n" + (CurrentUser.isRoot() ? "uid = 0\ngid = 0\n" : "");
    }

    static JavaDaemon start(Path workDir, String confText, Duration handshakeTimeout) {
        try {
            Files.createDirectories(workDir);
            Path conf = Files.writeString(workDir.resolve("rsyncd.conf"), confText);
            Path log = workDir.resolve("rsyncd.log");
            DaemonLog daemonLog = new DaemonLog(log, null);
            RsyncDaemon d = new RsyncDaemon(RsyncdConfig.load(conf), daemonLog).handshakeTimeout(handshakeTimeout);
            int port = d.start(new InetSocketAddress("127.0.0.1", 0));
            return new JavaDaemon(d, port, log, daemonLog);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String url(String path) {
        return "rsync://127.0.0.1:" + port + "/" + path;
    }

    String log() {
        try {
            return Files.exists(logFile) ? Files.readString(logFile) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        daemon.close();
        daemonLog.close();
    }
}
