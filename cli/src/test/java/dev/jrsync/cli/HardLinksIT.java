package dev.jrsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code -H} against the real peers: the destination has the source's hard-link groups (by inode), its contents
 * and attributes, whichever side jrsync plays (client of a stock daemon, Java daemon of a stock client, either end
 * of a remote shell, local copy), in protocols 32 and 29, and a changed linked file still goes as a delta.
 */
class HardLinksIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final int BIG = 1 << 20;

    /**
     * Three names of a 1 MiB file (one deep below), two of a small one, two of a symlink, a lone file, and a file
     * whose other name lies outside the tree (it must arrive as a plain file).
     */
    private static Path tree(Path tmp) throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src/deep/er"));
        src = tmp.resolve("src");
        TestTrees.writeRandom(src.resolve("big"), BIG, 1);
        Files.createLink(src.resolve("big.2"), src.resolve("big"));
        Files.createLink(src.resolve("deep/er/big.3"), src.resolve("big"));
        Files.writeString(src.resolve("a"), "small\n");
        Files.createLink(src.resolve("deep/b"), src.resolve("a"));
        Files.createSymbolicLink(src.resolve("sl"), Path.of("a"));
        Files.createLink(src.resolve("sl.2"), src.resolve("sl"));
        Files.writeString(src.resolve("lone"), "one name\n");
        Files.writeString(src.resolve("half"), "other name outside\n");
        Files.createLink(tmp.resolve("outside"), src.resolve("half"));
        // rsync 3.2.7's receiver retouches a directory's mtime only when it differs in whole seconds: directories
        // written to within the second they were made would keep their write time there
        for (String dir : List.of("deep/er", "deep")) {
            TestTrees.setMtime(src.resolve(dir), Instant.parse("2021-03-04T05:06:07.5Z"));
        }
        return src;
    }

    private static void assertSameTree(Path src, Path dest) {
        assertSameTree(src, dest, "32");
    }

    /** Protocol 29 carries mtimes in whole seconds. */
    private static void assertSameTree(Path src, Path dest, String protocol) {
        List<TreeAssert.Option> options = new ArrayList<>(List.of(TreeAssert.exact(
                TreeAssert.Option.IGNORE_ROOT_MTIME, TreeAssert.Option.IGNORE_SYMLINK_MTIMES)));
        if (protocol.equals("29")) {
            options.remove(TreeAssert.Option.NANOSECONDS);
        }
        TreeAssert.assertIdentical(src, dest, options.toArray(TreeAssert.Option[]::new));
        Set<Set<String>> groups = TreeAssert.hardLinkGroups(src);
        assertEquals(Set.of(Set.of("big", "big.2", "deep/er/big.3"), Set.of("a", "deep/b"), Set.of("sl", "sl.2")),
                groups, "the source as built");
        assertEquals(groups, TreeAssert.hardLinkGroups(dest), "hard links of " + dest);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void pushAndPullWithAStockDaemon(StockRsync rsync, @TempDir Path tmp) throws IOException {
        Path src = tree(tmp);
        Path mod = Files.createDirectories(tmp.resolve("mod"));
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("m", mod).readOnly(false)).start()) {
            Jrsync.run("-aH", src + "/", daemon.url("m") + "t/").assertSuccess();
            assertSameTree(src, mod.resolve("t"));

            // a linked file changed in place goes as a delta, and its names stay one file
            TestTrees.editInPlace(src.resolve("big"), 2, 3);
            Jrsync delta = Jrsync.run("-aH", "--stats", src + "/", daemon.url("m") + "t/").assertSuccess();
            assertSameTree(src, mod.resolve("t"));
            assertTrue(delta.statsValue("Literal data") < BIG / 20, delta::transcript);

            for (String protocol : List.of("32", "29")) {
                Path back = tmp.resolve("back" + protocol);
                Jrsync.run("-aH", "--protocol=" + protocol, daemon.url("m") + "t/", back + "/").assertSuccess();
                assertSameTree(src, back, protocol);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void aStockClientPushesAndPullsWithTheJavaDaemon(StockRsync rsync, @TempDir Path tmp) throws Exception {
        Path src = tree(tmp);
        Path mod = Files.createDirectories(tmp.resolve("mod"));
        StockClient client = StockClient.of(rsync).timeout(TIMEOUT);
        try (ModuleDaemon daemon = ModuleDaemon.start(mod, tmp.resolve("rsyncd.log"), 0, "")) {
            client.run("-aH", src + "/", daemon.url() + "t/").assertSuccess();
            assertSameTree(src, mod.resolve("t"));
            ProcessResult again = client.run("-aHi", src + "/", daemon.url() + "t/").assertSuccess();
            assertEquals("", again.stdout(), again::transcript); // nothing to do, nothing said
            Path back = tmp.resolve("back");
            client.run("-aH", "--protocol=29", daemon.url() + "t/", back + "/").assertSuccess();
            assertSameTree(src, back, "29");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void aStockClientUsesJrsyncServerOverARemoteShell(StockRsync rsync, @TempDir Path tmp) throws Exception {
        Path src = tree(tmp);
        Path shell = RemoteShellIT.localShell(tmp);
        Path launcher = Path.of("..", "bin", "jrsync").toAbsolutePath().normalize();
        StockClient client = StockClient.of(rsync).timeout(TIMEOUT);
        String rsh = "-e" + shell;
        String path = "--rsync-path=" + launcher;
        client.run(rsh, path, "-aH", src + "/", "localhost:" + tmp.resolve("dest") + "/").assertSuccess();
        assertSameTree(src, tmp.resolve("dest"));
        client.run(rsh, path, "-aH", "localhost:" + src + "/", tmp.resolve("back") + "/").assertSuccess();
        assertSameTree(src, tmp.resolve("back"));
    }

    /** A local copy, then the changes rsync's own hardlinks test makes, itemized as stock rsync itemizes them. */
    @Test
    void localCopyRelinksWhatChangedAndSaysWhatStockSays(@TempDir Path tmp) throws IOException {
        StockRsync rsync = StockRsync.requireOnPath();
        Path src = tree(tmp);
        Path ours = tmp.resolve("ours");
        Path theirs = tmp.resolve("theirs");
        Jrsync.run("-aH", src + "/", ours + "/").assertSuccess();
        assertSameTree(src, ours);
        StockClient.of(rsync).run("-aH", src + "/", theirs + "/").assertSuccess();

        for (Path dest : List.of(ours, theirs)) {
            Files.writeString(dest.resolve("a"), "extra\n", java.nio.file.StandardOpenOption.APPEND); // both names
            Files.delete(dest.resolve("deep/er/big.3"));
            Files.writeString(dest.resolve("deep/er/big.3"), "a stranger\n");
        }
        Jrsync mine = Jrsync.run("-aHi", "--no-W", src + "/", ours + "/").assertSuccess();
        ProcessResult stock = StockClient.of(rsync).run("-aHi", "--no-W", src + "/", theirs + "/").assertSuccess();
        assertSameTree(src, ours);
        assertEquals(stock.stdout().lines().filter(l -> !l.startsWith(".d")).sorted().toList(),
                mine.stdout().lines().filter(l -> !l.startsWith(".d")).sorted().toList());
        assertTrue(mine.stdout().contains(" deep/er/big.3 => big\n"), mine::transcript);

        Jrsync quiet = Jrsync.run("-aHi", src + "/", ours + "/").assertSuccess();
        assertFalse(quiet.stdout().contains("=>"), quiet::transcript);
        TreeAssert.assertNoTempFiles(ours);
    }
}
