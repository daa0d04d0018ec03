package dev.jrsync.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.api.PrintedLog;
import dev.jrsync.core.RsyncException;
import dev.jrsync.options.OptionParser;
import dev.jrsync.options.Options;
import dev.jrsync.options.OptionsBuilder;
import dev.jrsync.session.LocalDest;
import dev.jrsync.testing.RecordingLog;
import dev.jrsync.testing.StockDaemon;
import dev.jrsync.testing.StockRsync;
import dev.jrsync.testing.TestTrees;
import dev.jrsync.testing.TransferLog;
import dev.jrsync.testing.TreeAssert;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PullIntegrationTest {
    private static final Duration LOG_WAIT = Duration.ofSeconds(10);

    @TempDir
    Path tmp;

    final RecordingLog log = new RecordingLog();

    private TransferResult pull(String url, Path dst, Map<String, String> env, String... opts) {
        List<String> argv = new ArrayList<>(Arrays.asList(opts));
        argv.add(url);
        argv.add(dst.toString());
        Options o = OptionParser.parse(argv);
        return Pull.run(o, DaemonAddress.parse(url, DaemonAddress.DEFAULT_PORT), LocalDest.of(dst), Filters.from(o), PrintedLog.of(log, o),
                Credentials.of(o.passwordFile(), env));
    }

    private TransferResult pull(String url, Path dst, String... opts) {
        return pull(url, dst, Map.of(), opts);
    }

    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void pullsTheVariedTreeThenOnlyTheDeltaThenDeletes(StockRsync rsync) throws IOException {
        Path served = tmp.resolve("served");
        Path dst = tmp.resolve("dst");
        TestTrees.buildVaried(served);
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("mod", served).readOnly(true)).start()) {
            TransferResult first = pull(daemon.url("mod"), dst, "-a");
            TreeAssert.assertIdentical(served, dst, TreeAssert.exact());
            assertEquals(0, first.ioError(), () -> log.text());
            TransferLog firstLog = daemon.awaitSessions(1, LOG_WAIT);
            assertFalse(firstLog.lastSession().push());
            assertTrue(firstLog.entry(TestTrees.BIG_FILE).bytes() >= TestTrees.BIG_SIZE);

            TestTrees.editInPlace(served.resolve(TestTrees.BIG_FILE), 1, 3);
            TransferResult delta = pull(daemon.url("mod"), dst, "-a", "--stats");
            TreeAssert.assertIdentical(served, dst, TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));
            TransferLog second = daemon.awaitSessions(2, LOG_WAIT);
            TransferLog.Entry edited = second.of(second.lastSession()).entry(TestTrees.BIG_FILE);
            System.out.println("[pull delta " + rsync + "] daemon log: " + edited + "; session " + second.lastSession()
                    + "; our stats literal=" + delta.stats().literalData + " matched=" + delta.stats().matchedData
                    + " bytesRead=" + delta.bytesRead() + " bytesWritten=" + delta.bytesWritten());
            assertTrue(edited.bytes() < TestTrees.BIG_SIZE / 20, () -> "delta moved " + edited);
            assertEquals(1, delta.stats().transferredFiles, () -> log.text());
            assertTrue(delta.stats().matchedData > TestTrees.BIG_SIZE * 0.9, () -> "matched " + delta.stats().matchedData);
            assertTrue(delta.bytesRead() < TestTrees.BIG_SIZE / 20, () -> "read " + delta.bytesRead());
            TreeAssert.assertNoTempFiles(dst);

            Files.writeString(dst.resolve("extra.txt"), "extra");
            Files.createDirectories(dst.resolve("deep/a/extra-dir"));
            Files.writeString(dst.resolve("deep/a/extra-dir/x"), "x");
            TransferResult deleting = pull(daemon.url("mod"), dst, "-a", "--delete");
            TreeAssert.assertIdentical(served, dst, TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));
            assertEquals(2, deleting.stats().deletedFiles);
        }
    }

    @Test
    void authenticationRightAndWrong() throws IOException {
        StockRsync rsync = StockRsync.requireOnPath();
        Path served = tmp.resolve("served");
        Path dst = tmp.resolve("dst");
        TestTrees.buildVaried(served, TestTrees.Omit.LARGE_FILES);
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("secure", served).authUser("alice", "s3cret")).start()) {
            String url = daemon.url("alice", "secure");
            RsyncException wrong = assertThrows(RsyncException.class,
                    () -> pull(url, dst, Map.of("RSYNC_PASSWORD", "wrong"), "-a"));
            assertNotEquals(0, wrong.exitCode());
            assertTrue(log.text().contains("auth failed") || wrong.getMessage().contains("auth failed"),
                    () -> wrong.getMessage() + "\n" + log.text());
            assertFalse(Files.exists(dst));
            pull(url, dst, Map.of("RSYNC_PASSWORD", "s3cret"), "-a");
            TreeAssert.assertIdentical(served, dst, TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));
        }
    }

    /** A small tree whose destination holds an older version of one file, so deltas and tokens are exercised. */
    private void matrixPull(String... opts) throws IOException {
        StockRsync rsync = StockRsync.requireOnPath();
        Path served = tmp.resolve("served");
        Path dst = tmp.resolve("dst");
        TestTrees.buildVaried(served, TestTrees.Omit.LARGE_FILES);
        TestTrees.writeRandom(served.resolve("data.bin"), 200_000, 42);
        Files.createDirectories(dst);
        Files.copy(served.resolve("data.bin"), dst.resolve("data.bin"));
        TestTrees.editInPlace(served.resolve("data.bin"), 5, 2);
        Files.writeString(dst.resolve("extraneous.txt"), "only here");
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("mod", served).readOnly(true)).start()) {
            List<String> withDelete = new ArrayList<>(Arrays.asList(opts));
            if (withDelete.stream().noneMatch(a -> a.startsWith("--delete"))) {
                withDelete.add("--delete");
            }
            TransferResult r = pull(daemon.url("mod"), dst, withDelete.toArray(String[]::new));
            TreeAssert.assertIdentical(served, dst, TreeAssert.Option.IGNORE_SYMLINK_MTIMES,
                    TreeAssert.Option.IGNORE_ROOT_MTIME);
            assertEquals(1, r.stats().deletedFiles, () -> log.text());
            assertTrue(r.stats().matchedData > 100_000, () -> "matched " + r.stats().matchedData + "\n" + log);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {29, 30, 31, 32})
    void eachProtocol(int protocol) throws IOException {
        matrixPull("-a", "--protocol=" + protocol);
    }

    @ParameterizedTest
    @ValueSource(strings = {"zstd", "lz4", "zlibx", "zlib"})
    void eachCompression(String compression) throws IOException {
        matrixPull("-a", "-z", "--zc=" + compression);
    }

    @ParameterizedTest
    @ValueSource(strings = {"xxh128", "xxh3", "xxh64", "md5", "md4"})
    void eachChecksum(String checksum) throws IOException {
        matrixPull("-a", "--cc=" + checksum);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--delete-before", "--delete-during", "--delete-delay", "--delete-after", "--delay-updates"})
    void deletionTimingsAndDelayedUpdates(String mode) throws IOException {
        matrixPull("-a", mode, "--stats");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--delete-after", "--delay-updates"})
    void lateChoreographyOnProtocol30(String mode) throws IOException {
        matrixPull("-a", mode, "--protocol=30");
    }

    @Test
    void singleFileToANewName() throws IOException {
        StockRsync rsync = StockRsync.requireOnPath();
        Path served = tmp.resolve("served");
        TestTrees.buildVaried(served, TestTrees.Omit.LARGE_FILES);
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("mod", served).readOnly(true)).start()) {
            Path target = tmp.resolve("copy-of-small.txt");
            pull(daemon.url("mod") + "small.txt", target, "-t");
            assertEquals(Files.readString(served.resolve("small.txt")), Files.readString(target));
            assertEquals(Files.getLastModifiedTime(served.resolve("small.txt")), Files.getLastModifiedTime(target));
            Path dir = Files.createDirectories(tmp.resolve("into-dir"));
            pull(daemon.url("mod") + "small.txt", dir, "-t");
            assertEquals(Files.readString(served.resolve("small.txt")), Files.readString(dir.resolve("small.txt")));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"--inplace", "--partial-dir=.p", "--numeric-ids", "--sparse", "-I", "--partial"})
    void receivingOptionsAgainstTheStockSender(String option) throws IOException {
        matrixPull("-a", option);
    }

    @Test
    void fuzzyBackupDirAndDryRunAgainstTheStockSender() throws IOException {
        StockRsync rsync = StockRsync.requireOnPath();
        Path served = tmp.resolve("served");
        Path dst = tmp.resolve("dst");
        Files.createDirectories(served);
        TestTrees.writeRandom(served.resolve("report-2024.bin"), 200_000, 8);
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("mod", served).readOnly(true)).start()) {
            pull(daemon.url("mod"), dst, "-a");
            Files.move(served.resolve("report-2024.bin"), served.resolve("report-2025.bin"));
            TestTrees.editInPlace(served.resolve("report-2025.bin"), 3, 1);

            TransferResult dry = pull(daemon.url("mod"), dst, "-a", "-n", "--delete");
            assertEquals(1, dry.stats().transferredFiles);
            assertEquals(1, dry.stats().deletedFiles);
            assertFalse(Files.exists(dst.resolve("report-2025.bin")));
            assertTrue(Files.exists(dst.resolve("report-2024.bin")));

            TransferResult fuzzy = pull(daemon.url("mod"), dst, "-a", "-y");
            assertTrue(fuzzy.stats().matchedData >= 150_000, () -> "matched " + fuzzy.stats().matchedData + log);
            assertTrue(fuzzy.bytesRead() < 100_000, () -> "read " + fuzzy.bytesRead());
            Files.delete(dst.resolve("report-2024.bin"));
            TreeAssert.assertIdentical(served, dst, TreeAssert.Option.IGNORE_ROOT_MTIME);

            byte[] before = Files.readAllBytes(dst.resolve("report-2025.bin"));
            TestTrees.editInPlace(served.resolve("report-2025.bin"), 4, 1);
            pull(daemon.url("mod"), dst, "-a", "--backup-dir=../bak", "--suffix=.old");
            TreeAssert.assertIdentical(served, dst, TreeAssert.Option.IGNORE_ROOT_MTIME);
            assertTrue(Arrays.equals(before, Files.readAllBytes(tmp.resolve("bak/report-2025.bin.old"))));
        }
    }

    @Test
    void removeSourceFilesTellsTheSenderWhatArrived() throws IOException {
        StockRsync rsync = StockRsync.requireOnPath();
        Path served = tmp.resolve("served");
        Path dst = tmp.resolve("dst");
        Files.createDirectories(served.resolve("sub"));
        Files.writeString(served.resolve("a.txt"), "a");
        Files.writeString(served.resolve("sub/b.txt"), "b");
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("mod", served)).start()) {
            pull(daemon.url("mod"), dst, "-a", "--remove-source-files");
            assertEquals("a", Files.readString(dst.resolve("a.txt")));
            assertEquals("b", Files.readString(dst.resolve("sub/b.txt")));
            assertFalse(Files.exists(served.resolve("a.txt")), daemon::diagnostics);
            assertFalse(Files.exists(served.resolve("sub/b.txt")), daemon::diagnostics);
        }
    }

    @Test
    void listingMatchesTheStockClient() throws IOException {
        StockRsync rsync = StockRsync.requireOnPath();
        Path served = tmp.resolve("served");
        TestTrees.buildVaried(served);
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("mod", served).readOnly(true)).start()) {
            for (String[] args : List.of(new String[] {daemon.url("mod")}, new String[] {"-r", daemon.url("mod")},
                    new String[] {"-rl", daemon.url("mod") + "deep/"})) {
                var stock = dev.jrsync.testing.StockClient.of(rsync).run(args);
                stock.assertSuccess();
                log.clear();
                Options o = OptionParser.parse(args);
                String url = args[args.length - 1];
                Pull.run(o, DaemonAddress.parse(url, DaemonAddress.DEFAULT_PORT), null, Filters.from(o), log, Credentials.NONE);
                assertEquals(stock.stdout().lines().filter(l -> !l.isBlank()).toList(), log.lines(), String.join(" ", args));
            }
        }
    }

    @Test
    void checksumOptionPullsOnlyChangedContent() throws IOException {
        matrixPull("-a", "-c");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void interruptedPullLeavesTheOldFileOrAPartialOne(boolean partial) throws Exception {
        StockRsync rsync = StockRsync.requireOnPath();
        Path served = tmp.resolve("served");
        Path dst = tmp.resolve("dst");
        Files.createDirectories(served.resolve("data"));
        TestTrees.writeRandom(served.resolve(TestTrees.BIG_FILE), TestTrees.BIG_SIZE, 77);
        Files.createDirectories(dst.resolve("data"));
        byte[] old = "the old content\n".getBytes();
        if (!partial) {
            Files.write(dst.resolve(TestTrees.BIG_FILE), old);
        }
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("mod", served).readOnly(true)).start()) {
            Thread killer = Thread.ofVirtual().start(() -> {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                try {
                    while (System.nanoTime() < deadline) {
                        try (Stream<Path> s = Files.list(dst.resolve("data"))) {
                            if (s.anyMatch(p -> p.getFileName().toString().startsWith(".big-8MiB.bin.")
                                    && sizeOf(p) > 100_000)) {
                                break;
                            }
                        }
                        Thread.sleep(20);
                    }
                } catch (IOException | InterruptedException e) {
                    // fall through and kill anyway
                }
                daemon.close();
            });
            List<String> opts = new ArrayList<>(List.of("-a", "--bwlimit=1000"));
            if (partial) {
                opts.add("--partial");
            }
            RsyncException e = assertThrows(RsyncException.class,
                    () -> pull(daemon.url("mod"), dst, opts.toArray(String[]::new)));
            killer.join();
            assertTrue(e.exitCode() == 12 || e.exitCode() == 10 || e.exitCode() == 20, () -> "exit " + e.exitCode());
        }
        TreeAssert.assertNoTempFiles(dst);
        if (partial) {
            long size = Files.size(dst.resolve(TestTrees.BIG_FILE));
            assertTrue(size > 0 && size < TestTrees.BIG_SIZE, "partial size " + size);
        } else {
            assertEquals(new String(old), Files.readString(dst.resolve(TestTrees.BIG_FILE)));
        }
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"--append", "--append-verify"})
    void appendPullsOnlyTheGrowth(String mode) throws IOException {
        StockRsync rsync = StockRsync.requireOnPath();
        Path served = tmp.resolve("served");
        Path dst = tmp.resolve("dst");
        Files.createDirectories(served);
        byte[] full = TestTrees.randomBytes(400_000, 21);
        Files.write(served.resolve("log.bin"), full);
        Files.createDirectories(dst);
        Files.write(dst.resolve("log.bin"), Arrays.copyOf(full, 300_000));
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("mod", served).readOnly(true)).start()) {
            TransferResult r = pull(daemon.url("mod"), dst, "-a", mode);
            assertTrue(Arrays.equals(full, Files.readAllBytes(dst.resolve("log.bin"))), () -> log.text());
            assertEquals(100_000, r.stats().literalData, () -> log.text());
            assertTrue(r.bytesRead() < 150_000, () -> "read " + r.bytesRead());
            if (mode.equals("--append-verify")) {
                // A kept prefix that differs fails the whole-file check and is fetched again in full.
                byte[] changed = full.clone();
                changed[10] ^= 1;
                Files.write(served.resolve("log.bin"), Arrays.copyOf(changed, 450_000));
                TransferResult redo = pull(daemon.url("mod"), dst, "-a", mode);
                assertEquals(2, redo.stats().transferredFiles, () -> log.text());
                assertTrue(Arrays.equals(Arrays.copyOf(changed, 450_000), Files.readAllBytes(dst.resolve("log.bin"))));
            }
        }
    }

    @Test
    void itemizedOutputMatchesTheStockClient() throws IOException {
        StockRsync rsync = StockRsync.requireOnPath();
        Path served = tmp.resolve("served");
        TestTrees.buildVaried(served, TestTrees.Omit.LARGE_FILES);
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("mod", served).readOnly(true)).start()) {
            Path theirs = tmp.resolve("theirs");
            Path ours = tmp.resolve("ours");
            for (int round = 0; round < 2; round++) {
                var stock = dev.jrsync.testing.StockClient.of(rsync).run("-ai", daemon.url("mod"), theirs + "/");
                stock.assertSuccess();
                log.clear();
                pull(daemon.url("mod"), ours, "-ai");
                List<String> expected = stock.stdout().lines().filter(l -> !l.isBlank() && !l.startsWith("created directory")).sorted().toList();
                List<String> actual = log.lines().stream().filter(l -> !l.startsWith("created directory")).sorted().toList();
                assertEquals(expected, actual, "round " + round);
                Files.writeString(served.resolve("small.txt"), "changed in round " + round + "\n");
                Files.writeString(served.resolve("new-" + round + ".txt"), "new\n");
            }
        }
    }

    /**
     * {@code --progress} on a pull: the receiver ends each file with rsync's "(xfr#N, to-chk=A/B)", counted as the
     * stock client counts them, with incremental recursion ("ir-chk" while lists still come) and without.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void progressOfAPullCountsAsTheStockClientDoes(boolean incRecursive) throws IOException {
        StockRsync rsync = StockRsync.requireOnPath();
        Path served = tmp.resolve("served");
        TestTrees.buildVaried(served, TestTrees.Omit.SPECIALS);
        for (int d = 0; d < 5; d++) {
            for (int f = 0; f < 20; f++) {
                Files.createDirectories(served.resolve("many/d" + d));
                Files.writeString(served.resolve("many/d" + d + "/f" + f + ".txt"), "file " + d + "/" + f + "\n");
            }
        }
        String recursion = incRecursive ? "--inc-recursive" : "--no-inc-recursive";
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("mod", served).readOnly(true)).start()) {
            var stock = dev.jrsync.testing.StockClient.of(rsync).run("-a", recursion, "--progress", daemon.url("mod"),
                    tmp.resolve("theirs") + "/");
            stock.assertSuccess();
            log.clear();
            pull(daemon.url("mod"), tmp.resolve("ours"), "-a", recursion, "--progress");
            List<String> expected = transferCounts(stock.stdout());
            assertTrue(expected.size() > 100, stock::stdout);
            assertEquals(expected, transferCounts(log.partialText()));
        }
    }

    /** The "(xfr#N, to-chk=A/B)" ends of a run's progress lines, in order. */
    private static List<String> transferCounts(String output) {
        return Pattern.compile("\\(xfr#\\d+, (to|ir)-chk=\\d+/\\d+\\)").matcher(output).results()
                .map(MatchResult::group).toList();
    }

    /** {@code --link-dest} on the pulling side: unchanged files are linked to yesterday's copy, not sent. */
    @Test
    void aPullFromAStockDaemonLinksUnchangedFiles() throws IOException {
        StockRsync rsync = StockRsync.requireOnPath();
        Path src = tmp.resolve("src");
        TestTrees.buildVaried(src);
        Path old = tmp.resolve("old");
        LocalCopy.run(OptionParser.parse("-a", src + "/", old.toString()), List.of(src + "/"), LocalDest.of(old),
                Filters.from(new OptionsBuilder().build()), log);
        Files.writeString(src.resolve("small.txt"), "changed since yesterday\n");
        Path today = tmp.resolve("today");
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("mod", src).readOnly(true)).start()) {
            TransferResult r = pull(daemon.url("mod"), today, "-a", "--link-dest=../old");
            TreeAssert.assertIdentical(src, today, TreeAssert.exact());
            assertTrue(TreeAssert.sameInode(old.resolve(TestTrees.BIG_FILE), today.resolve(TestTrees.BIG_FILE)),
                    () -> log.text());
            assertEquals(1, r.stats().transferredFiles, () -> log.text());
            assertTrue(daemon.awaitSessions(1, Duration.ofSeconds(10)).find(TestTrees.BIG_FILE).isEmpty(),
                    "the daemon sent no unchanged file");
        }
    }
}
