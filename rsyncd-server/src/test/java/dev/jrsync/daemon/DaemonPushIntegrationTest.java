package dev.jrsync.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.testing.CurrentUser;
import dev.jrsync.testing.ProcessResult;
import dev.jrsync.testing.StockClient;
import dev.jrsync.testing.StockRsync;
import dev.jrsync.testing.TestTrees;
import dev.jrsync.testing.TreeAssert;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Stock rsync clients (3.5.x on PATH, 3.2.7 from .peers) pushing to our daemon, and pulling with filters. */
class DaemonPushIntegrationTest {
    @TempDir
    Path tmp;
    Path src;
    Path up;
    Path outside;
    Path esc;
    JavaDaemon daemon;

    @BeforeEach
    void start() throws IOException {
        src = tmp.resolve("src");
        TestTrees.buildVaried(src);
        up = Files.createDirectories(tmp.resolve("up"));
        outside = Files.createDirectories(tmp.resolve("outside"));
        esc = Files.createDirectories(tmp.resolve("esc"));
        Files.createSymbolicLink(esc.resolve("evil"), outside);
        Files.createDirectories(tmp.resolve("ro"));
        Files.createDirectories(tmp.resolve("munge"));
        Files.createDirectories(tmp.resolve("sec"));
        Files.createDirectories(tmp.resolve("vault"));
        Files.createDirectories(tmp.resolve("excl"));
        Path secrets = Files.writeString(tmp.resolve("secrets"), "alice:sesame\n");
        Files.setPosixFilePermissions(secrets, PosixFilePermissions.fromString("rw-------"));
        daemon = JavaDaemon.start(tmp.resolve("daemon"), JavaDaemon.asTestUser() + """
                log file = %s
                [up]
                path = %s
                read only = no
                munge symlinks = no
                transfer logging = yes
                log format = %%o %%m %%n %%l %%b %%i
                [ro]
                path = %s
                [munge]
                path = %s
                read only = no
                [sec]
                path = %s
                read only = no
                munge symlinks = no
                auth users = alice
                secrets file = %s
                [esc]
                path = %s
                read only = no
                munge symlinks = no
                [filtered]
                path = %s
                exclude = *.txt /bin/
                [guarded]
                path = %s
                read only = no
                munge symlinks = no
                exclude = *.secret
                incoming chmod = Fo-rwx
                [vault]
                path = %s
                read only = no
                munge symlinks = no
                exclude = /keep/key.txt
                [slowup]
                path = %s
                read only = no
                timeout = 3
                [excl]
                path = %s
                read only = no
                munge symlinks = no
                exclude = /skip/
                """.formatted(tmp.resolve("daemon/rsyncd.log"), up, tmp.resolve("ro"), tmp.resolve("munge"),
                tmp.resolve("sec"), secrets, esc, src, up, tmp.resolve("vault"), up, tmp.resolve("excl")),
                Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        daemon.close();
    }

    static Stream<StockRsync> peers() {
        return StockRsync.peers();
    }

    static Stream<Arguments> peersAndProtocols() {
        return StockRsync.peers().flatMap(r -> Stream.of(29, 30, 31).map(p -> Arguments.of(r, p)));
    }

    static Stream<Arguments> peersAndCompressors() {
        return StockRsync.peers().flatMap(r -> Stream.of("zstd", "lz4", "zlibx", "zlib").map(c -> Arguments.of(r, c)));
    }

    private static TreeAssert.Option[] identical(boolean nanos) {
        List<TreeAssert.Option> o = new ArrayList<>();
        if (nanos) {
            o.add(TreeAssert.Option.NANOSECONDS);
        }
        if (CurrentUser.isRoot()) {
            o.add(TreeAssert.Option.OWNERSHIP);
        }
        return o.toArray(TreeAssert.Option[]::new);
    }

    private ProcessResult rsync(StockRsync r, String... args) {
        return StockClient.of(r).timeout(Duration.ofSeconds(90)).run(args);
    }

    /**
     * A thousand directories of one file each, the shape that lost every file when a session kept only 512
     * directories open (the generator runs that far ahead of the receiver).
     */
    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void pushOfManyDirectoriesLosesNothing(StockRsync r) throws IOException {
        Path many = tmp.resolve("many");
        for (int d = 0; d < 1000; d++) {
            Path dir = Files.createDirectories(many.resolve(String.format("d%05d", d)));
            Files.writeString(dir.resolve("f.txt"), "file " + d + "\n");
        }
        rsync(r, "-a", many + "/", daemon.url("up/many/")).assertSuccess();
        TreeAssert.assertIdentical(many, up.resolve("many"), identical(true));
    }

    /**
     * A stock client offers incremental recursion and our daemon, receiving, takes it (the client then says
     * "sending incremental file list"): the lists come directory by directory, several in flight, and the tree
     * arrives whole, directory mtimes included; --delete then works directory by directory, deep ones too.
     */
    @ParameterizedTest
    @MethodSource("peers")
    void incrementalPushArrivesWholeAndDeletesDirectoryByDirectory(StockRsync r) throws IOException {
        for (int d = 0; d < 30; d++) {
            Path dir = Files.createDirectories(src.resolve("wide/d" + d + (d % 4 == 0 ? "/inner" : "")));
            for (int f = 0; f < 50; f++) {
                Files.writeString(dir.resolve("f" + f), "file " + f + " in " + d + "\n");
            }
        }
        ProcessResult first = rsync(r, "-av", src + "/", daemon.url("up/inc/")).assertSuccess();
        assertTrue(first.stdout().contains("sending incremental file list"), first.transcript());
        TreeAssert.assertIdentical(src, up.resolve("inc"), identical(true));

        Files.writeString(up.resolve("inc/deep/a/b/c/extra.txt"), "extraneous\n");
        Files.createDirectories(up.resolve("inc/wide/d8/inner/gone/deeper"));
        Files.writeString(src.resolve("wide/d5/f3"), "changed\n");
        ProcessResult second = rsync(r, "-av", "--delete", src + "/", daemon.url("up/inc/")).assertSuccess();
        assertTrue(second.stdout().contains("sending incremental file list"), second.transcript());
        assertTrue(second.stdout().contains("deleting deep/a/b/c/extra.txt")
                && second.stdout().contains("deleting wide/d8/inner/gone/"), second.transcript());
        assertTrue(second.stdout().contains("wide/d5/f3"), second.transcript());
        TreeAssert.assertIdentical(src, up.resolve("inc"), identical(true));
    }

    /**
     * Pulling, the daemon is the sender and grants incremental recursion too (the client says "receiving
     * incremental file list"): the tree arrives whole without the module's excluded names (which only sub-lists
     * hold), a no-op rerun sends no file data, --delete prunes deep directories, and --remove-source-files removes
     * each sent file from the module.
     */
    @ParameterizedTest
    @MethodSource("peers")
    void incrementalPullArrivesWholeAndSkipsModuleExcludedNames(StockRsync r) throws IOException {
        Path served = src; // the [filtered] module, which excludes *.txt
        for (int d = 0; d < 30; d++) {
            Path dir = Files.createDirectories(served.resolve("wide/d" + d + (d % 4 == 0 ? "/inner" : "")));
            for (int f = 0; f < 40; f++) {
                Files.writeString(dir.resolve("f" + f + (f % 10 == 0 ? ".txt" : "")), "file " + f + " in " + d + "\n");
            }
        }
        Path back = tmp.resolve("pulled");
        ProcessResult first = rsync(r, "-av", daemon.url("filtered/wide/"), back + "/").assertSuccess();
        assertTrue(first.stdout().contains("receiving incremental file list"), first.transcript());
        Path expected = tmp.resolve("expected");
        try (Stream<Path> all = Files.walk(served.resolve("wide"))) {
            for (Path p : all.toList()) {
                Path to = expected.resolve(served.resolve("wide").relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else if (!p.toString().endsWith(".txt")) {
                    Files.copy(p, to, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        TreeAssert.assertIdentical(expected, back, TreeAssert.Option.IGNORE_DIR_MTIMES);

        ProcessResult again = rsync(r, "-a", "--stats", daemon.url("filtered/wide/"), back + "/").assertSuccess();
        assertEquals(0, again.stats().literalData(), again.transcript());

        Files.createDirectories(back.resolve("d8/inner/gone/deeper"));
        Files.writeString(back.resolve("d3/extra"), "extraneous\n");
        ProcessResult pruned = rsync(r, "-av", "--delete", daemon.url("filtered/wide/"), back + "/").assertSuccess();
        assertTrue(pruned.stdout().contains("deleting d3/extra") && pruned.stdout().contains("deleting d8/inner/gone/"),
                pruned.transcript());
        assertFalse(Files.exists(back.resolve("d8/inner/gone")), pruned.transcript());

        Files.createDirectories(up.resolve("take/a/b"));
        Files.writeString(up.resolve("take/a/b/f"), "taken\n");
        Files.writeString(up.resolve("take/a/g"), "taken too\n");
        Path taken = tmp.resolve("taken");
        ProcessResult moved = rsync(r, "-a", "--remove-source-files", daemon.url("up/take/"), taken + "/").assertSuccess();
        assertEquals("taken\n", Files.readString(taken.resolve("a/b/f")), moved.transcript());
        assertFalse(Files.exists(up.resolve("take/a/b/f")) || Files.exists(up.resolve("take/a/g")), moved.transcript());
    }

    /** A directory the module excludes is refused with its whole subtree, its own file lists included. */
    @ParameterizedTest
    @MethodSource("peers")
    void anExcludedDirectoryIsRefusedWithItsSubListsUnderIncrementalRecursion(StockRsync r) throws IOException {
        Path s = Files.createDirectories(tmp.resolve("withskip"));
        Files.createDirectories(s.resolve("skip/sub/deeper"));
        Files.writeString(s.resolve("skip/sub/deeper/f"), "refused\n");
        Files.writeString(s.resolve("skip/top"), "refused\n");
        Files.createDirectories(s.resolve("keep/sub"));
        Files.writeString(s.resolve("keep/sub/f"), "kept\n");
        ProcessResult res = rsync(r, "-av", s + "/", daemon.url("excl/"));
        assertEquals(23, res.exitCode(), res.transcript());
        assertTrue(res.stdout().contains("sending incremental file list"), res.transcript());
        assertTrue(res.stderr().contains("daemon refused to receive directory \"skip\""), res.transcript());
        assertFalse(Files.exists(tmp.resolve("excl/skip")), res.transcript());
        assertEquals("kept\n", Files.readString(tmp.resolve("excl/keep/sub/f")));
    }

    @ParameterizedTest
    @MethodSource("peers")
    void pushIsIdenticalPullsBackAndDeltaRePushSendsLittle(StockRsync r) throws IOException {
        rsync(r, "-a", src + "/", daemon.url("up/tree/")).assertSuccess();
        TreeAssert.assertIdentical(src, up.resolve("tree"), identical(true));
        Path back = tmp.resolve("back");
        rsync(r, "-a", daemon.url("up/tree/"), back + "/").assertSuccess();
        TreeAssert.assertIdentical(src, back, identical(true));
        assertTrue(daemon.log().contains("recv up " + TestTrees.BIG_FILE + " " + TestTrees.BIG_SIZE + " "),
                daemon.log());

        TestTrees.editInPlace(src.resolve(TestTrees.BIG_FILE), 11, 3);
        ProcessResult again = rsync(r, "-a", "--stats", src + "/", daemon.url("up/tree/")).assertSuccess();
        TreeAssert.assertIdentical(src, up.resolve("tree"), identical(true));
        long literal = again.stats().literalData();
        assertTrue(literal < 256 * 1024, "literal data " + literal + "\n" + again.transcript());
        assertTrue(daemon.log().contains("recv up " + TestTrees.BIG_FILE + " " + TestTrees.BIG_SIZE + " ")
                && daemon.log().contains(">f..t"), daemon.log());
    }

    @ParameterizedTest
    @MethodSource("peersAndProtocols")
    void pushWithOlderProtocols(StockRsync r, int protocol) {
        rsync(r, "-a", "--protocol=" + protocol, src + "/", daemon.url("up/p" + protocol + "/")).assertSuccess();
        TreeAssert.assertIdentical(src, up.resolve("p" + protocol), identical(protocol >= 31));
    }

    @ParameterizedTest
    @MethodSource("peersAndCompressors")
    void pushCompressed(StockRsync r, String compressor) {
        rsync(r, "-az", "--compress-choice=" + compressor, src + "/", daemon.url("up/z-" + compressor + "/"))
                .assertSuccess();
        TreeAssert.assertIdentical(src, up.resolve("z-" + compressor), identical(true));
    }

    @ParameterizedTest
    @MethodSource("peers")
    void deleteRemovesExtraneousNamesButNotExcludedOnes(StockRsync r) throws IOException {
        rsync(r, "-a", src + "/", daemon.url("up/d/")).assertSuccess();
        Files.writeString(up.resolve("d/extra.txt"), "extraneous\n");
        Files.writeString(up.resolve("d/data/keep.log"), "excluded, so protected\n");
        Files.createDirectories(up.resolve("d/gone/deeper"));
        ProcessResult res = rsync(r, "-av", "--delete", "--exclude=*.log", src + "/", daemon.url("up/d/"))
                .assertSuccess();
        assertFalse(Files.exists(up.resolve("d/extra.txt")), res.transcript());
        assertFalse(Files.exists(up.resolve("d/gone")), res.transcript());
        assertTrue(Files.exists(up.resolve("d/data/keep.log")), res.transcript());
        assertTrue(res.stdout().contains("deleting extra.txt") && res.stdout().contains("deleting gone/"),
                res.transcript());
        assertFalse(res.transcript().contains(up.toString()), "the module's path is not shown to the client");
        assertTrue(daemon.log().contains("del. up d/extra.txt") || daemon.log().contains("del. up extra.txt"),
                daemon.log());
        Files.writeString(up.resolve("d/extra2.txt"), "extraneous\n");
        ProcessResult quiet = rsync(r, "-a", "--delete", "--exclude=*.log", src + "/", daemon.url("up/d/"));
        assertFalse(quiet.assertSuccess().stdout().contains("deleting"), "only -v shows deletions\n" + quiet.transcript());
        assertFalse(Files.exists(up.resolve("d/extra2.txt")), quiet.transcript());
        Files.delete(up.resolve("d/data/keep.log"));
        rsync(r, "-a", src + "/", daemon.url("up/d/")).assertSuccess(); // restores data/'s mtime
        TreeAssert.assertIdentical(src, up.resolve("d"), identical(true));
    }

    @ParameterizedTest
    @MethodSource("peers")
    void everyDeletionTimingWorks(StockRsync r) throws IOException {
        rsync(r, "-a", src + "/", daemon.url("up/t/")).assertSuccess();
        for (String when : List.of("--delete-before", "--delete-during", "--delete-delay", "--delete-after")) {
            Files.createDirectories(up.resolve("t/deep/extra-dir"));
            Files.writeString(up.resolve("t/deep/extra-dir/f"), when);
            Files.writeString(up.resolve("t/extra"), when);
            ProcessResult res = rsync(r, "-a", "-i", when, src + "/", daemon.url("up/t/")).assertSuccess();
            assertTrue(res.stdout().contains("*deleting   deep/extra-dir/"), when + "\n" + res.transcript());
            assertFalse(Files.exists(up.resolve("t/extra")), when);
            assertFalse(Files.exists(up.resolve("t/deep/extra-dir")), when);
        }
        rsync(r, "-a", src + "/", daemon.url("up/t/")).assertSuccess();
        TreeAssert.assertIdentical(src, up.resolve("t"), identical(true));
    }

    @ParameterizedTest
    @MethodSource("peers")
    void authenticationAndReadOnly(StockRsync r) throws IOException {
        StockClient.of(r).password("sesame").run("-a", src + "/", "rsync://alice@127.0.0.1:" + daemon.port + "/sec/")
                .assertSuccess();
        TreeAssert.assertIdentical(src, tmp.resolve("sec"), identical(true));

        ProcessResult bad = StockClient.of(r).password("wrong")
                .run("-a", src + "/", "rsync://alice@127.0.0.1:" + daemon.port + "/sec/x/");
        assertNotEquals(0, bad.exitCode());
        assertTrue(bad.stderr().contains("auth failed on module sec"), bad.transcript());
        assertFalse(Files.exists(tmp.resolve("sec/x")));

        ProcessResult ro = rsync(r, "-a", src + "/", daemon.url("ro/"));
        assertNotEquals(0, ro.exitCode());
        assertTrue(ro.stderr().contains("ERROR: module is read only"), ro.transcript());
        try (Stream<Path> s = Files.list(tmp.resolve("ro"))) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void escapesWriteNothingOutsideTheModule() throws IOException {
        StockRsync r = StockRsync.requireOnPath();
        Path one = Files.writeString(tmp.resolve("x"), "payload\n");
        for (String dest : List.of("esc/evil/", "esc/evil/sub/", "esc/../outside/", "esc//" + outside + "/")) {
            ProcessResult res = rsync(r, "-a", one.toString(), daemon.url(dest));
            assertNotEquals(0, res.exitCode(), dest + "\n" + res.transcript());
        }
        // A tree whose directory has the symlink's name: the symlink is replaced, nothing goes through it.
        Path tree = Files.createDirectories(tmp.resolve("tree/evil"));
        Files.writeString(tree.resolve("x"), "payload\n");
        rsync(r, "-a", "--force", tmp.resolve("tree") + "/", daemon.url("esc/")).assertSuccess();
        assertTrue(Files.isRegularFile(esc.resolve("evil/x")));
        try (Stream<Path> s = Files.list(outside)) {
            assertEquals(0, s.count(), "something was written outside the module");
        }
    }

    @ParameterizedTest
    @MethodSource("peers")
    void inplacePartialBackupDryRunAndRemoveSourceFiles(StockRsync r) throws IOException {
        ProcessResult dry = rsync(r, "-avn", src + "/", daemon.url("up/o/")).assertSuccess();
        assertTrue(dry.stdout().contains(TestTrees.BIG_FILE), dry.transcript());
        assertFalse(dry.transcript().contains(up.toString()), "the module's path is not shown to the client");
        assertFalse(Files.exists(up.resolve("o")), "a dry run writes nothing");

        ProcessResult first = rsync(r, "-av", src + "/", daemon.url("up/o/")).assertSuccess();
        assertTrue(first.stdout().contains("created directory o"), first.transcript());
        assertFalse(first.transcript().contains(up.toString()), "the module's path is not shown to the client");
        TestTrees.editInPlace(src.resolve(TestTrees.BIG_FILE), 5, 2);
        rsync(r, "-a", "--inplace", src + "/", daemon.url("up/o/")).assertSuccess();
        TreeAssert.assertIdentical(src, up.resolve("o"), identical(true));

        String before = Files.readString(up.resolve("o/small.txt"));
        Files.writeString(src.resolve("small.txt"), "changed by the backup test\n");
        rsync(r, "-a", "-b", "--partial", src + "/", daemon.url("up/o/")).assertSuccess();
        assertEquals(before, Files.readString(up.resolve("o/small.txt~")));
        assertEquals("changed by the backup test\n", Files.readString(up.resolve("o/small.txt")));

        Path gone = Files.createDirectories(tmp.resolve("gone"));
        Files.writeString(gone.resolve("a"), "a\n");
        rsync(r, "-a", "--remove-source-files", gone + "/", daemon.url("up/rsf/")).assertSuccess();
        assertFalse(Files.exists(gone.resolve("a")), "MSG_SUCCESS lets the sender remove its copy");
        assertEquals("a\n", Files.readString(up.resolve("rsf/a")));

        // rsync removes a source whose copy is already up to date too (recv_generator's return_with_success)
        Files.writeString(gone.resolve("a"), "a\n");
        Files.setLastModifiedTime(gone.resolve("a"), Files.getLastModifiedTime(up.resolve("rsf/a")));
        rsync(r, "-a", "--remove-source-files", gone + "/", daemon.url("up/rsf/")).assertSuccess();
        assertFalse(Files.exists(gone.resolve("a")), "an up-to-date copy lets the sender remove its source");
    }

    /**
     * The receiver's MSG_SUCCESS must never wait for the socket. Small blocks make the generator's sums run far
     * ahead; when the receiver's report waited behind the generator's blocked write, the receiver stopped
     * reading, the stock sender's input filled up, and the session stalled for good (3.5.0 at about 230 of 400
     * files, three runs of three; 3.2.7 got through, so the test runs the PATH peer only: it costs half a minute).
     */
    @Test
    void removeSourceFilesWithSmallBlocksDoesNotStall() throws IOException {
        StockRsync r = StockRsync.requireOnPath();
        Path many = Files.createDirectories(tmp.resolve("many"));
        Path dest = Files.createDirectories(up.resolve("many"));
        java.util.Random random = new java.util.Random(11);
        byte[] data = new byte[1 << 20];
        int files = 400;
        for (int i = 0; i < files; i++) {
            random.nextBytes(data);
            Files.setLastModifiedTime(Files.write(dest.resolve("f" + i), data),
                    java.nio.file.attribute.FileTime.fromMillis(1_000_000_000_000L));
            data[5000] ^= 1;
            Files.write(many.resolve("f" + i), data);
        }
        StockClient.of(r).timeout(Duration.ofSeconds(120))
                .run("-a", "-B", "128", "--no-W", "--remove-source-files", many + "/", daemon.url("up/many/"))
                .assertSuccess();
        try (Stream<Path> left = Files.list(many)) {
            assertEquals(0, left.count(), "every source was removed after its copy was written");
        }
        random = new java.util.Random(11);
        for (int i = 0; i < files; i++) {
            random.nextBytes(data);
            data[5000] ^= 1;
            assertTrue(java.util.Arrays.equals(data, Files.readAllBytes(dest.resolve("f" + i))), "f" + i);
        }
    }

    /**
     * {@code --backup-dir} and {@code --temp-dir} as stock's daemon takes them: an absolute one from the module
     * root, a relative one from the destination, a ".." never above where it starts; one that leads out of the
     * module through a symlink (the module's own "evil") fails its files and writes nothing there.
     */
    @ParameterizedTest
    @MethodSource("peers")
    void backupAndTempDirsStayInTheModule(StockRsync r) throws IOException {
        rsync(r, "-a", src + "/", daemon.url("up/d/")).assertSuccess();
        Files.writeString(src.resolve("small.txt"), "changed once\n");
        Files.createDirectories(up.resolve("tmpd"));
        rsync(r, "-a", "--backup-dir=/bak", "--temp-dir=/tmpd", src + "/", daemon.url("up/d/")).assertSuccess();
        assertEquals("hello from jrsync\n", Files.readString(up.resolve("bak/small.txt")));
        Files.writeString(src.resolve("small.txt"), "changed twice\n");
        rsync(r, "-a", "--backup-dir=../../../b2", "--suffix=.old", src + "/", daemon.url("up/d/")).assertSuccess();
        assertEquals("changed once\n", Files.readString(up.resolve("d/b2/small.txt.old")));
        Files.writeString(src.resolve("small.txt"), "changed thrice\n");
        rsync(r, "-a", "--backup-dir=" + outside, src + "/", daemon.url("up/d/")).assertSuccess();
        assertEquals("changed twice\n", Files.readString(up.resolve(outside.toString().substring(1) + "/small.txt")),
                "an absolute --backup-dir is below the module root");
        assertEquals("changed thrice\n", Files.readString(up.resolve("d/small.txt")));

        Files.writeString(src.resolve("small.txt"), "changed again\n");
        ProcessResult escape = rsync(r, "-a", "--backup-dir=/evil", src + "/", daemon.url("esc/d/"));
        assertEquals(0, escape.exitCode(), escape.transcript()); // nothing to back up yet: d is new
        Files.writeString(src.resolve("small.txt"), "changed once more\n");
        escape = rsync(r, "-a", "--backup-dir=/evil", src + "/", daemon.url("esc/d/"));
        assertNotEquals(0, escape.exitCode(), escape.transcript());
        ProcessResult temp = rsync(r, "-a", "--temp-dir=/evil", src + "/", daemon.url("esc/t/"));
        assertEquals(23, temp.exitCode(), temp.transcript());
        assertFalse(Files.exists(esc.resolve("t/small.txt")));
        try (Stream<Path> s = Files.list(outside)) {
            assertEquals(0, s.count(), "something was written outside the module");
        }
    }

    /**
     * {@code --delay-updates} and {@code --partial-dir} in the module: a relative partial dir beside each file,
     * reached as the files are (a symlink a client left there, even to a directory in the module, is not followed),
     * an absolute one below the module root and kept, one climbing with ".." refused by name.
     */
    @ParameterizedTest
    @MethodSource("peers")
    void delayUpdatesAndPartialDirsStayInTheModule(StockRsync r) throws IOException {
        rsync(r, "-a", "--delay-updates", src + "/", daemon.url("up/du/")).assertSuccess();
        TreeAssert.assertIdentical(src, up.resolve("du"), identical(true));
        assertFalse(Files.exists(up.resolve("du/.~tmp~")), "the staging directory is removed at the end");

        Files.writeString(src.resolve("small.txt"), "staged in an absolute partial dir\n");
        rsync(r, "-a", "--delay-updates", "--partial-dir=/pd", src + "/", daemon.url("up/du/")).assertSuccess();
        assertEquals("staged in an absolute partial dir\n", Files.readString(up.resolve("du/small.txt")));
        assertTrue(Files.isDirectory(up.resolve("pd")), "an absolute partial dir is below the module root, and kept");

        Files.createSymbolicLink(esc.resolve(".rp"), outside);
        ProcessResult planted = rsync(r, "-a", "--delay-updates", "--partial-dir=.rp", src + "/", daemon.url("esc/"));
        assertEquals(23, planted.exitCode(), planted.transcript());
        ProcessResult climbing = rsync(r, "-a", "--partial-dir=../x", src + "/", daemon.url("up/du/"));
        assertEquals(4, climbing.exitCode(), climbing.transcript());
        assertTrue(climbing.stderr().contains("--partial-dir with \"..\""), climbing.transcript());
        try (Stream<Path> s = Files.list(outside)) {
            assertEquals(0, s.count(), "something was written outside the module");
        }
    }

    /**
     * A module's own symlink to one of its directories is followed, as rsync 3.5's daemon follows it (its walk stays
     * beneath the module): a push to "alias/" lands in "real/" and leaves the link a link. One that leads out of the
     * module ("evil") still refuses the push, and nothing is written outside.
     */
    @ParameterizedTest
    @MethodSource("peers")
    void aModulesOwnSymlinkToItsOwnDirectoryIsFollowed(StockRsync r) throws IOException {
        Files.createDirectories(up.resolve("real/deeper"));
        Files.createSymbolicLink(up.resolve("alias"), Path.of("real"));
        Files.createSymbolicLink(up.resolve("real/up"), Path.of("../real/deeper"));
        rsync(r, "-a", src + "/", daemon.url("up/alias/")).assertSuccess();
        for (String f : List.of("small.txt", "deep/a/b/c/leaf.txt", TestTrees.BIG_FILE)) {
            assertEquals(-1, Files.mismatch(src.resolve(f), up.resolve("real").resolve(f)), f);
        }
        assertTrue(Files.isSymbolicLink(up.resolve("alias")), "the module's link is left a link");
        rsync(r, "-a", src + "/", daemon.url("up/real/up/")).assertSuccess();
        assertEquals(Files.readString(src.resolve("small.txt")), Files.readString(up.resolve("real/deeper/small.txt")));

        ProcessResult out = rsync(r, "-a", src + "/", daemon.url("esc/evil/"));
        assertNotEquals(0, out.exitCode(), out.transcript());
        try (Stream<Path> s = Files.list(outside)) {
            assertEquals(0, s.count(), "something was written outside the module");
        }
    }

    /**
     * {@code -K} keeps a module's own symlink to its own directory where the client has a directory, in every list of
     * an incremental push (the early directory pass once replaced it); a link out of the module is not gone through.
     */
    @ParameterizedTest
    @MethodSource("peers")
    void keepDirlinksGoesThroughTheModulesOwnLinksOnly(StockRsync r) throws IOException {
        Path s = Files.createDirectories(tmp.resolve("k/blink/sub"));
        Files.writeString(s.resolve("x"), "new\n");
        Files.createDirectories(up.resolve("real/sub"));
        Files.writeString(up.resolve("real/sub/x"), "older\n");
        Files.createSymbolicLink(up.resolve("blink"), Path.of("real/"));
        rsync(r, "-aK", tmp.resolve("k") + "/", daemon.url("up/")).assertSuccess();
        assertTrue(Files.isSymbolicLink(up.resolve("blink")), "the module's link is left a link");
        assertEquals("new\n", Files.readString(up.resolve("real/sub/x")));

        Files.createSymbolicLink(esc.resolve("blink"), outside);
        rsync(r, "-aK", tmp.resolve("k") + "/", daemon.url("esc/"));
        try (Stream<Path> o = Files.list(outside)) {
            assertEquals(0, o.count(), "something was written outside the module");
        }
    }

    @Test
    void refusedOptionsAreNamed() {
        ProcessResult iconv = rsync(StockRsync.requireOnPath(), "-a", "--iconv=utf8,utf8", src + "/", daemon.url("up/t/"));
        assertEquals(4, iconv.exitCode(), iconv.transcript());
        assertTrue(iconv.stderr().contains("--iconv is not supported by jrsync"), iconv.transcript());
    }

    @Test
    void mungedSymlinksAreStoredPrefixedAndServedPlain() throws IOException {
        StockRsync r = StockRsync.requireOnPath();
        Path links = Files.createDirectories(tmp.resolve("links"));
        Files.createSymbolicLink(links.resolve("l"), Path.of("../../etc/passwd"));
        rsync(r, "-a", links + "/", daemon.url("munge/")).assertSuccess();
        assertEquals(Path.of("/rsyncd-munged/../../etc/passwd"), Files.readSymbolicLink(tmp.resolve("munge/l")));
        assertFalse(Files.exists(tmp.resolve("munge/l")), "a munged link leads nowhere");
        Path back = tmp.resolve("links-back");
        rsync(r, "-a", daemon.url("munge/"), back + "/").assertSuccess();
        assertEquals(Path.of("../../etc/passwd"), Files.readSymbolicLink(back.resolve("l")));
    }

    @Test
    void moduleExcludesAndIncomingChmodApplyToUploads() throws IOException {
        Path s = Files.createDirectories(tmp.resolve("g"));
        Files.writeString(s.resolve("a.secret"), "no\n");
        Files.writeString(s.resolve("b.txt"), "yes\n");
        Files.setPosixFilePermissions(s.resolve("b.txt"), PosixFilePermissions.fromString("rw-rw-rw-"));
        Files.writeString(up.resolve("old.secret"), "kept\n");
        ProcessResult res = rsync(StockRsync.requireOnPath(), "-a", "--delete", s + "/", daemon.url("guarded/"));
        assertEquals(23, res.exitCode(), res.transcript());
        assertTrue(res.stderr().contains("daemon refused to receive file \"a.secret\""), res.transcript());
        assertFalse(Files.exists(up.resolve("a.secret")));
        assertTrue(Files.exists(up.resolve("old.secret")), "daemon-excluded names are not deleted");
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(up.resolve("b.txt"))));
    }

    @Test
    void concurrentPushes() {
        StockRsync r = StockRsync.requireOnPath();
        List<CompletableFuture<ProcessResult>> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String dest = daemon.url("up/c" + i + "/");
            runs.add(CompletableFuture.supplyAsync(() -> rsync(r, "-a", src + "/", dest)));
        }
        for (int i = 0; i < runs.size(); i++) {
            runs.get(i).join().assertSuccess();
            TreeAssert.assertIdentical(src, up.resolve("c" + i), identical(true));
        }
        rsync(r, daemon.url("")).assertSuccess();
    }

    @Test
    void anOversizedFileListIsCutOffAndTheDaemonKeepsServing() throws Exception {
        try (Socket sock = new Socket("127.0.0.1", daemon.port)) {
            sock.setSoTimeout(60_000);
            // Protocol 29: newline-separated arguments, an unmultiplexed stream from the client.
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(sock.getOutputStream(), 1 << 16));
            out.write("@RSYNCD: 29.0\nup\n--server\n-r\n.\nup/hostile/\n\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i <= ServerReceiver.MAX_ENTRIES + 10; i++) {
                        byte[] name = String.format("f%07d", i).getBytes(StandardCharsets.US_ASCII);
                        boolean first = i == 0;
                        out.write(first ? 0x40 : 0x80 | 0x02); // LONG_NAME, then SAME_TIME|SAME_MODE
                        if (first) {
                            out.writeInt(Integer.reverseBytes(name.length));
                        } else {
                            out.write(name.length);
                        }
                        out.write(name);
                        out.writeInt(0); // size
                        if (first) {
                            out.writeInt(0); // mtime
                            out.writeInt(Integer.reverseBytes(0100644)); // mode
                        }
                    }
                    out.flush();
                } catch (IOException e) {
                    // the daemon hung up mid-list, as it should
                }
            });
            try {
                sock.getInputStream().readAllBytes();
            } catch (java.net.SocketException reset) {
                // before protocol 31 the daemon resets after its error, as rsync's exit with unread input does
            }
            writer.get(60, TimeUnit.SECONDS);
        }
        assertTrue(daemon.log().contains("file list too long"), daemon.log());
        assertFalse(Files.exists(up.resolve("hostile/f0000000")));
        rsync(StockRsync.requireOnPath(), "-a", src + "/", daemon.url("up/after/")).assertSuccess();
    }

