package dev.jrsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.testing.CurrentUser;
import dev.jrsync.testing.ProcessResult;
import dev.jrsync.testing.StockClient;
import dev.jrsync.testing.StockRsync;
import dev.jrsync.testing.TestTrees;
import dev.jrsync.testing.TreeAssert;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * rsync over a remote shell ({@code -e}), both ends: stock rsync starting {@code jrsync --server} with
 * {@code --rsync-path}, jrsync starting stock {@code rsync --server}, and jrsync at both ends. The shell is a
 * script that reaches only "localhost" and runs the command it is given through {@code sh -c}, as ssh hands a
 * command to the remote user's shell: the quoting and word splitting on the way are the real ones.
 */
class RemoteShellIT {
    private static final Path LAUNCHER = Path.of("..", "bin", "jrsync").toAbsolutePath().normalize();
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    /** "[-l user] host command...": rsync's remote-shell calling convention, for host "localhost" only. */
    static Path localShell(Path dir) throws IOException {
        Path script = dir.resolve("lsh");
        Files.writeString(script, """
                #!/bin/sh
                [ "$1" = -l ] && shift 2
                [ "$1" = localhost ] || { echo "lsh: unable to connect to host $1" >&2; exit 255; }
                shift
                exec sh -c "$*"
                """);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void aStockClientPushesAndPullsThroughJrsyncServer(StockRsync rsync, @TempDir Path tmp) throws Exception {
        Path shell = localShell(tmp);
        Path src = tmp.resolve("src");
        TestTrees.buildVaried(src, TestTrees.Omit.SPECIALS);
        Path dest = tmp.resolve("dest with space");
        StockClient client = StockClient.of(rsync).timeout(TIMEOUT);
        String[] remote = {"-e", shell.toString(), "--rsync-path=" + LAUNCHER};

        client.run(args(remote, "-a", src + "/", "localhost:" + dest + "/")).assertSuccess();
        TreeAssert.assertIdentical(src, dest, TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));

        // a changed big file goes as a delta, and a name only the destination has is deleted and reported
        TestTrees.editInPlace(src.resolve(TestTrees.BIG_FILE), 7, 3);
        Files.writeString(dest.resolve("stale.txt"), "only here");
        ProcessResult delta = client.run(args(remote, "-ai", "--delete", "--stats", src + "/", "localhost:" + dest + "/"))
                .assertSuccess();
        TreeAssert.assertIdentical(src, dest, TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));
        assertTrue(delta.stdout().contains("*deleting   stale.txt"), delta::transcript);
        assertTrue(delta.stdout().contains(">f.st...... " + TestTrees.BIG_FILE)
                || delta.stdout().contains("<f..t...... " + TestTrees.BIG_FILE)
                || delta.stdout().contains("<f.st...... " + TestTrees.BIG_FILE), delta::transcript);
        assertTrue(statsValue(delta, "Literal data") < TestTrees.BIG_SIZE / 20, delta::transcript);

