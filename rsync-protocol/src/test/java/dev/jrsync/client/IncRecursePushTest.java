package dev.jrsync.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.api.PrintedLog;
import dev.jrsync.options.OptionParser;
import dev.jrsync.options.Options;
import dev.jrsync.testing.CurrentUser;
import dev.jrsync.testing.RecordingLog;
import dev.jrsync.testing.StockDaemon;
import dev.jrsync.testing.StockRsync;
import dev.jrsync.testing.TestTrees;
import dev.jrsync.testing.TreeAssert;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * jrsync pushes to stock daemons with incremental recursion, which a stock receiver grants whenever the pushing
 * client offers it: the top list first, then each directory's list as the daemon's generator needs more, freed at
 * its NDX_DONE. The tree must arrive whole, and deletion, excludes, dry runs and source removal work as without.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class IncRecursePushTest {
    /** rsync's -v line when the lists go incrementally (rsync/flist.c:send_file_list). */
    private static final String INCREMENTAL = "sending incremental file list";
    /** More files than the sender's look-ahead (1,000), several levels deep. */
    private static final int WIDE_DIRS = 24;
    private static final int FILES_PER_DIR = 55;

    @TempDir
    Path tmp;

    final RecordingLog log = new RecordingLog();

    private TransferResult push(Path src, String url, String... opts) {
        List<String> argv = new ArrayList<>(Arrays.asList(opts));
        argv.add(src + "/");
        argv.add(url);
        Options o = OptionParser.parse(argv);
        log.clear();
        return Push.run(o, List.of(src + "/"), DaemonAddress.parse(url, DaemonAddress.DEFAULT_PORT), Filters.from(o),
                PrintedLog.of(log, o), Credentials.NONE);
    }

    private String output() {
        return log.text();
    }

    private static TreeAssert.Option[] identical() {
        List<TreeAssert.Option> options = new ArrayList<>(
                List.of(TreeAssert.Option.NANOSECONDS, TreeAssert.Option.IGNORE_SYMLINK_MTIMES,
                        TreeAssert.Option.IGNORE_ROOT_MTIME));
        if (CurrentUser.isRoot()) {
            options.add(TreeAssert.Option.OWNERSHIP);
        }
        return options.toArray(TreeAssert.Option[]::new);
    }

    /** The varied tree (symlinks, an empty directory, deep nesting) and wide/dN/sub/... with 1,320 more files. */
    private static void buildSource(Path src) throws IOException {
        TestTrees.buildVaried(src, TestTrees.Omit.SPECIALS, TestTrees.Omit.LARGE_FILES);
        Instant stamp = Instant.parse("2020-01-02T03:04:05.678901234Z");
        for (int d = 0; d < WIDE_DIRS; d++) {
            Path dir = src.resolve("wide/d" + d + (d % 3 == 0 ? "/inner/most" : ""));
            Files.createDirectories(dir);
            for (int f = 0; f < FILES_PER_DIR; f++) {
                Files.writeString(dir.resolve("f" + f), "file " + f + " of " + src.relativize(dir) + "\n");
            }
            if (d % 5 == 0) {
                // stamped: a stock receiver leaves a new directory's mtime alone when it is in the same second
                TestTrees.setMtime(Files.createDirectories(src.resolve("wide/d" + d + "/empty")), stamp.minusSeconds(d));
            }
            Files.createSymbolicLink(src.resolve("wide/d" + d + "/to-first"), Path.of("f0"));
            for (Path p = dir; !p.equals(src); p = p.getParent()) {
                TestTrees.setMtime(p, stamp.plusSeconds(d * 7L + p.getNameCount()));
            }
        }
        TestTrees.setMtime(src, stamp);
    }


    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void pushesTheTreeListByListThenNothingThenDeletesAroundExcludes(StockRsync rsync) throws IOException {
        Path src = tmp.resolve("src");
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        buildSource(src);
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("mod", dst)).start()) {
            TransferResult first = push(src, daemon.url("mod"), "-av");
            assertTrue(log.lines().contains(INCREMENTAL), this::output);
            assertEquals(0, first.ioError(), this::output);
            TreeAssert.assertIdentical(src, dst, identical());
            assertEquals(TreeAssert.regularFiles(src), first.stats().transferredFiles, this::output);

            TransferResult again = push(src, daemon.url("mod"), "-av");
            assertTrue(log.lines().contains(INCREMENTAL), this::output);
            assertEquals(0, again.ioError(), this::output);
            assertEquals(0, again.stats().transferredFiles, this::output);
            TreeAssert.assertIdentical(src, dst, identical());

            // extraneous files deep down and in a directory the sender lists late; an excluded name on each side
            Files.writeString(dst.resolve("deep/a/b/c/extra.txt"), "extra");
            Files.createDirectories(dst.resolve("wide/d21/gone/sub"));
            Files.writeString(dst.resolve("wide/d21/gone/sub/x"), "x");
            Files.writeString(dst.resolve("wide/d9/inner/most/kept.skip"), "protected by the exclude");
            Files.writeString(src.resolve("wide/d12/not-sent.skip"), "excluded");
            Files.writeString(src.resolve("wide/d12/f3"), "changed\n");
            TestTrees.setMtime(src.resolve("wide/d12"), Instant.parse("2019-05-06T07:08:09Z"));
            TransferResult third = push(src, daemon.url("mod"), "-av", "--delete", "--exclude=*.skip");
            assertTrue(log.lines().contains(INCREMENTAL), this::output);
            assertEquals(0, third.ioError(), this::output);
            assertEquals(1, third.stats().transferredFiles, this::output);
            assertFalse(Files.exists(dst.resolve("deep/a/b/c/extra.txt")), this::output);
            assertFalse(Files.exists(dst.resolve("wide/d21/gone")), this::output);
            assertFalse(Files.exists(dst.resolve("wide/d12/not-sent.skip")), this::output);
            Files.delete(dst.resolve("wide/d9/inner/most/kept.skip"));
            Files.delete(src.resolve("wide/d12/not-sent.skip"));
            TestTrees.setMtime(src.resolve("wide/d12"), Instant.parse("2019-05-06T07:08:09Z"));
            TestTrees.setMtime(dst.resolve("wide/d12"), Instant.parse("2019-05-06T07:08:09Z"));
            TestTrees.setMtime(dst.resolve("wide/d9/inner/most"), Files.getLastModifiedTime(src.resolve("wide/d9/inner/most")).toInstant());
            TreeAssert.assertIdentical(src, dst, identical());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void aDryRunListsEveryFileAndWritesNothing(StockRsync rsync) throws IOException {
        Path src = tmp.resolve("src");
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        buildSource(src);
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("mod", dst)).start()) {
            TransferResult dry = push(src, daemon.url("mod"), "-avn");
            assertTrue(log.lines().contains(INCREMENTAL), this::output);
            assertEquals(0, dry.ioError(), this::output);
            assertEquals(TreeAssert.regularFiles(src), dry.stats().transferredFiles, this::output);
            assertTrue(log.lines().contains("wide/d23/f54"), this::output);
            try (Stream<Path> left = Files.list(dst)) {
                assertEquals(0, left.count());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void removeSourceFilesRemovesEachFileOnceItArrived(StockRsync rsync) throws IOException {
        Path src = tmp.resolve("src");
        Path copy = tmp.resolve("copy");
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        buildSource(src);
        buildSource(copy);
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("mod", dst)).start()) {
            TransferResult result = push(src, daemon.url("mod"), "-av", "--remove-source-files");
            assertTrue(log.lines().contains(INCREMENTAL), this::output);
            assertEquals(0, result.ioError(), this::output);
            assertEquals(0, TreeAssert.regularFiles(src), this::output);
            TreeAssert.assertIdentical(copy, dst, TreeAssert.Option.IGNORE_MTIMES);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void noIncRecursiveSendsTheWholeListAtOnce(StockRsync rsync) throws IOException {
        Path src = tmp.resolve("src");
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        buildSource(src);
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("mod", dst)).start()) {
            TransferResult result = push(src, daemon.url("mod"), "-av", "--no-i-r");
            assertFalse(log.lines().contains(INCREMENTAL), this::output);
            assertEquals(0, result.ioError(), this::output);
            TreeAssert.assertIdentical(src, dst, identical());
        }
    }
}
