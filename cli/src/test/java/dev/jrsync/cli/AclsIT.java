package dev.jrsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.fs.Xattrs;
import dev.jrsync.testing.Peers;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code -A} against the real peers, in every role jrsync plays: client of a stock daemon (push and pull), Java
 * daemon of a stock client, either end of a remote shell, and a local copy. The tree has named users and groups (one
 * with a name here, one without), an ACL two files share (sent once, then by index), a mask narrower than the named
 * entries, a directory's default ACL, and a file without an ACL. A second run after one ACL grew an entry, a
 * directory lost its default ACL and a plain file gained an ACL updates just those, itemized 'a' in the 10th column
 * as stock itemizes them. The checker is getfacl, which reads both trees as the kernel keeps them.
 */
class AclsIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    /** The checker's tools (Debian's acl package, which .ci/run installs): a skip here, a failure in CI. */
    @BeforeAll
    static void aclToolsArePresent() {
        boolean present = java.util.stream.Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, "setfacl"))
                        && Files.isExecutable(Path.of(dir, "getfacl")));
        Peers.require(present, () -> "setfacl and getfacl are not on PATH (Debian's acl package)");
    }

    private static void setfacl(String... args) {
        List<String> argv = new ArrayList<>(List.of("setfacl"));
        argv.addAll(List.of(args));
        tool(argv);
    }

    /** What an acl tool printed; it must succeed. */
    private static String tool(List<String> argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS), argv::toString);
            assertEquals(0, p.exitValue(), () -> argv + ": " + out);
            return out;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static Path tree(Path tmp) throws IOException {
        Path src = tmp.resolve("src");
        Files.createDirectories(src.resolve("dir"));
        for (String f : List.of("a", "dir/b", "dir/c", "plain")) {
            Files.writeString(src.resolve(f), "contents of " + f + "\n");
        }
        setfacl("-m", "u:1:r-x,g:2:rw-", src.resolve("a").toString(), src.resolve("dir/b").toString());
        setfacl("-m", "u:54321:rwx,m::r-x", src.resolve("dir/c").toString()); // a uid without a name
        setfacl("-m", "u:3:rwx,g:54322:r--", src.resolve("dir").toString());
        setfacl("-d", "-m", "u:4:r-x,g::r-x,o::-", src.resolve("dir").toString());
        // rsync 3.2.7's receiver retouches a directory's mtime only when it differs in whole seconds
        TestTrees.setMtime(src.resolve("dir"), Instant.parse("2021-03-04T05:06:07.5Z"));
        Map<String, String> built = acls(src);
        assertTrue(built.get("dir").contains("default:user:4:r-x"), "the source as built: " + built);
        assertTrue(built.get("dir/c").contains("user:54321:rwx") && built.get("dir/c").contains("mask::r-x"),
                "the source as built: " + built);
        return src;
    }

    /** One ACL grows an entry, a directory loses its default ACL, a plain file gains one. */
    private static void change(Path src) throws IOException {
        setfacl("-m", "u:6:r--", src.resolve("a").toString());
        setfacl("-k", src.resolve("dir").toString());
        setfacl("-m", "g:7:rwx", src.resolve("plain").toString());
        TestTrees.setMtime(src.resolve("dir"), Instant.parse("2021-03-04T05:06:07.5Z"));
    }

    private static final List<String> CHANGED = List.of(".d.......a. dir/", ".f.......a. a", ".f.......a. plain");

    /** Every entry's ACLs as getfacl prints them, with numeric ids, by path relative to {@code root}. */
    static Map<String, String> acls(Path root) {
        String out = tool(List.of("sh", "-c", "cd \"$1\" && getfacl -R -P -n .", "getfacl", root.toString()));
        Map<String, String> all = new TreeMap<>();
        for (String block : out.split("\n\n")) {
            String[] lines = block.strip().split("\n", 2);
            if (lines[0].startsWith("# file: ")) {
                all.put(lines[0].substring("# file: ".length()), lines.length > 1 ? lines[1] : "");
            }
        }
        return all;
    }

    private static void assertSameTree(Path src, Path dest) {
        TreeAssert.assertIdentical(src, dest, TreeAssert.exact(TreeAssert.Option.IGNORE_ROOT_MTIME));
        Map<String, String> expected = acls(src);
        Map<String, String> got = acls(dest);
        got.put(".", expected.get(".")); // the root directory's mode is the receiver's business
        assertEquals(expected, got, "ACLs of " + dest);
    }


    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void pushAndPullWithAStockDaemon(StockRsync rsync, @TempDir Path tmp) throws IOException {
        Path src = tree(tmp);
        Path mod = Files.createDirectories(tmp.resolve("mod"));
        Path back = tmp.resolve("back");
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("m", mod).readOnly(false)).start()) {
            Jrsync.run("-aA", src + "/", daemon.url("m") + "t/").assertSuccess();
            assertSameTree(src, mod.resolve("t"));
            Jrsync.run("-aA", daemon.url("m") + "t/", back + "/").assertSuccess();
            assertSameTree(src, back);

            change(src);
            Jrsync push = Jrsync.run("-aAi", src + "/", daemon.url("m") + "t/").assertSuccess();
            assertEquals(CHANGED, Jrsync.items(push.stdout()), push::transcript);
            assertSameTree(src, mod.resolve("t"));
            Jrsync pull = Jrsync.run("-aAi", daemon.url("m") + "t/", back + "/").assertSuccess();
            assertEquals(CHANGED, Jrsync.items(pull.stdout()), pull::transcript);
            assertSameTree(src, back);
            // a whole list (no incremental recursion) names the ids in the lists after it, not inline
            Jrsync.run("-aA", "--no-inc-recursive", src + "/", daemon.url("m") + "w/").assertSuccess();
            assertSameTree(src, mod.resolve("w"));
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
            client.run("-aA", src + "/", daemon.url() + "t/").assertSuccess();
            assertSameTree(src, mod.resolve("t"));
            client.run("-aA", daemon.url() + "t/", back + "/").assertSuccess();
            assertSameTree(src, back);

            change(src);
            ProcessResult push = client.run("-aAi", src + "/", daemon.url() + "t/").assertSuccess();
            assertEquals(CHANGED, Jrsync.items(push.stdout()), push::transcript);
            assertSameTree(src, mod.resolve("t"));
            ProcessResult pull = client.run("-aAi", daemon.url() + "t/", back + "/").assertSuccess();
            assertEquals(CHANGED, Jrsync.items(pull.stdout()), pull::transcript);
            assertSameTree(src, back);
            ProcessResult again = client.run("-aAi", src + "/", daemon.url() + "t/").assertSuccess();
            assertEquals("", again.stdout(), again::transcript); // nothing left to do, nothing said
            client.run("-aA", "--no-inc-recursive", daemon.url() + "t/", tmp.resolve("whole") + "/").assertSuccess();
            assertSameTree(src, tmp.resolve("whole"));
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
        client.run(rsh, jrsyncPath, "-aA", src + "/", "localhost:" + tmp.resolve("dest") + "/").assertSuccess();
        assertSameTree(src, tmp.resolve("dest"));
        client.run(rsh, jrsyncPath, "-aA", "localhost:" + src + "/", tmp.resolve("back") + "/").assertSuccess();
        assertSameTree(src, tmp.resolve("back"));
        Jrsync.run(rsh, stockPath, "-aA", src + "/", "localhost:" + tmp.resolve("dest2") + "/").assertSuccess();
        assertSameTree(src, tmp.resolve("dest2"));

        change(src);
        ProcessResult push = client.run(rsh, jrsyncPath, "-aAi", src + "/", "localhost:" + tmp.resolve("dest") + "/")
                .assertSuccess();
        assertEquals(CHANGED, Jrsync.items(push.stdout()), push::transcript);
        assertSameTree(src, tmp.resolve("dest"));
        ProcessResult pull = client.run(rsh, jrsyncPath, "-aAi", "localhost:" + src + "/", tmp.resolve("back") + "/")
                .assertSuccess();
        assertEquals(CHANGED, Jrsync.items(pull.stdout()), pull::transcript);
        assertSameTree(src, tmp.resolve("back"));
        Jrsync pull2 = Jrsync.run(rsh, stockPath, "-aAi", "localhost:" + tmp.resolve("dest") + "/",
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
        Jrsync.run("-aA", src + "/", ours + "/").assertSuccess();
        assertSameTree(src, ours);
        StockClient.of(rsync).run("-aA", src + "/", theirs + "/").assertSuccess();

        change(src);
        Jrsync mine = Jrsync.run("-aAi", src + "/", ours + "/").assertSuccess();
        ProcessResult stock = StockClient.of(rsync).run("-aAi", src + "/", theirs + "/").assertSuccess();
        assertEquals(Jrsync.items(stock.stdout()), Jrsync.items(mine.stdout()), mine::transcript);
        assertEquals(CHANGED, Jrsync.items(mine.stdout()));
        assertSameTree(src, ours);
        assertSameTree(src, theirs);
        TreeAssert.assertNoTempFiles(ours);
    }

    /**
     * Fake super keeps ACLs in user.rsync.%aacl and %dacl, byte for byte as stock's receiver keeps them, and a
     * sender with fake super gives them back as the ACLs they were.
     */
    @Test
    void fakeSuperStoresTheAclsAsStockStoresThem(@TempDir Path tmp) throws IOException {
        StockRsync rsync = StockRsync.requireOnPath();
        Path src = tree(tmp);
        Path ours = tmp.resolve("ours");
        Path theirs = tmp.resolve("theirs");
        Jrsync.run("-aA", "-M--fake-super", src + "/", ours + "/").assertSuccess();
        StockClient.of(rsync).run("-aA", "-M--fake-super", src + "/", theirs + "/").assertSuccess();
        for (String f : List.of("a", "dir", "dir/b", "dir/c", "plain")) {
            for (String name : List.of("user.rsync.%aacl", "user.rsync.%dacl")) {
                assertEquals(hex(theirs.resolve(f), name), hex(ours.resolve(f), name), f + " " + name);
            }
        }
        assertTrue(hex(ours.resolve("a"), "user.rsync.%aacl") != null
                && hex(ours.resolve("dir"), "user.rsync.%dacl") != null, "kept in the attributes");
        // --fake-super stays on the client's side: a stock daemon, root, sets the ACLs the sender read back
        Path mod = Files.createDirectories(tmp.resolve("mod"));
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("m", mod).readOnly(false)).start()) {
            Jrsync.run("-aA", "--fake-super", ours + "/", daemon.url("m") + "t/").assertSuccess();
            assertSameTree(src, mod.resolve("t"));
        }
    }

    /**
     * A module run as nobody with {@code fake super = yes} keeps the ACLs a stock client pushes in its files'
     * attributes, as a stock module so configured keeps them, and gives them back on a pull.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void aFakeSuperModuleRunAsNobodyKeepsTheAclsAsStocksDoes(StockRsync rsync, @TempDir Path tmp) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.jrsync.testing.CurrentUser.isRoot(),
                "needs root to run a module as nobody");
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
        Path src = tree(tmp);
        Path ours = nobodysDir(tmp.resolve("ours"));
        Path theirs = nobodysDir(tmp.resolve("theirs"));
        String lines = "uid = nobody\ngid = 65534\nfake super = yes\n";
        StockClient client = StockClient.of(rsync).timeout(TIMEOUT);
        try (ModuleDaemon java = ModuleDaemon.start(ours, tmp.resolve("rsyncd.log"), 0, lines);
             StockDaemon stock = StockDaemon.builder(rsync, tmp.resolve("sd")).module(StockDaemon.Module.of("m", theirs)
                     .readOnly(false).line("uid = nobody").line("gid = 65534").line("fake super = yes")).start()) {
            client.run("-aA", src + "/", java.url()).assertSuccess();
            client.run("-aA", src + "/", stock.url("m") + "/").assertSuccess();
            for (String f : List.of("a", "dir", "dir/b", "dir/c", "plain")) {
                for (String name : List.of("user.rsync.%aacl", "user.rsync.%dacl")) {
                    assertEquals(hex(theirs.resolve(f), name), hex(ours.resolve(f), name), f + " " + name);
                }
            }
            assertTrue(hex(ours.resolve("a"), "user.rsync.%aacl") != null
                    && hex(ours.resolve("dir"), "user.rsync.%dacl") != null, "kept in the attributes");
            client.run("-aA", java.url(), tmp.resolve("back") + "/").assertSuccess();
            assertSameTree(src, tmp.resolve("back"));
        }
    }

    private static Path nobodysDir(Path dir) throws IOException {
        Files.createDirectories(dir);
        dev.jrsync.fs.Posix.lchown(dir, 65534, 65534);
        return dir;
    }

    private static String hex(Path p, String name) {
        try {
            byte[] v = Xattrs.lget(p, name.getBytes(StandardCharsets.US_ASCII));
            return v == null ? null : java.util.HexFormat.of().formatHex(v);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void protocol29IsRefusedAsStockRefusesIt(@TempDir Path tmp) throws IOException {
        StockRsync rsync = StockRsync.requireOnPath();
        Path src = tree(tmp);
        Path mod = Files.createDirectories(tmp.resolve("mod"));
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("m", mod).readOnly(false)).start()) {
            Jrsync old = Jrsync.run("-aA", "--protocol=29", src + "/", daemon.url("m") + "t/");
            assertEquals(2, old.exitCode(), old::transcript);
            assertTrue(old.stderr().contains("--acls requires protocol 30 or higher (negotiated 29)."),
                    old::transcript);
        }
    }
}