    @Test
    void aStalledPushIsDroppedAfterTheModuleTimeout() throws IOException {
        try (Socket s = new Socket("127.0.0.1", daemon.port)) {
            s.setSoTimeout(15_000);
            // The arguments of a push, then silence where the file list should come.
            s.getOutputStream().write("@RSYNCD: 29.0\nslowup\n--server\n-r\n.\nslowup/\n\n"
                    .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            long start = System.nanoTime();
            byte[] all = s.getInputStream().readAllBytes();
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(new String(all, StandardCharsets.ISO_8859_1).contains("@RSYNCD: OK"));
            assertTrue(millis >= 2500 && millis < 10_000, "dropped after " + millis + " ms (timeout = 3)");
        }
        rsync(StockRsync.requireOnPath(), "-a", src + "/", daemon.url("slowup/after/")).assertSuccess();
    }

    @ParameterizedTest
    @MethodSource("peers")
    void pullHonoursClientAndModuleExcludes(StockRsync r) throws IOException {
        Path dst = tmp.resolve("pulled");
        rsync(r, "-a", "--exclude=data/", daemon.url("filtered/"), dst + "/").assertSuccess();
        assertFalse(Files.exists(dst.resolve("data")), "client --exclude");
        assertFalse(Files.exists(dst.resolve("small.txt")), "module exclude = *.txt");
        assertFalse(Files.exists(dst.resolve("bin")), "module exclude = /bin/");
        assertFalse(Files.exists(dst.resolve("deep/a/b/c/leaf.txt")), "module exclude = *.txt, deep down");
        assertTrue(Files.isDirectory(dst.resolve("deep/a/b/c")), "the rest arrives");
        assertTrue(Files.isSymbolicLink(dst.resolve("link-to-small")), "the rest arrives");
        Path whole = tmp.resolve("whole");
        rsync(r, "-a", daemon.url("filtered/data/"), whole + "/").assertSuccess();
        assertTrue(Files.exists(whole.resolve(TestTrees.BIG_FILE.substring("data/".length()))));
    }

    /** Yesterday's push into {@code up/old}; today {@code small.txt} changed in the source. */
    private void yesterday(StockRsync r) throws IOException {
        rsync(r, "-a", src + "/", daemon.url("up/old/")).assertSuccess();
        Files.writeString(src.resolve("small.txt"), "changed since yesterday\n");
    }

    @ParameterizedTest
    @MethodSource("peers")
    void linkDestHardLinksUnchangedFilesAndSendsOnlyTheChange(StockRsync r) throws IOException {
        yesterday(r);
        ProcessResult res = rsync(r, "-a", "--stats", "--link-dest=../old", src + "/", daemon.url("up/new/"))
                .assertSuccess();
        TreeAssert.assertIdentical(src, up.resolve("new"), identical(true));
        assertTrue(TreeAssert.sameInode(up.resolve("old/" + TestTrees.BIG_FILE),
                up.resolve("new/" + TestTrees.BIG_FILE)));
        assertFalse(TreeAssert.sameInode(up.resolve("old/small.txt"), up.resolve("new/small.txt")));
        assertEquals(Files.size(src.resolve("small.txt")), res.stats().literalData(), res.transcript());
        assertEquals(1, res.stats().regularFilesTransferred(), res.transcript());

        // A lone file takes relative basis directories from its parent, looked up under its own name.
        String medium = TestTrees.MEDIUM_FILE.substring("data/".length());
        rsync(r, "-a", "--link-dest=old/data", src.resolve(TestTrees.MEDIUM_FILE).toString(),
                daemon.url("up/" + medium)).assertSuccess();
        assertTrue(TreeAssert.sameInode(up.resolve("old/" + TestTrees.MEDIUM_FILE), up.resolve(medium)));
    }

    @ParameterizedTest
    @MethodSource("peers")
    void copyDestCopiesAndCompareDestLeavesOut(StockRsync r) throws IOException {
        yesterday(r);
        TestTrees.editInPlace(src.resolve(TestTrees.BIG_FILE), 3, 2);
        ProcessResult copied = rsync(r, "-a", "--stats", "--copy-dest=../old", src + "/", daemon.url("up/copy/"))
                .assertSuccess();
        TreeAssert.assertIdentical(src, up.resolve("copy"), identical(true));
        assertFalse(TreeAssert.sameInode(up.resolve("old/" + TestTrees.MEDIUM_FILE),
                up.resolve("copy/" + TestTrees.MEDIUM_FILE)));
        // The edited 8 MiB file is a delta against its old copy; the rest is copied on the daemon's side.
        long literal = copied.stats().literalData();
        assertTrue(literal < 256 * 1024, literal + "\n" + copied.transcript());
        assertTrue(copied.stats().matchedData() > TestTrees.BIG_SIZE / 2, copied.transcript());

        rsync(r, "-a", "--compare-dest=../old", src + "/", daemon.url("up/cmp/")).assertSuccess();
        assertEquals("changed since yesterday\n", Files.readString(up.resolve("cmp/small.txt")));
        assertTrue(Files.exists(up.resolve("cmp/" + TestTrees.BIG_FILE)), "changed since yesterday");
        assertFalse(Files.exists(up.resolve("cmp/" + TestTrees.MEDIUM_FILE)), "unchanged: left out");
    }

    /**
     * A basis directory is taken as rsync's daemon sanitizes it: ".." stops at the module root and an absolute path
     * starts there, so nothing outside is searched (a missing one is warned about); one behind a symlink is warned
     * about and left out; one the module excludes refuses the transfer.
     */
    @Test
    void basisDirectoriesStayInsideTheModule() throws IOException {
        StockRsync r = StockRsync.requireOnPath();
        Files.createDirectories(up.resolve("old.secret"));
        Path bait = outside.resolve(TestTrees.MEDIUM_FILE);
        Files.createDirectories(bait.getParent());
        Files.copy(src.resolve(TestTrees.MEDIUM_FILE), bait);
        Files.setLastModifiedTime(bait, Files.getLastModifiedTime(src.resolve(TestTrees.MEDIUM_FILE)));
        record Case(String dest, String option, String says) {}
        for (Case c : List.of(
                new Case("up/new1/", "--link-dest=../../" + outside.getFileName(), "arg does not exist: "
                        + outside.getFileName()),
                new Case("up/new2/", "--copy-dest=../..", ""),
                new Case("up/new3/", "--compare-dest=" + outside, "arg does not exist: " + outside.toString().substring(1)),
                new Case("esc/new/", "--link-dest=../evil", "arg ignored: --link-dest \"evil\" is not a real directory"))) {
            ProcessResult res = rsync(r, "-a", c.option(), src + "/", daemon.url(c.dest())).assertSuccess();
            assertTrue(res.stderr().contains(c.says()), c + "\n" + res.transcript());
        }
        assertTrue(Files.exists(up.resolve("new1/" + TestTrees.MEDIUM_FILE)));
        assertTrue(Files.exists(esc.resolve("new/" + TestTrees.MEDIUM_FILE)));
        assertEquals(1, Files.getAttribute(bait, "unix:nlink"));
        ProcessResult guarded = rsync(r, "-a", "--copy-dest=../old.secret", src + "/", daemon.url("guarded/new/"));
        assertNotEquals(0, guarded.exitCode(), guarded.transcript());
        assertTrue(guarded.stderr().contains("--copy-dest") && guarded.stderr().contains("the module excludes it"),
                guarded.transcript());
    }

    /** A file the module excludes is no basis: it is not linked where the client could fetch it. */
    @Test
    void anExcludedFileInABasisDirectoryIsNotLinked() throws IOException {
        Path key = Files.writeString(Files.createDirectories(tmp.resolve("vault/keep")).resolve("key.txt"),
                "top secret\n");
        Path tree = Files.createDirectories(tmp.resolve("tree"));
        Path guess = Files.writeString(tree.resolve("key.txt"), "same size!\n");
        Files.setLastModifiedTime(guess, Files.getLastModifiedTime(key));
        rsync(StockRsync.requireOnPath(), "-r", "--size-only", "--link-dest=../keep", tree + "/",
                daemon.url("vault/pub/")).assertSuccess();
        assertEquals("same size!\n", Files.readString(tmp.resolve("vault/pub/key.txt")));
        assertEquals(1, Files.getAttribute(key, "unix:nlink"));
    }

    /**
     * Nor is one a fuzzy basis ({@code -y} in the destination, {@code -yy} in a basis directory): its block sums
     * would let a client rebuild it under a name it may read. An identical upload therefore arrives in full.
     */
    @ParameterizedTest
    @MethodSource("fuzzySearches")
    void anExcludedFileIsNoFuzzyBasis(List<String> options, String dest) throws IOException {
        byte[] secret = new byte[65_536];
        new java.util.Random(7).nextBytes(secret);
        Path key = Files.write(Files.createDirectories(tmp.resolve("vault/keep")).resolve("key.txt"), secret);
        Path tree = Files.createDirectories(tmp.resolve("tree"));
        Path guess = Files.write(tree.resolve("guess.txt"), secret);
        Files.setLastModifiedTime(guess, Files.getLastModifiedTime(key));
        List<String> args = new ArrayList<>(List.of("-rt", "--stats"));
        args.addAll(options);
        args.addAll(List.of(tree + "/", daemon.url(dest)));
        ProcessResult res = rsync(StockRsync.requireOnPath(), args.toArray(String[]::new)).assertSuccess();
        assertTrue(res.stdout().contains("Literal data: 65,536 bytes"), res.transcript());
        assertEquals(1, Files.getAttribute(key, "unix:nlink"));
    }

    static Stream<Arguments> fuzzySearches() {
        return Stream.of(Arguments.of(List.of("-y"), "vault/keep/"),
                Arguments.of(List.of("-yy", "--copy-dest=../keep"), "vault/pub/"));
    }

    /**
     * A symlink inside a basis directory is not followed: a file below it is no basis, so nothing outside the
     * module is linked, copied or compared against.
     */
    @Test
    void aSymlinkInsideABasisDirectoryLeadsNowhere() throws IOException {
        Path tree = Files.createDirectories(tmp.resolve("tree/evil"));
        Path there = Files.writeString(outside.resolve("secret.txt"), "same bytes as outside\n");
        Path here = Files.writeString(tree.resolve("secret.txt"), "same bytes as outside\n");
        Files.setLastModifiedTime(there, Files.getLastModifiedTime(here));
        ProcessResult res = rsync(StockRsync.requireOnPath(), "-a", "--stats", "--link-dest=..",
                tmp.resolve("tree") + "/", daemon.url("esc/new/")).assertSuccess();
        assertFalse(TreeAssert.sameInode(there, esc.resolve("new/evil/secret.txt")));
        assertEquals(1, Files.getAttribute(there, "unix:nlink"));
        assertEquals(Files.size(here), res.stats().literalData(), res.transcript());
    }
}
