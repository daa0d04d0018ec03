package dev.jrsync.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.api.PrintedLog;
import dev.jrsync.options.OptionParser;
import dev.jrsync.options.Options;
import dev.jrsync.session.LocalDest;
import dev.jrsync.testing.RecordingLog;
import dev.jrsync.testing.StockDaemon;
import dev.jrsync.testing.StockRsync;
import dev.jrsync.testing.TestTrees;
import dev.jrsync.testing.TreeAssert;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pulls from a stock daemon with incremental recursion, which stock rsync negotiates whenever the client offers
 * it: the file list comes directory by directory during the transfer, and the tree must still arrive whole,
 * directory modes and mtimes included, with {@code --delete} working directory by directory.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IncRecursePullTest {
    private static final String INCREMENTAL = "receiving incremental file list";
    /** Enough files that the sender keeps several lists in flight (its look-ahead is 1,000 files). */
    private static final int WIDE_DIRS = 30;
    private static final int FILES_PER_DIR = 60;

    @TempDir
    Path tmp;

    final RecordingLog log = new RecordingLog();

    private TransferResult pull(String url, Path dst, String... opts) {
        List<String> argv = new ArrayList<>(Arrays.asList(opts));
        argv.add(url);
        argv.add(dst.toString());
        Options o = OptionParser.parse(argv);
        log.clear();
        return Pull.run(o, DaemonAddress.parse(url, DaemonAddress.DEFAULT_PORT), LocalDest.of(dst), Filters.from(o),
                PrintedLog.of(log, o), Credentials.NONE);
    }

    private String output() {
        return log.text();
    }

    /**
     * The varied tree, plus directories wide and deep enough for many lists, and a read-only directory with a
     * subdirectory: its mode must be set only once nothing more is written into it.
     */
    private static void buildServed(Path served) throws IOException {
        TestTrees.buildVaried(served, TestTrees.Omit.SPECIALS);
        Instant stamp = Instant.parse("2020-01-02T03:04:05.678901234Z");
        for (int d = 0; d < WIDE_DIRS; d++) {
            Path dir = served.resolve("wide/d" + d + (d % 3 == 0 ? "/inner" : ""));
            Files.createDirectories(dir);
            for (int f = 0; f < FILES_PER_DIR; f++) {
                Files.writeString(dir.resolve("f" + f), "file " + f + " of " + dir.getFileName() + "\n");
            }
            TestTrees.setMtime(dir, stamp.plusSeconds(d));
            TestTrees.setMtime(dir.getParent(), stamp.minusSeconds(d));
        }
        TestTrees.setMtime(served.resolve("wide"), stamp);
        Path ro = served.resolve("ro/sub");
        Files.createDirectories(ro);
        Files.writeString(ro.resolve("inside"), "inside a read-only directory\n");
        Files.writeString(served.resolve("ro/top"), "top\n");
        TestTrees.setMtime(ro, stamp.plusSeconds(7));
        Files.setPosixFilePermissions(served.resolve("ro"), PosixFilePermissions.fromString("r-xr-xr-x"));
        TestTrees.setMtime(served.resolve("ro"), stamp.plusSeconds(8));
        TestTrees.setMtime(served, stamp.plusSeconds(9));
    }


    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void pullsTheTreeListByListThenTheDeltaThenDeletesInDeepDirectories(StockRsync rsync) throws IOException {
        Path served = tmp.resolve("served");
        Path dst = tmp.resolve("dst");
        buildServed(served);
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("mod", served).readOnly(true)).start()) {
            TransferResult first = pull(daemon.url("mod"), dst, "-av");
            assertTrue(log.lines().contains(INCREMENTAL), this::output);
            TreeAssert.assertIdentical(served, dst, TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));
            assertEquals(0, first.ioError(), this::output);
            assertEquals(TreeAssert.regularFiles(served), first.stats().transferredFiles, this::output);

            // changed and unchanged files, extraneous ones in a deep directory and in a list-only subdirectory
            TestTrees.editInPlace(served.resolve(TestTrees.BIG_FILE), 1, 3);
            Files.writeString(served.resolve("wide/d4/f7"), "changed\n");
            TestTrees.setMtime(served.resolve("wide/d4"), Instant.parse("2019-05-06T07:08:09Z"));
            Files.writeString(dst.resolve("deep/a/b/c/extra.txt"), "extra");
            Files.createDirectories(dst.resolve("deep/a/b/extra-dir/sub"));
            Files.writeString(dst.resolve("deep/a/b/extra-dir/sub/x"), "x");
            Files.writeString(dst.resolve("wide/d9/inner/extra"), "extra");
            TransferResult second = pull(daemon.url("mod"), dst, "-av", "--delete");
            assertTrue(log.lines().contains(INCREMENTAL), this::output);
            TreeAssert.assertIdentical(served, dst, TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));
            assertEquals(0, second.ioError(), this::output);
            assertEquals(2, second.stats().transferredFiles, this::output);
            assertTrue(second.stats().matchedData > TestTrees.BIG_SIZE * 0.9, () -> "matched " + second.stats().matchedData);
            assertEquals(3, second.stats().deletedFiles, this::output);
            assertEquals(2, second.stats().deletedDirs, this::output);
            assertTrue(log.lines().contains("deleting deep/a/b/c/extra.txt"), this::output);
            TreeAssert.assertNoTempFiles(dst);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void noIncRecursiveStillPullsTheWholeListAtOnce(StockRsync rsync) throws IOException {
        Path served = tmp.resolve("served");
        Path dst = tmp.resolve("dst");
        buildServed(served);
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("mod", served).readOnly(true)).start()) {
            TransferResult result = pull(daemon.url("mod"), dst, "-av", "--no-i-r");
            assertFalse(log.lines().contains(INCREMENTAL), this::output);
            TreeAssert.assertIdentical(served, dst, TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));
            assertEquals(0, result.ioError(), this::output);
        }
    }

    /** Options rsync's receiver cannot apply list by list turn incremental recursion off, as in rsync. */
    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void deleteAfterAndDelayUpdatesPullWithoutIt(StockRsync rsync) throws IOException {
        Path served = tmp.resolve("served");
        buildServed(served);
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("mod", served).readOnly(true)).start()) {
            for (String opt : List.of("--delete-after", "--delay-updates", "--prune-empty-dirs")) {
                Path dst = tmp.resolve("dst" + opt);
                Files.createDirectories(dst);
                Files.write(dst.resolve("stale"), "stale".getBytes(StandardCharsets.UTF_8));
                pull(daemon.url("mod"), dst, "-av", "--delete", opt);
                assertFalse(log.lines().contains(INCREMENTAL), opt + "\n" + output());
                assertFalse(Files.exists(dst.resolve("stale")), opt);
                assertTrue(Files.exists(dst.resolve("wide/d3/inner/f59")), opt);
            }
        }
    }

    /** {@code --existing} makes no directory: not even the ones made early, while their parent's list is read. */
    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void existingCreatesNoDirectoryTheDestinationLacks(StockRsync rsync) throws IOException {
        Path served = tmp.resolve("served");
        Path dst = tmp.resolve("dst");
        buildServed(served);
        Files.createDirectories(dst.resolve("wide/d4"));
        Files.writeString(dst.resolve("wide/d4/f7"), "old\n");
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("mod", served).readOnly(true)).start()) {
            TransferResult r = pull(daemon.url("mod"), dst, "-av", "--existing");
            assertTrue(log.lines().contains(INCREMENTAL), this::output);
            assertEquals(0, r.ioError(), this::output);
            assertEquals(Files.readString(served.resolve("wide/d4/f7")), Files.readString(dst.resolve("wide/d4/f7")));
            try (var listed = Files.list(dst)) {
                assertEquals(List.of(dst.resolve("wide")), listed.toList(), this::output);
            }
            try (var listed = Files.list(dst.resolve("wide"))) {
                assertEquals(List.of(dst.resolve("wide/d4")), listed.toList(), this::output);
            }
        }
    }
}
