package dev.jrsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.testing.CurrentUser;
import dev.jrsync.testing.ProcessResult;
import dev.jrsync.testing.StockClient;
import dev.jrsync.testing.StockDaemon;
import dev.jrsync.testing.StockRsync;
import dev.jrsync.testing.TestTrees;
import dev.jrsync.testing.TransferLog;
import dev.jrsync.testing.TreeAssert;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code jrsync} pushing to stock rsync daemons (3.5.x on PATH, 3.2.7 from .peers), asserted as a user would. */
class PushIntegrationTest {
    private static final Duration LOG_WAIT = Duration.ofSeconds(10);

    @TempDir
    Path tmp;

    private StockDaemon daemon(StockRsync rsync, Path dst) {
        return StockDaemon.builder(rsync, tmp.resolve("daemon")).module(StockDaemon.Module.of("mod", dst)).start();
    }

    /**
     * Gives every entry a distinct past mtime, directories last: a receiver's quick check cannot tell a
     * source directory from a destination one made in the same second.
     */
    static void age(Path root) throws IOException {
        List<Path> all;
        try (Stream<Path> walk = Files.walk(root)) {
            all = new ArrayList<>(walk.toList());
        }
        all.sort(java.util.Comparator.comparing((Path p) -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                .thenComparing(p -> -p.getNameCount()));
        java.time.Instant t = java.time.Instant.parse("2020-01-02T03:04:05.123456789Z");
        for (Path p : all) {
            TestTrees.setMtime(p, t);
            t = t.plusSeconds(61).plusNanos(1000);
        }
    }

    private static TreeAssert.Option[] identical() {
        List<TreeAssert.Option> options = new ArrayList<>(List.of(TreeAssert.Option.NANOSECONDS));
        if (CurrentUser.isRoot()) {
            options.add(TreeAssert.Option.OWNERSHIP);
        }
        return options.toArray(TreeAssert.Option[]::new);
    }

    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void variedTreeArrivesIdenticalAndDeltaMovesLittle(StockRsync rsync) throws IOException {
        Path src = tmp.resolve("src");
        Path dst = Files.createDirectory(tmp.resolve("dst"));
        TestTrees.buildVaried(src);
        try (StockDaemon daemon = daemon(rsync, dst)) {
            Jrsync first = Jrsync.run("-a", "--stats", src + "/", daemon.url("mod")).assertSuccess();
            TreeAssert.assertIdentical(src, dst, identical());
            assertEquals(first.statsValue("Total transferred file size"), first.statsValue("Literal data"));

            TestTrees.editInPlace(src.resolve(TestTrees.BIG_FILE), 7, 3);
            Jrsync second = Jrsync.run("-a", "--stats", src + "/", daemon.url("mod")).assertSuccess();
            TreeAssert.assertIdentical(src, dst, identical());
            TransferLog log = daemon.awaitSessions(2, LOG_WAIT);
            TransferLog.Entry big = log.of(log.lastSession()).entry(TestTrees.BIG_FILE);
            // Three edited spots cost a few blocks each; the rest of the 8 MiB is matched.
            assertTrue(big.bytes() < TestTrees.BIG_SIZE / 20, () -> "delta moved " + big + "\n" + second.transcript());
            assertTrue(second.statsValue("Matched data") > TestTrees.BIG_SIZE * 0.9, second::transcript);
            assertTrue(second.statsValue("Total bytes sent") < TestTrees.BIG_SIZE / 20, second::transcript);
        }
    }

    static Stream<Arguments> choices() {
        List<Arguments> all = new ArrayList<>();
        for (StockRsync rsync : StockRsync.peers().toList()) {
            for (String cc : List.of("xxh128", "xxh3", "xxh64", "md5", "md4")) {
                all.add(Arguments.of(rsync, "--checksum-choice=" + cc));
            }
            for (String zc : List.of("zstd", "lz4", "zlibx", "zlib")) {
                all.add(Arguments.of(rsync, "--compress-choice=" + zc));
            }
            all.add(Arguments.of(rsync, "-z"));
            for (String p : List.of("29", "30", "31")) {
                all.add(Arguments.of(rsync, "--protocol=" + p));
            }
        }
        return all.stream();
    }

    /** Every checksum, compression and older protocol: a scattered edit of a 2 MiB file moves a few percent. */
    @ParameterizedTest(name = "[{index}] {0} {1}")
    @MethodSource("choices")
    void deltaPushWithEachChoice(StockRsync rsync, String choice) throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.createDirectory(src.resolve("sub"));
        Path dst = Files.createDirectory(tmp.resolve("dst"));
        int size = 2 * 1024 * 1024;
        TestTrees.writeRandom(src.resolve("file.bin"), size, 11);
        Files.writeString(src.resolve("sub/note.txt"), "a note\n");
        age(src);
        // Protocols 29 and 30 carry mtimes in whole seconds.
        TreeAssert.Option[] precision = choice.matches("--protocol=(29|30)") ? new TreeAssert.Option[0]
                : new TreeAssert.Option[] {TreeAssert.Option.NANOSECONDS};
        try (StockDaemon daemon = daemon(rsync, dst)) {
            List<String> args = new ArrayList<>(List.of("-a", "--stats", choice));
            if (choice.startsWith("--compress-choice")) {
                args.add("-z");
            }
            args.add(src + "/");
            args.add(daemon.url("mod"));
            Jrsync.run(args.toArray(String[]::new)).assertSuccess();
            TreeAssert.assertIdentical(src, dst, precision);

            TestTrees.editInPlace(src.resolve("file.bin"), 3, 4);
            Jrsync second = Jrsync.run(args.toArray(String[]::new)).assertSuccess();
            TreeAssert.assertIdentical(src, dst, precision);
            TransferLog log = daemon.awaitSessions(2, LOG_WAIT);
            TransferLog.Entry file = log.of(log.lastSession()).entry("file.bin");
            assertTrue(file.bytes() < size / 20, () -> choice + " moved " + file + "\n" + second.transcript());
            assertTrue(second.statsValue("Matched data") > size * 0.9, second::transcript);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void deleteRemovesWhatTheSourceNoLongerHas(StockRsync rsync) throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.createDirectory(src.resolve("keep"));
        Path dst = Files.createDirectory(tmp.resolve("dst"));
        Files.writeString(src.resolve("keep/a.txt"), "a\n");
        Files.writeString(src.resolve("b.txt"), "b\n");
        age(src);
        try (StockDaemon daemon = daemon(rsync, dst)) {
            Jrsync.run("-a", src + "/", daemon.url("mod")).assertSuccess();
            Files.delete(src.resolve("b.txt"));
            age(src);
            Files.createDirectories(dst.resolve("extra/deeper"));
            Files.writeString(dst.resolve("extra/deeper/x"), "x\n");
            Jrsync r = Jrsync.run("-av", "--delete", src + "/", daemon.url("mod")).assertSuccess();
            assertFalse(Files.exists(dst.resolve("b.txt")), r::transcript);
            assertFalse(Files.exists(dst.resolve("extra"), LinkOption.NOFOLLOW_LINKS), r::transcript);
            assertTrue(r.stdout().contains("deleting b.txt"), r::transcript);
            TreeAssert.assertIdentical(src, dst, TreeAssert.Option.NANOSECONDS);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void rightPasswordGetsInAndWrongOneIsRefused(StockRsync rsync) throws IOException {
        Path src = Files.createDirectory(tmp.resolve("src"));
        Path dst = Files.createDirectory(tmp.resolve("dst"));
        Files.writeString(src.resolve("f.txt"), "secret stuff\n");
        age(src);
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("mod", dst).authUser("alice", "s3cret")).start()) {
            Jrsync wrong = Jrsync.run(Map.of("RSYNC_PASSWORD", "nope"), "-a", src + "/", daemon.url("alice", "mod"));
            assertEquals(5, wrong.exitCode(), wrong::transcript);
            assertTrue(wrong.stderr().contains("auth failed"), wrong::transcript);
            try (Stream<Path> files = Files.list(dst)) {
                assertEquals(0, files.count(), "a refused push changed nothing");
            }

            Path passwordFile = tmp.resolve("pw");
            Files.writeString(passwordFile, "s3cret\n");
            Files.setPosixFilePermissions(passwordFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            Jrsync right = Jrsync.run("-a", "--password-file=" + passwordFile, src + "/", daemon.url("alice", "mod"));
            right.assertSuccess();
            TreeAssert.assertIdentical(src, dst, TreeAssert.Option.NANOSECONDS);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void moduleListingShowsTheModules(StockRsync rsync) throws IOException {
        Path dst = Files.createDirectory(tmp.resolve("dst"));
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("mod", dst).line("comment = the test module")).start()) {
            Jrsync r = Jrsync.run(daemon.url("mod").replace("mod/", "")).assertSuccess();
            assertTrue(r.stdoutLines().stream().anyMatch(l -> l.startsWith("mod") && l.contains("the test module")),
                    r::transcript);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void readOnlyModuleFailsClearly(StockRsync rsync) throws IOException {
        Path src = Files.createDirectory(tmp.resolve("src"));
        Path dst = Files.createDirectory(tmp.resolve("dst"));
        Files.writeString(src.resolve("f.txt"), "x\n");
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("mod", dst).readOnly(true)).start()) {
            Jrsync r = Jrsync.run("-a", src + "/", daemon.url("mod"));
            int stock = StockClient.of(rsync).run("-a", src + "/", daemon.url("mod")).exitCode();
            assertTrue(stock != 0);
            assertEquals(stock, r.exitCode(), () -> "the stock client exits with " + stock + "\n" + r.transcript());
            assertTrue(r.stderr().contains("module is read only"), r::transcript);
            assertFalse(Files.exists(dst.resolve("f.txt")));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void removeSourceFilesRemovesWhatArrived(StockRsync rsync) throws IOException {
        Path src = Files.createDirectory(tmp.resolve("src"));
        Path dst = Files.createDirectory(tmp.resolve("dst"));
        Files.writeString(src.resolve("a.txt"), "a\n");
        Files.writeString(src.resolve("b.txt"), "b\n");
        try (StockDaemon daemon = daemon(rsync, dst)) {
            Jrsync r = Jrsync.run("-avv", "--remove-source-files", src + "/", daemon.url("mod")).assertSuccess();
            assertEquals("a\n", Files.readString(dst.resolve("a.txt")));
            assertEquals("b\n", Files.readString(dst.resolve("b.txt")));
            assertFalse(Files.exists(src.resolve("a.txt")), r::transcript);
            assertFalse(Files.exists(src.resolve("b.txt")), r::transcript);
            assertTrue(r.stdout().contains("sender removed a.txt"), r::transcript);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void bwlimitSlowsThePush(StockRsync rsync) throws IOException {
        Path src = Files.createDirectory(tmp.resolve("src"));
        Path dst = Files.createDirectory(tmp.resolve("dst"));
        TestTrees.writeRandom(src.resolve("f.bin"), 600 * 1024, 5);
        try (StockDaemon daemon = daemon(rsync, dst)) {
            long start = System.nanoTime();
            Jrsync.run("-a", "--bwlimit=300", src + "/", daemon.url("mod")).assertSuccess();
            double seconds = (System.nanoTime() - start) / 1e9;
            // 600 KiB at 300 KiB/s: about two seconds; unshaped, loopback takes a few milliseconds.
            assertTrue(seconds > 1.2, () -> "600 KiB at --bwlimit=300 took only " + seconds + " s");
            TreeAssert.assertIdentical(src, dst, TreeAssert.Option.IGNORE_ROOT_MTIME);
        }
    }

    /**
     * --chmod on a push is the sender's (rsync/flist.c:send_file_name tweaks the modes it lists; the daemon is not
     * told): with and without -p, the modes that arrive are those the stock client's push leaves.
     */
    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void chmodOnAPushIsAppliedByTheSender(StockRsync rsync) throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src/d"));
        Files.writeString(src.resolve("f"), "f\n");
        Files.writeString(src.resolve("tool"), "t\n");
        Files.setPosixFilePermissions(src.resolve("tool"), java.nio.file.attribute.PosixFilePermissions.fromString(
                "rwxr-x---"));
        Path stockDst = Files.createDirectory(tmp.resolve("stock"));
        Path oursDst = Files.createDirectory(tmp.resolve("ours"));
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("stock", stockDst)).module(StockDaemon.Module.of("ours", oursDst)).start()) {
            for (String p : List.of("-r", "-rp")) {
                String[] spec = {p, "--chmod=Fa=r,D+X,go-w,Fu+x", tmp.resolve("src") + "/"};
                String sub = p.substring(1);
                StockClient.of(rsync).run(spec[0], spec[1], spec[2], daemon.url("stock/" + sub)).assertSuccess();
                Jrsync.run(spec[0], spec[1], spec[2], daemon.url("ours/" + sub)).assertSuccess();
                for (String name : List.of("d", "d/f", "d/tool")) {
                    assertEquals(Files.getAttribute(stockDst.resolve(sub + "/" + name), "unix:mode"),
                            Files.getAttribute(oursDst.resolve(sub + "/" + name), "unix:mode"), p + " " + name);
                }
            }
            assertEquals(0544, (int) Files.getAttribute(oursDst.resolve("rp/d/tool"), "unix:mode") & 07777);
        }
    }

    /**
     * The same changes pushed by the stock client into one module and by jrsync into another itemize alike, the
     * daemon's deletions included ("*deleting", from its MSG_DELETED).
     */
    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void itemizedChangesMatchTheStockClient(StockRsync rsync) throws IOException {
        Path src = Files.createDirectory(tmp.resolve("src"));
        Path stockDst = Files.createDirectory(tmp.resolve("stock"));
        Path oursDst = Files.createDirectory(tmp.resolve("ours"));
        Files.createDirectory(src.resolve("d"));
        Files.writeString(src.resolve("d/grow.txt"), "one\n");
        Files.writeString(src.resolve("same.txt"), "same\n");
        Files.writeString(src.resolve("mode.txt"), "mode\n");
        age(src);
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("stock", stockDst)).module(StockDaemon.Module.of("ours", oursDst)).start()) {
            StockClient stock = StockClient.of(rsync);
            stock.run("-a", src + "/", daemon.url("stock")).assertSuccess();
            stock.run("-a", src + "/", daemon.url("ours")).assertSuccess();

            Files.writeString(src.resolve("d/grow.txt"), "two\n", java.nio.file.StandardOpenOption.APPEND);
            Files.writeString(src.resolve("d/new.txt"), "new\n");
            Files.setPosixFilePermissions(src.resolve("mode.txt"),
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            age(src);
            Files.writeString(stockDst.resolve("gone.txt"), "gone\n");
            Files.writeString(oursDst.resolve("gone.txt"), "gone\n");
            String expected = itemized(stock.run("-ai", "--delete", src + "/", daemon.url("stock")).assertSuccess()
                    .stdout());
            Jrsync ours = Jrsync.run("-ai", "--delete", src + "/", daemon.url("ours")).assertSuccess();
            assertEquals(expected, itemized(ours.stdout()), ours::transcript);
            assertTrue(expected.contains("d/new.txt") && expected.contains("*deleting   gone.txt"), expected);
            TreeAssert.assertIdentical(stockDst, oursDst, TreeAssert.Option.NANOSECONDS);
        }
    }

    /** The itemized lines of a client's output, sorted, without the stock client's banner. */
    private static String itemized(String stdout) {
        return String.join("\n", stdout.lines().filter(l -> l.length() > 12 && l.charAt(11) == ' ').sorted().toList());
    }

    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void progressShowsEachFileAndItsTransferCount(StockRsync rsync) throws IOException {
        Path src = Files.createDirectory(tmp.resolve("src"));
        Path dst = Files.createDirectory(tmp.resolve("dst"));
        TestTrees.writeRandom(src.resolve("f.bin"), 100_000, 9);
        try (StockDaemon daemon = daemon(rsync, dst)) {
            Jrsync r = Jrsync.run("-a", "--progress", src + "/", daemon.url("mod")).assertSuccess();
            assertTrue(r.stdout().contains("f.bin\n"), r::transcript);
            assertTrue(r.stdout().matches("(?s).*\\r +100,000 100% .*\\(xfr#1, to-chk=0/2\\)\n.*"), r::transcript);
        }
    }

    /** A same-size, same-mtime rewrite escapes the quick check; {@code -c} compares file checksums and sends it. */
    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void checksumCatchesWhatTheQuickCheckMisses(StockRsync rsync) throws IOException {
        Path src = Files.createDirectory(tmp.resolve("src"));
        Path dst = Files.createDirectory(tmp.resolve("dst"));
        Files.writeString(src.resolve("f.txt"), "version one\n");
        age(src);
        try (StockDaemon daemon = daemon(rsync, dst)) {
            Jrsync.run("-a", src + "/", daemon.url("mod")).assertSuccess();
            java.nio.file.attribute.FileTime mtime = Files.getLastModifiedTime(src.resolve("f.txt"));
            Files.writeString(src.resolve("f.txt"), "version two\n");
            Files.setLastModifiedTime(src.resolve("f.txt"), mtime);
            Jrsync.run("-a", src + "/", daemon.url("mod")).assertSuccess();
            assertEquals("version one\n", Files.readString(dst.resolve("f.txt")), "the quick check skips it");
            Jrsync r = Jrsync.run("-ac", src + "/", daemon.url("mod")).assertSuccess();
            assertEquals("version two\n", Files.readString(dst.resolve("f.txt")), r::transcript);
        }
    }

    /** Devices and specials with {@code -D}, when we are root (the stock daemon then runs as root too). */
    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void devicesAndSpecialsArriveAsRoot(StockRsync rsync) throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(CurrentUser.isRoot(), "creating a device node needs root");
        Path src = Files.createDirectory(tmp.resolve("src"));
        Path dst = Files.createDirectory(tmp.resolve("dst"));
        dev.jrsync.fs.Posix.mknod(src.resolve("null-like"), 0020644, (1L << 8) | 3);
        dev.jrsync.fs.Posix.mkfifo(src.resolve("pipe"), 0640);
        age(src);
        try (StockDaemon daemon = daemon(rsync, dst)) {
            Jrsync.run("-a", src + "/", daemon.url("mod")).assertSuccess();
            TreeAssert.assertIdentical(src, dst, TreeAssert.Option.NANOSECONDS, TreeAssert.Option.OWNERSHIP);
            assertEquals(TreeAssert.Kind.CHAR_DEVICE, TreeAssert.kindOf(dst.resolve("null-like")));
            assertEquals(TreeAssert.Kind.FIFO, TreeAssert.kindOf(dst.resolve("pipe")));
        }
    }

    /** {@code --exclude} keeps names out and protects them from --delete; {@code --delete-excluded} removes them. */
    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void excludedNamesStayOutAndDeleteExcludedRemovesThem(StockRsync rsync) throws IOException {
        Path src = Files.createDirectory(tmp.resolve("src"));
        Path dst = Files.createDirectory(tmp.resolve("dst"));
        Files.createDirectory(src.resolve("sub"));
        Files.writeString(src.resolve("keep.c"), "c\n");
        Files.writeString(src.resolve("sub/skip.o"), "o\n");
        Files.writeString(src.resolve(".rsync-filter"), "- *.tmp\n");
        Files.writeString(src.resolve("sub/scratch.tmp"), "t\n");
        age(src);
        try (StockDaemon daemon = daemon(rsync, dst)) {
            Files.createDirectory(dst.resolve("sub"));
            Files.writeString(dst.resolve("sub/old.o"), "old\n");
            Jrsync.run("-a", "-F", "--exclude=*.o", "--delete", src + "/", daemon.url("mod")).assertSuccess();
            assertTrue(Files.exists(dst.resolve("keep.c")));
            assertFalse(Files.exists(dst.resolve("sub/skip.o")), "excluded by --exclude");
            assertFalse(Files.exists(dst.resolve("sub/scratch.tmp")), "excluded by the -F merge file");
            assertTrue(Files.exists(dst.resolve("sub/old.o")), "an excluded name is protected from --delete");

            Jrsync r = Jrsync.run("-av", "--exclude=*.o", "--delete-excluded", src + "/", daemon.url("mod"));
            r.assertSuccess();
            assertFalse(Files.exists(dst.resolve("sub/old.o")), r::transcript);
        }
    }

    /**
     * The daemon refuses the push and hangs up while we are still writing: its "ERROR: module is read only"
     * and exit code were already on the wire and must be what we print and exit with, as the stock client does.
     */
    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void aPushIntoAReadOnlyModuleEndsWithTheDaemonsError(StockRsync rsync) throws IOException {
        Path src = tmp.resolve("src");
        TestTrees.buildVaried(src);
        Path dst = Files.createDirectory(tmp.resolve("dst"));
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("ro", dst).readOnly(true)).start()) {
            ProcessResult stock = StockClient.of(rsync).run("-a", src + "/", daemon.url("ro"));
            Jrsync ours = Jrsync.run("-a", src + "/", daemon.url("ro"));
            assertTrue(ours.stderr().contains("ERROR: module is read only"), ours.transcript());
            assertFalse(ours.stderr().contains("connection unexpectedly closed"), ours.transcript());
            assertEquals(stock.exitCode(), ours.exitCode(), stock.transcript() + "\n" + ours.transcript());
        }
    }
}
