package dev.jrsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.fs.Posix;
import dev.jrsync.fs.Xattrs;
import dev.jrsync.testing.CurrentUser;
import dev.jrsync.testing.ProcessResult;
import dev.jrsync.testing.StockClient;
import dev.jrsync.testing.StockDaemon;
import dev.jrsync.testing.StockRsync;
import dev.jrsync.testing.TestTrees;
import dev.jrsync.testing.TreeAssert;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code -X} against the real peers, in every role jrsync plays: client of a stock daemon (push and pull), Java
 * daemon of a stock client, either end of a remote shell, and a local copy. The tree has small values, values
 * longer than 32 bytes (which travel as their digest and are asked for by the receiving generator), a name with a
 * non-ASCII byte, a set several files share, and a file with none. A second run after one value changed, one
 * removed and one added updates just those, itemized 'x' in the 11th column, and every file's whole attribute set
 * is compared.
 */
class XattrsIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    /** "user.café" with the e-acute as one Latin-1 byte: names are bytes. */
    private static final byte[] CAFE = Arrays.copyOf("user.caf".getBytes(StandardCharsets.US_ASCII), 9);

    static {
        CAFE[8] = (byte) 0xE9;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static void set(Path p, String name, String value) throws IOException {
        Xattrs.lset(p, ascii(name), ascii(value));
    }

    private static Path tree(Path tmp) throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src/dir"));
        src = tmp.resolve("src");
        String longValue = "a value longer than MAX_FULL_DATUM, sent as its MD5 first";
        for (String f : List.of("a", "dir/b", "dir/c")) {
            Files.writeString(src.resolve(f), "contents of " + f + "\n");
        }
        Files.writeString(src.resolve("plain"), "no attributes\n");
        for (Path p : List.of(src.resolve("a"), src.resolve("dir/c"))) { // one set, sent once and then by index
            set(p, "user.small", "v1");
            set(p, "user.long", longValue);
            Xattrs.lset(p, CAFE, ascii("x"));
        }
        set(src.resolve("dir/b"), "user.long", longValue);
        set(src.resolve("dir/b"), "user.other", "another long value, 40 bytes or so ....");
        set(src.resolve("dir"), "user.dirattr", "on a directory");
        set(src.resolve("dir"), "user.dirlong", "a directory's own long value, over 32 bytes");
        // rsync 3.2.7's receiver retouches a directory's mtime only when it differs in whole seconds
        TestTrees.setMtime(src.resolve("dir"), Instant.parse("2021-03-04T05:06:07.5Z"));
        return src;
    }

    /** One value changed (short to long), one removed, one added; the rest as it was. */
    private static void change(Path src) throws IOException {
        set(src.resolve("a"), "user.small", "now longer than thirty-two bytes, so it is abbreviated");
        Xattrs.lremove(src.resolve("dir/b"), ascii("user.other"));
        set(src.resolve("dir"), "user.added", "x");
    }

    private static final List<String> CHANGED = List.of(".d........x dir/", ".f........x a", ".f........x dir/b");

    private static void assertSameTree(Path src, Path dest) {
        TreeAssert.assertIdentical(src, dest, TreeAssert.exact(TreeAssert.Option.IGNORE_ROOT_MTIME));
        Map<String, Map<String, String>> expected = TreeAssert.userXattrs(src);
        assertEquals(3, expected.get("a").size(), "the source as built: " + expected);
        assertTrue(expected.get("plain").isEmpty(), "the source as built: " + expected);
        assertEquals(expected, TreeAssert.userXattrs(dest), "extended attributes of " + dest);
    }


    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void pushAndPullWithAStockDaemon(StockRsync rsync, @TempDir Path tmp) throws IOException {
        Path src = tree(tmp);
        Path mod = Files.createDirectories(tmp.resolve("mod"));
        Path back = tmp.resolve("back");
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("m", mod).readOnly(false)).start()) {
            Jrsync.run("-aX", src + "/", daemon.url("m") + "t/").assertSuccess();
            assertSameTree(src, mod.resolve("t"));
            Jrsync.run("-aX", daemon.url("m") + "t/", back + "/").assertSuccess();
            assertSameTree(src, back);

            change(src);
            Jrsync push = Jrsync.run("-aXi", src + "/", daemon.url("m") + "t/").assertSuccess();
            assertEquals(CHANGED, Jrsync.items(push.stdout()), push::transcript);
            assertSameTree(src, mod.resolve("t"));
            Jrsync pull = Jrsync.run("-aXi", daemon.url("m") + "t/", back + "/").assertSuccess();
            assertEquals(CHANGED, Jrsync.items(pull.stdout()), pull::transcript);
            assertSameTree(src, back);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void aStockClientPushesAndPullsWithTheJavaDaemon(StockRsync rsync, @TempDir Path tmp) throws Exception {
        Path src = tree(tmp);
        Path mod = Files.createDirectories(tmp.resolve("mod"));
        Path back = tmp.resolve("back");
        StockClient client = StockClient.of(rsync).timeout(TIMEOUT);
        try (ModuleDaemon daemon = ModuleDaemon.start(mod, tmp.resolve("rsyncd.log"), 0, "")) {
            client.run("-aX", src + "/", daemon.url() + "t/").assertSuccess();
            assertSameTree(src, mod.resolve("t"));
            client.run("-aX", daemon.url() + "t/", back + "/").assertSuccess();
            assertSameTree(src, back);

            change(src);
            ProcessResult push = client.run("-aXi", src + "/", daemon.url() + "t/").assertSuccess();
            assertEquals(CHANGED, Jrsync.items(push.stdout()), push::transcript);
            assertSameTree(src, mod.resolve("t"));
            ProcessResult pull = client.run("-aXi", daemon.url() + "t/", back + "/").assertSuccess();
            assertEquals(CHANGED, Jrsync.items(pull.stdout()), pull::transcript);
            assertSameTree(src, back);
            ProcessResult again = client.run("-aXi", src + "/", daemon.url() + "t/").assertSuccess();
            assertEquals("", again.stdout(), again::transcript); // nothing left to do, nothing said
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void eitherEndOfARemoteShell(StockRsync rsync, @TempDir Path tmp) throws Exception {
        Path src = tree(tmp);
        Path shell = RemoteShellIT.localShell(tmp);
        String jrsyncPath = "--rsync-path=" + Path.of("..", "bin", "jrsync").toAbsolutePath().normalize();
        String stockPath = "--rsync-path=" + rsync.binary();
        StockClient client = StockClient.of(rsync).timeout(TIMEOUT);
        String rsh = "-e" + shell;
        // a stock client and jrsync --server, both ways
        client.run(rsh, jrsyncPath, "-aX", src + "/", "localhost:" + tmp.resolve("dest") + "/").assertSuccess();
        assertSameTree(src, tmp.resolve("dest"));
        client.run(rsh, jrsyncPath, "-aX", "localhost:" + src + "/", tmp.resolve("back") + "/").assertSuccess();
        assertSameTree(src, tmp.resolve("back"));
        // jrsync as the client of a stock server
        Jrsync.run(rsh, stockPath, "-aX", src + "/", "localhost:" + tmp.resolve("dest2") + "/").assertSuccess();
        assertSameTree(src, tmp.resolve("dest2"));

        change(src);
        ProcessResult push = client.run(rsh, jrsyncPath, "-aXi", src + "/", "localhost:" + tmp.resolve("dest") + "/")
                .assertSuccess();
        assertEquals(CHANGED, Jrsync.items(push.stdout()), push::transcript);
        assertSameTree(src, tmp.resolve("dest"));
        ProcessResult pull = client.run(rsh, jrsyncPath, "-aXi", "localhost:" + src + "/", tmp.resolve("back") + "/")
                .assertSuccess();
        assertEquals(CHANGED, Jrsync.items(pull.stdout()), pull::transcript);
        assertSameTree(src, tmp.resolve("back"));
        Jrsync pull2 = Jrsync.run(rsh, stockPath, "-aXi", "localhost:" + tmp.resolve("dest") + "/",
                tmp.resolve("dest2") + "/").assertSuccess();
        assertEquals(CHANGED, Jrsync.items(pull2.stdout()), pull2::transcript);
        assertSameTree(src, tmp.resolve("dest2"));
    }

    /** A local copy, then the change, itemized as stock rsync itemizes its own copy. */
    @Test
    void localCopyUpdatesWhatChangedAndSaysWhatStockSays(@TempDir Path tmp) throws IOException {
        StockRsync rsync = StockRsync.requireOnPath();
        Path src = tree(tmp);
        Path ours = tmp.resolve("ours");
        Path theirs = tmp.resolve("theirs");
        Jrsync.run("-aX", src + "/", ours + "/").assertSuccess();
        assertSameTree(src, ours);
        StockClient.of(rsync).run("-aX", src + "/", theirs + "/").assertSuccess();

        change(src);
        Jrsync mine = Jrsync.run("-aXi", src + "/", ours + "/").assertSuccess();
        ProcessResult stock = StockClient.of(rsync).run("-aXi", src + "/", theirs + "/").assertSuccess();
        assertEquals(Jrsync.items(stock.stdout()), Jrsync.items(mine.stdout()), mine::transcript);
        assertEquals(CHANGED, Jrsync.items(mine.stdout()));
        assertSameTree(src, ours);
        assertSameTree(src, theirs);
        // without -X nothing of them is looked at: the same tree is up to date
        Jrsync plain = Jrsync.run("-ai", src + "/", tmp.resolve("plain") + "/").assertSuccess();
        assertFalse(plain.stdout().contains("x "), plain::transcript);
        assertTrue(TreeAssert.userXattrs(tmp.resolve("plain")).values().stream().allMatch(Map::isEmpty));
        TreeAssert.assertNoTempFiles(ours);
    }

    /**
     * A module that runs as nobody is not root: it keeps only user.* names (a trusted.* one is dropped, as
     * stock's module drops it), and a read-only file of its own still takes a changed attribute (rsync's
     * temporary owner-write bit). The Java module and a stock one, both as nobody, end the same.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void aModuleRunAsNobodyKeepsOnlyUserNamesAndUpdatesAReadOnlyFile(StockRsync rsync, @TempDir Path tmp)
            throws Exception {
        Assumptions.assumeTrue(CurrentUser.isRoot(), "needs root to run a module as nobody");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx--x--x")); // nobody passes through
        Path src = tree(tmp);
        Xattrs.lset(src.resolve("a"), ascii("trusted.t"), ascii("root's only"));
        Files.setPosixFilePermissions(src.resolve("a"), PosixFilePermissions.fromString("r--r--r--"));
        Path ours = nobodysDir(tmp.resolve("ours"));
        Path theirs = nobodysDir(tmp.resolve("theirs"));
        StockClient client = StockClient.of(rsync).timeout(TIMEOUT);
        try (ModuleDaemon java = ModuleDaemon.start(ours, tmp.resolve("rsyncd.log"), 0, "uid = nobody\ngid = 65534\n");
             StockDaemon stock = StockDaemon.builder(rsync, tmp.resolve("sd")).module(StockDaemon.Module.of("m", theirs)
                     .readOnly(false).line("uid = nobody").line("gid = 65534")).start()) {
            for (String url : List.of(java.url(), stock.url("m") + "/")) {
                client.run("-rtpX", src + "/", url).assertSuccess();
            }
            assertEquals(TreeAssert.userXattrs(theirs), TreeAssert.userXattrs(ours));
            assertEquals(TreeAssert.userXattrs(src), TreeAssert.userXattrs(ours));
            assertFalse(Xattrs.llist(ours.resolve("a")).stream().anyMatch(n -> new String(n).startsWith("trusted.")));

            change(src);
            ProcessResult mine = client.run("-rtpXi", src + "/", java.url()).assertSuccess();
            ProcessResult stocks = client.run("-rtpXi", src + "/", stock.url("m") + "/").assertSuccess();
            assertEquals(Jrsync.items(stocks.stdout()), Jrsync.items(mine.stdout()), mine::transcript);
            assertEquals(CHANGED, Jrsync.items(mine.stdout()));
            assertEquals(TreeAssert.userXattrs(src), TreeAssert.userXattrs(ours));
            assertEquals("r--r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(ours.resolve("a"))));
        }
    }

    private static Path nobodysDir(Path dir) throws IOException {
        Files.createDirectories(dir);
        Posix.lchown(dir, 65534, 65534);
        return dir;
    }

    /**
     * 'x' filter rules take the place of the namespace rules ({@code saw_xattr_filter}): an excluded name is neither
     * sent nor removed, as a local copy of stock's and a pull from a stock daemon show.
     */
    @Test
    void xattrFilterRulesLeaveOutAndKeepWhatTheyExclude(@TempDir Path tmp) throws IOException {
        StockRsync rsync = StockRsync.requireOnPath();
        Path src = tree(tmp);
        Path mod = Files.createDirectories(tmp.resolve("mod"));
        Path ours = tmp.resolve("ours");
        Path theirs = tmp.resolve("theirs");
        for (Path dest : List.of(ours, theirs)) { // an attribute the filter protects, one it lets go
            Files.createDirectories(dest);
            Files.copy(src.resolve("a"), dest.resolve("a"), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            set(dest.resolve("a"), "user.small", "kept: excluded names are not removed");
            set(dest.resolve("a"), "user.gone", "removed");
        }
        String[] rules = {"-f-x user.small", "-f-x user.dir*"};
        Jrsync.run(concat(rules, "-aX", src + "/", ours + "/")).assertSuccess();
        StockClient.of(rsync).run(concat(rules, "-aX", src + "/", theirs + "/")).assertSuccess();
        Map<String, Map<String, String>> got = TreeAssert.userXattrs(ours);
        assertEquals(TreeAssert.userXattrs(theirs), got);
        assertTrue(got.get("a").containsKey("user.small") && !got.get("a").containsKey("user.gone"), got::toString);
        assertFalse(got.get("dir/c").containsKey("user.small") || got.get("dir").containsKey("user.dirattr"),
                got::toString);

        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("m", mod).readOnly(false)).start()) {
            StockClient.of(rsync).run("-aX", src + "/", mod + "/t/").assertSuccess();
            Jrsync.run(concat(rules, "-aX", daemon.url("m") + "t/", tmp.resolve("pulled") + "/")).assertSuccess();
            StockClient.of(rsync).run(concat(rules, "-aX", daemon.url("m") + "t/", tmp.resolve("stock") + "/"))
                    .assertSuccess();
            assertEquals(TreeAssert.userXattrs(tmp.resolve("stock")), TreeAssert.userXattrs(tmp.resolve("pulled")));
        }
    }

    private static String[] concat(String[] first, String... rest) {
        String[] all = Arrays.copyOf(first, first.length + rest.length);
        System.arraycopy(rest, 0, all, first.length, rest.length);
        return all;
    }

    @Test
    void protocol29IsRefusedAsStockRefusesIt(@TempDir Path tmp) throws IOException {
        StockRsync rsync = StockRsync.requireOnPath();
        Path src = tree(tmp);
        Path mod = Files.createDirectories(tmp.resolve("mod"));
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("m", mod).readOnly(false)).start()) {
            Jrsync old = Jrsync.run("-aX", "--protocol=29", src + "/", daemon.url("m") + "t/");
            assertEquals(2, old.exitCode(), old::transcript);
            assertTrue(old.stderr().contains("--xattrs requires protocol 30 or higher (negotiated 29)."),
                    old::transcript);
        }
    }
}