        Path back = tmp.resolve("back");
        client.run(args(remote, "-a", "localhost:" + src + "/", back + "/")).assertSuccess();
        TreeAssert.assertIdentical(src, back, TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));
        TestTrees.editInPlace(src.resolve(TestTrees.BIG_FILE), 8, 3);
        ProcessResult pulled = client.run(args(remote, "-a", "--stats", "localhost:" + src + "/", back + "/"))
                .assertSuccess();
        TreeAssert.assertIdentical(src, back, TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));
        assertTrue(statsValue(pulled, "Literal data") < TestTrees.BIG_SIZE / 20, pulled::transcript);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void jrsyncPushesAndPullsThroughStockRsyncServer(StockRsync rsync, @TempDir Path tmp) throws Exception {
        Path shell = localShell(tmp);
        Path src = tmp.resolve("src");
        TestTrees.buildVaried(src, TestTrees.Omit.SPECIALS);
        Path dest = tmp.resolve("dest");
        String[] remote = {"-e", shell.toString(), "--rsync-path=" + rsync.binary()};

        Jrsync.run(args(remote, "-a", src + "/", "localhost:" + dest + "/")).assertSuccess();
        TreeAssert.assertIdentical(src, dest, TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));
        TestTrees.editInPlace(src.resolve(TestTrees.BIG_FILE), 9, 3);
        Jrsync pushed = Jrsync.run(args(remote, "-a", "--stats", src + "/", "localhost:" + dest + "/")).assertSuccess();
        TreeAssert.assertIdentical(src, dest, TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));
        assertTrue(pushed.statsValue("Literal data") < TestTrees.BIG_SIZE / 20, pushed::transcript);

        // two sources of one host, the second written ":path" as rsync allows
        Path back = tmp.resolve("back");
        Jrsync.run(args(remote, "-a", "localhost:" + src + "/data", ":" + src + "/small.txt", back + "/"))
                .assertSuccess();
        TreeAssert.assertIdentical(src.resolve("data"), back.resolve("data"),
                TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));
        assertEquals(Files.readString(src.resolve("small.txt")), Files.readString(back.resolve("small.txt")));
        TestTrees.editInPlace(src.resolve(TestTrees.BIG_FILE), 10, 3);
        Jrsync pulled = Jrsync.run(args(remote, "-a", "--stats", "localhost:" + src + "/data", back + "/"))
                .assertSuccess();
        assertTrue(pulled.statsValue("Literal data") < TestTrees.BIG_SIZE / 20, pulled::transcript);
        TreeAssert.assertIdentical(src.resolve("data"), back.resolve("data"),
                TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));
    }

    @Test
    void jrsyncAtBothEndsAndADaemonOverTheShell(@TempDir Path tmp) throws Exception {
        Path shell = localShell(tmp);
        Path src = tmp.resolve("src");
        TestTrees.buildVaried(src, TestTrees.Omit.SPECIALS);
        Path dest = tmp.resolve("dest");
        String[] remote = {"-e", shell.toString(), "--rsync-path=" + LAUNCHER};
        Jrsync.run(args(remote, "-a", "--delete", src + "/", "localhost:" + dest + "/")).assertSuccess();
        TreeAssert.assertIdentical(src, dest, TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));
        Path back = tmp.resolve("back");
        Jrsync.run(args(remote, "-a", "localhost:" + dest + "/", back.toString())).assertSuccess();
        TreeAssert.assertIdentical(src, back, TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));

        // host::module with -e: "--server --daemon ." over the shell, the module's rules applied
        Path module = Files.createDirectories(tmp.resolve("module"));
        Path conf = Files.writeString(tmp.resolve("rsyncd.conf"), "use chroot = no\nmunge symlinks = no\n"
                + (CurrentUser.isRoot() ? "uid = 0\ngid = 0\n" : "")
                + "[mod]\npath = " + module + "\nread only = no\n[ro]\npath = " + module + "\n");
        String[] daemon = {"-e", shell.toString(), "--rsync-path=" + LAUNCHER + " --config=" + conf};
        Jrsync.run(args(daemon, "-a", src + "/", "localhost::mod/")).assertSuccess();
        TreeAssert.assertIdentical(src, module, TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));
        Jrsync refused = Jrsync.run(args(daemon, "-a", src + "/", "localhost::ro/"));
        assertTrue(refused.exitCode() != 0 && refused.stderr().contains("module is read only"), refused::transcript);
        ProcessResult stock = StockClient.of(StockRsync.requireOnPath()).timeout(TIMEOUT)
                .run(args(daemon, "-a", "localhost::mod/", tmp.resolve("fromDaemon") + "/")).assertSuccess();
        TreeAssert.assertIdentical(src, tmp.resolve("fromDaemon"), TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));
        assertEquals(0, stock.exitCode());
    }

    /**
     * A server's own {@code --log-file} (named in {@code --rsync-path}, as rrsync and admins name it): the same lines
     * as stock rsync's server writes for the same push and pull, less the time, the pid and the byte counts.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void aServersLogFileRecordsWhatAStockServersDoes(StockRsync rsync, @TempDir Path tmp) throws Exception {
        Path shell = localShell(tmp);
        Path src = Files.createDirectories(tmp.resolve("src/d"));
        Files.writeString(src.resolve("b"), "b\n");
        Files.writeString(tmp.resolve("src/a"), "a\n");
        StockClient client = StockClient.of(rsync).timeout(TIMEOUT);
        java.util.Map<String, java.util.List<String>> logs = new java.util.TreeMap<>();
        for (String server : new String[] {rsync.binary().toString(), LAUNCHER.toString()}) {
            Path log = tmp.resolve("log-" + logs.size());
            String[] remote = {"-e", shell.toString(), "--rsync-path=" + server + " --log-file=" + log};
            Path dest = tmp.resolve("dest-" + logs.size());
            client.run(args(remote, "-a", tmp.resolve("src") + "/", "localhost:" + dest + "/")).assertSuccess();
            client.run(args(remote, "-a", "localhost:" + dest + "/", tmp.resolve("back-" + logs.size()) + "/"))
                    .assertSuccess();
            // "YYYY/MM/DD HH:MM:SS [PID] " off each line; the closing line's byte counts differ by implementation
            logs.put(server, Files.readAllLines(log).stream().map(l -> l.substring(l.indexOf("] ") + 2))
                    .map(l -> l.startsWith("sent ") ? l.replaceAll("[0-9,]+", "N") : l).toList());
        }
        java.util.List<String> stock = logs.get(rsync.binary().toString());
        assertTrue(stock.contains(">f+++++++++ d/b") && stock.contains("<f+++++++++ a"), stock::toString);
        assertEquals(stock, logs.get(LAUNCHER.toString()));
    }

    @Test
    void aShellThatFailsGivesRsyncsErrors(@TempDir Path tmp) throws Exception {
        Path shell = localShell(tmp);
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("f"), "x");

        Jrsync missing = Jrsync.run("-a", "-e", tmp.resolve("no-such-shell").toString(), src + "/", "localhost:d/");
        assertEquals(14, missing.exitCode(), missing::transcript);
        assertTrue(missing.stderr().contains("Failed to exec " + tmp.resolve("no-such-shell")), missing::transcript);

        Jrsync unreachable = Jrsync.run("-a", "-e", shell.toString(), src + "/", "elsewhere:" + tmp.resolve("d"));
        assertEquals(12, unreachable.exitCode(), unreachable::transcript);
        assertTrue(unreachable.stderr().contains("connection unexpectedly closed"), unreachable::transcript);

        // a login script that prints a greeting corrupts the stream: rsync's "is your shell clean?"
        Path chatty = Files.writeString(tmp.resolve("chatty"), "#!/bin/sh\necho 'Welcome to the host!'\nexec cat\n");
        Files.setPosixFilePermissions(chatty, PosixFilePermissions.fromString("rwx------"));
        Jrsync unclean = Jrsync.run("-a", "-e", chatty.toString(), src + "/", "localhost:d/");
        assertEquals(2, unclean.exitCode(), unclean::transcript);
        assertTrue(unclean.stderr().contains("is your shell clean?"), unclean::transcript);

        // -e ssh is the in-process client (SshIT), here to a port where nothing listens: ssh's 255, rsync's 12
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Jrsync noSshd = Jrsync.run("-a", "-e", "ssh -p " + closed, src + "/", "localhost:d/");
        assertEquals(12, noSshd.exitCode(), noSshd::transcript);
        assertTrue(Files.notExists(Path.of("localhost:d")), "a host:path operand must never become a local name");
    }

    private static String[] args(String[] first, String... rest) {
        String[] all = new String[first.length + rest.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(rest, 0, all, first.length, rest.length);
        return all;
    }

    private static long statsValue(ProcessResult r, String label) {
        for (String line : r.stdout().split("\n")) {
            if (line.startsWith(label + ": ")) {
                return Long.parseLong(line.substring(label.length() + 2).split(" ")[0].replace(",", ""));
            }
        }
        throw new AssertionError("no '" + label + "' line in\n" + r.transcript());
    }
}
