package dev.jrsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.testing.CurrentUser;
import dev.jrsync.testing.ProcessResult;
import dev.jrsync.testing.StockClient;
import dev.jrsync.testing.StockRsync;
import dev.jrsync.testing.TestTrees;
import dev.jrsync.testing.TreeAssert;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jrsync --daemon} started by its client over a socket on stdin ({@code rsync/clientserver.c:daemon_main}'s
 * inetd mode): stock rsync's {@code RSYNC_CONNECT_PROG} runs bin/jrsync as the program at the other end of a
 * socket pair, as rsync's own test suite runs its daemon tests, and no port is opened.
 */
class InetdDaemonIT {
    private static final Path LAUNCHER = Path.of("..", "bin", "jrsync").toAbsolutePath().normalize();

    @Test
    void aStockClientPushesPullsAndListsThroughADaemonOnItsStdin(@TempDir Path tmp) throws Exception {
        StockRsync rsync = StockRsync.requireOnPath();
        Path src = tmp.resolve("src");
        TestTrees.buildVaried(src, TestTrees.Omit.SPECIALS);
        Path module = Files.createDirectories(tmp.resolve("module"));
        Path readOnly = Files.createDirectories(tmp.resolve("ro"));
        Path log = tmp.resolve("rsyncd.log");
        Path conf = Files.writeString(tmp.resolve("rsyncd.conf"), "use chroot = no\nmunge symlinks = no\n"
                + (CurrentUser.isRoot() ? "uid = 0\ngid = 0\n" : "") + "log file = " + log + "\n"
                + "[mod]\npath = " + module + "\nread only = no\ncomment = piped\nhosts allow = 127.0.0.0/8\n"
                + "[ro]\npath = " + readOnly + "\n"
                + "[any]\npath = " + module + "\n");
        StockClient client = StockClient.of(rsync).timeout(Duration.ofSeconds(120))
                .env("RSYNC_CONNECT_PROG", LAUNCHER + " --daemon --config=" + conf);

        client.run("-a", src + "/", "rsync://localhost/mod/").assertSuccess();
        TreeAssert.assertIdentical(src, module, TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));
        Path back = tmp.resolve("back");
        client.run("-a", "rsync://localhost/mod/", back + "/").assertSuccess();
        TreeAssert.assertIdentical(src, back, TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));

        ProcessResult listing = client.run("rsync://localhost/").assertSuccess();
        assertTrue(listing.stdout().contains("mod") && listing.stdout().contains("piped"), listing::transcript);
        ProcessResult refused = client.run("-a", src + "/", "rsync://localhost/ro/");
        assertTrue(refused.exitCode() != 0 && refused.stderr().contains("module is read only"), refused::transcript);
        assertFalse(Files.exists(readOnly.resolve("small.txt")));
        // rsync's sock_exec pairs the sockets over TCP on 127.0.0.1 (socketpair_tcp): the module's hosts allow sees it
        assertTrue(Files.readString(log).contains("(127.0.0.1)"), () -> "no loopback client logged in " + log);

        // A daemon started as a remote shell would start it: "--server --daemon ." on stdin and stdout, socket or
        // not. Its client is 0.0.0.0, as rsync's client_addr has it without SSH_CONNECTION, so this pulls from a
        // module that does not limit hosts.
        Path again = tmp.resolve("again");
        StockClient.of(rsync).timeout(Duration.ofSeconds(120))
                .env("RSYNC_CONNECT_PROG", LAUNCHER + " --config=" + conf + " --server --daemon .")
                .run("-a", "rsync://localhost/any/", again + "/").assertSuccess();
        TreeAssert.assertIdentical(src, again, TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));
    }

    /**
     * jrsync as the client: RSYNC_CONNECT_PROG starts stock rsync's daemon, then jrsync's, on a loopback TCP pair
     * as rsync's own client makes, so a module that allows only 127.0.0.0/8 admits it.
     */
    @Test
    void jrsyncReachesADaemonThroughRsyncConnectProg(@TempDir Path tmp) throws Exception {
        StockRsync rsync = StockRsync.requireOnPath();
        Path src = tmp.resolve("src");
        TestTrees.buildVaried(src, TestTrees.Omit.SPECIALS);
        for (String daemon : new String[] {rsync.binary() + " --daemon", LAUNCHER + " --daemon"}) {
            Path module = Files.createDirectories(tmp.resolve("module-" + daemon.hashCode()));
            Path conf = Files.writeString(tmp.resolve("rsyncd.conf"), "use chroot = no\nmunge symlinks = no\n"
                    + (CurrentUser.isRoot() ? "uid = 0\ngid = 0\n" : "") + "[mod]\npath = " + module
                    + "\nread only = no\nhosts allow = 127.0.0.0/8\n");
            Map<String, String> env = Map.of("RSYNC_CONNECT_PROG", daemon + " --config=" + conf);
            String[] pushed = LauncherIT.run(env, "-a", src + "/", "rsync://%H-is-not-used/mod/");
            assertEquals("0", pushed[0], () -> daemon + ": " + pushed[1] + pushed[2]);
            TreeAssert.assertIdentical(src, module, TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));
            Path back = tmp.resolve("back-" + daemon.hashCode());
            String[] pulled = LauncherIT.run(env, "-a", "rsync://localhost/mod/", back + "/");
            assertEquals("0", pulled[0], () -> daemon + ": " + pulled[1] + pulled[2]);
            TreeAssert.assertIdentical(src, back, TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));
        }
        String[] failed = LauncherIT.run(Map.of("RSYNC_CONNECT_PROG", "exit 3"), "-a", src + "/", "rsync://h/mod/");
        assertTrue(!failed[0].equals("0") && failed[2].contains("connection unexpectedly closed"),
                () -> failed[0] + " " + failed[2]);
    }
}
