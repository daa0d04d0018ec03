package dev.jrsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.jrsync.fs.Posix;
import dev.jrsync.testing.ProcessResult;
import dev.jrsync.testing.StockClient;
import dev.jrsync.testing.StockDaemon;
import dev.jrsync.testing.StockRsync;
import dev.jrsync.testing.TestTrees;
import dev.jrsync.testing.TreeAssert;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code -U} and {@code --open-noatime} against the real peers: jrsync as client of a stock daemon (push and pull),
 * as daemon of a stock client, and a local copy beside stock's. The source's files have access times of their own,
 * older than their mtimes, so that any read of them on a relatime mount moves them: a copy must carry the times the
 * sender listed, and a sender with {@code --open-noatime} must leave them where they were. A second run after one
 * atime changed updates just that file, itemized 'u' in the 9th column as stock itemizes it.
 */
class AtimesIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    /** 2001-02-03 17:17:42 UTC, as rsync's suite sets it. */
    private static final long OLD = 981_220_662L;
    private static final List<String> CHANGED = List.of(".f......u.. a");

    private static Path tree(Path tmp) throws IOException {
        Path src = tmp.resolve("src");
        Files.createDirectories(src.resolve("dir"));
        Files.writeString(src.resolve("a"), "contents of a\n");
        Files.writeString(src.resolve("dir/b"), "contents of b\n");
        Files.writeString(src.resolve("dir/c"), "contents of c\n");
        Files.writeString(src.resolve("empty"), "");
        Files.createSymbolicLink(src.resolve("link"), Path.of("a"));
        // a receiver retouches a directory's or a symlink's mtime only when it differs in whole seconds
        TestTrees.setMtime(src.resolve("dir"), Instant.parse("2021-03-04T05:06:07.5Z"));
        TestTrees.setMtime(src.resolve("link"), Instant.parse("2021-03-04T05:06:08.5Z"));
        Posix.setAtime(src.resolve("a"), OLD);
        Posix.setAtime(src.resolve("dir/b"), OLD + 100);
        Posix.setAtime(src.resolve("dir/c"), OLD + 100); // the same as the previous entry's: XMIT_SAME_ATIME
        Posix.setAtime(src.resolve("empty"), OLD + 200);
        return src;
    }

    /** A changed atime, still older than the file's mtime. */
    private static void change(Path src) throws IOException {
        Posix.setAtime(src.resolve("a"), OLD + 5000);
    }

    /**
     * {@code dest} has the atimes {@code expected} lists, and is otherwise the source's copy. Comparing the contents
     * reads both trees, so their atimes are then put back as they were, for the next run to find.
     */
    private static void assertCopy(Path src, Map<String, Long> expected, Path dest) throws IOException {
        assertEquals(expected, TreeAssert.atimes(dest), "atimes of " + dest);
        TreeAssert.assertIdentical(src, dest, TreeAssert.exact(TreeAssert.Option.IGNORE_ROOT_MTIME));
        for (Map.Entry<String, Long> e : expected.entrySet()) {
            Posix.setAtime(src.resolve(e.getKey()), e.getValue());
            Posix.setAtime(dest.resolve(e.getKey()), e.getValue());
        }
    }


    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void pushAndPullWithAStockDaemon(StockRsync rsync, @TempDir Path tmp) throws IOException {
        Path src = tree(tmp);
        Map<String, Long> listed = TreeAssert.atimes(src);
        Path mod = Files.createDirectories(tmp.resolve("mod"));
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("m", mod).readOnly(false)).start()) {
            Jrsync.run("-aU", "--open-noatime", src + "/", daemon.url("m") + "t/").assertSuccess();
            assertEquals(listed, TreeAssert.atimes(src), "--open-noatime moved the source's atimes");
            assertCopy(src, listed, mod.resolve("t"));

            change(src);
            listed = TreeAssert.atimes(src);
            Jrsync push = Jrsync.run("-aUi", "--open-noatime", src + "/", daemon.url("m") + "t/").assertSuccess();
            assertEquals(CHANGED, Jrsync.items(push.stdout()), push::transcript);
            assertCopy(src, listed, mod.resolve("t"));

            // the stock sender is told --open-noatime, and -UU says it too; rsync 3.2.7 (as built here) moves the
            // atimes of what it sends even so, in a local copy of its own as well
            boolean keeps = rsync.atLeast(3, 5, 0);
            Map<String, Long> served = TreeAssert.atimes(mod.resolve("t"));
            Jrsync.run("-aU", "--open-noatime", daemon.url("m") + "t/", tmp.resolve("back") + "/").assertSuccess();
            if (keeps) {
                assertEquals(served, TreeAssert.atimes(mod.resolve("t")), "the daemon's sender moved its atimes");
            }
            assertCopy(src, served, tmp.resolve("back"));
            served = TreeAssert.atimes(mod.resolve("t"));
            Jrsync.run("-aUU", daemon.url("m") + "t/", tmp.resolve("back2") + "/").assertSuccess();
            if (keeps) {
                assertEquals(served, TreeAssert.atimes(mod.resolve("t")), "-UU: the daemon's sender moved its atimes");
            }
            assertCopy(src, served, tmp.resolve("back2"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void aStockClientPushesAndPullsWithTheJavaDaemon(StockRsync rsync, @TempDir Path tmp) throws Exception {
        Path src = tree(tmp);
        Map<String, Long> listed = TreeAssert.atimes(src);
        Path mod = Files.createDirectories(tmp.resolve("mod"));
        StockClient client = StockClient.of(rsync).timeout(TIMEOUT);
        try (ModuleDaemon daemon = ModuleDaemon.start(mod, tmp.resolve("rsyncd.log"), 0, "")) {
            client.run("-aU", "--open-noatime", src + "/", daemon.url() + "t/").assertSuccess();
            assertCopy(src, listed, mod.resolve("t"));

            change(src);
            listed = TreeAssert.atimes(src);
            ProcessResult push = client.run("-aUi", "--open-noatime", src + "/", daemon.url() + "t/").assertSuccess();
            assertEquals(CHANGED, Jrsync.items(push.stdout()), push::transcript);
            assertCopy(src, listed, mod.resolve("t"));

            Map<String, Long> served = TreeAssert.atimes(mod.resolve("t"));
            client.run("-aU", "--open-noatime", daemon.url() + "t/", tmp.resolve("back") + "/").assertSuccess();
            assertEquals(served, TreeAssert.atimes(mod.resolve("t")), "the Java daemon's sender moved its atimes");
            assertCopy(src, listed, tmp.resolve("back"));
            client.run("-aUU", daemon.url() + "t/", tmp.resolve("back2") + "/").assertSuccess();
            assertEquals(served, TreeAssert.atimes(mod.resolve("t")), "-UU: the Java daemon's sender moved its atimes");
            assertCopy(src, listed, tmp.resolve("back2"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void eitherEndOfARemoteShell(StockRsync rsync, @TempDir Path tmp) throws Exception {
        Path src = tree(tmp);
        Map<String, Long> listed = TreeAssert.atimes(src);
        String rsh = "-e" + RemoteShellIT.localShell(tmp);
        String jrsyncPath = "--rsync-path=" + Path.of("..", "bin", "jrsync").toAbsolutePath().normalize();
        String stockPath = "--rsync-path=" + rsync.binary();
        StockClient client = StockClient.of(rsync).timeout(TIMEOUT);
        Path dest = tmp.resolve("dest");
        client.run(rsh, jrsyncPath, "-aU", src + "/", "localhost:" + dest + "/").assertSuccess();
        assertCopy(src, listed, dest);
        // jrsync --server --sender is told --open-noatime
        client.run(rsh, jrsyncPath, "-aU", "--open-noatime", "localhost:" + dest + "/", tmp.resolve("back") + "/")
                .assertSuccess();
        assertEquals(listed, TreeAssert.atimes(dest), "jrsync's server sender moved its atimes");
        assertCopy(src, listed, tmp.resolve("back"));

        Path ours = tmp.resolve("ours");
        Jrsync.run(rsh, stockPath, "-aU", "--open-noatime", src + "/", "localhost:" + ours + "/").assertSuccess();
        assertCopy(src, listed, ours);
        change(src);
        listed = TreeAssert.atimes(src);
        Jrsync push = Jrsync.run(rsh, stockPath, "-aUi", "--open-noatime", src + "/", "localhost:" + ours + "/")
                .assertSuccess();
        assertEquals(CHANGED, Jrsync.items(push.stdout()), push::transcript);
        assertEquals(listed, TreeAssert.atimes(src), "--open-noatime moved the source's atimes");
        assertCopy(src, listed, ours);
        ProcessResult pull = client.run(rsh, jrsyncPath, "-aUi", "localhost:" + ours + "/", tmp.resolve("back") + "/")
                .assertSuccess();
        assertEquals(CHANGED, Jrsync.items(pull.stdout()), pull::transcript);
    }

    /** A local copy, then the change, itemized as stock rsync itemizes its own copy; without the option a read moves atimes. */
    @Test
    void localCopyKeepsAtimesAndSaysWhatStockSays(@TempDir Path tmp) throws IOException {
        StockRsync rsync = StockRsync.requireOnPath();
        Path src = tree(tmp);
        Map<String, Long> listed = TreeAssert.atimes(src);
        Path ours = tmp.resolve("ours");
        Path theirs = tmp.resolve("theirs");
        Jrsync.run("-aU", "--open-noatime", src + "/", ours + "/").assertSuccess();
        assertEquals(listed, TreeAssert.atimes(src), "--open-noatime moved the source's atimes");
        StockClient.of(rsync).run("-aU", "--open-noatime", src + "/", theirs + "/").assertSuccess();
        assertCopy(src, listed, ours);
        assertCopy(src, listed, theirs);

        change(src);
        listed = TreeAssert.atimes(src);
        Jrsync mine = Jrsync.run("-aUi", "--open-noatime", src + "/", ours + "/").assertSuccess();
        ProcessResult stock = StockClient.of(rsync).run("-aUi", "--open-noatime", src + "/", theirs + "/")
                .assertSuccess();
        assertEquals(Jrsync.items(stock.stdout()), Jrsync.items(mine.stdout()), mine::transcript);
        assertEquals(CHANGED, Jrsync.items(mine.stdout()));
        assertCopy(src, listed, ours);
        assertCopy(src, listed, theirs);

        // the control: a sender without the option reads a's data and the kernel moves its atime
        Jrsync.run("-aU", src + "/", tmp.resolve("plain") + "/").assertSuccess();
        assertEquals(listed, TreeAssert.atimes(tmp.resolve("plain")), "the copy has the atimes listed");
        assertNotEquals(listed.get("a"), TreeAssert.atimes(src).get("a"), "reading without O_NOATIME kept a's atime");
    }
}
