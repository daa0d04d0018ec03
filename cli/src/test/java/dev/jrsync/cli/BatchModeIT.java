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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Batch mode against the real peers: a batch jrsync writes (local copy, pull from a stock daemon, push to one)
 * replays under stock rsync, and one stock rsync writes (whole files, or deltas against the destination it had)
 * replays under jrsync, the replayed tree the source's; {@code --only-write-batch} changes nothing until then.
 */
class BatchModeIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    private static Path tree(Path tmp) {
        Path src = tmp.resolve("src");
        TestTrees.buildVaried(src);
        return src;
    }

    private static void assertSameTree(Path expected, Path actual) {
        TreeAssert.assertIdentical(expected, actual, TreeAssert.exact(TreeAssert.Option.IGNORE_ROOT_MTIME,
                TreeAssert.Option.IGNORE_SYMLINK_MTIMES));
    }

    /** The newest protocol both jrsync and {@code rsync} speak: what a batch for it must be written in. */
    private static String protocolFor(StockRsync rsync) {
        return "--protocol=" + Math.min(32, rsync.protocol());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void aLocalJrsyncBatchReplaysUnderStockRsync(StockRsync rsync, @TempDir Path tmp) throws IOException {
        Path src = tree(tmp);
        String batch = tmp.resolve("batch").toString();
        Jrsync.run("-a", protocolFor(rsync), "--write-batch=" + batch, src + "/", tmp.resolve("written") + "/")
                .assertSuccess();
        assertSameTree(src, tmp.resolve("written"));
        StockClient.of(rsync).timeout(TIMEOUT).run("-a", "--read-batch=" + batch, tmp.resolve("theirs") + "/")
                .assertSuccess();
        assertSameTree(src, tmp.resolve("theirs"));
        Jrsync.run("-a", "--read-batch=" + batch, tmp.resolve("ours") + "/").assertSuccess();
        assertSameTree(src, tmp.resolve("ours"));

        // an update of one copy is recorded as deltas, which replay on the other copies
        TestTrees.editInPlace(src.resolve(TestTrees.BIG_FILE), 2, 3);
        String update = tmp.resolve("update").toString();
        Jrsync.run("-a", protocolFor(rsync), "--write-batch=" + update, src + "/", tmp.resolve("written") + "/")
                .assertSuccess();
        assertTrue(Files.size(Path.of(update)) < TestTrees.BIG_SIZE / 4, "deltas, not whole files");
        StockClient.of(rsync).timeout(TIMEOUT).run("-a", "--read-batch=" + update, tmp.resolve("theirs") + "/")
                .assertSuccess();
        assertSameTree(src, tmp.resolve("theirs"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void aStockBatchReplaysUnderJrsyncWholeOrAsDeltas(StockRsync rsync, @TempDir Path tmp) throws IOException {
        Path src = tree(tmp);
        StockClient stock = StockClient.of(rsync).timeout(TIMEOUT);
        Path first = tmp.resolve("first");
        stock.run("-a", "--write-batch=" + tmp.resolve("whole"), src + "/", first + "/").assertSuccess();
        Jrsync.run("-a", "--read-batch=" + tmp.resolve("whole"), tmp.resolve("ours") + "/").assertSuccess();
        assertSameTree(src, tmp.resolve("ours"));

        // a changed big file: stock's batch holds a delta against the copy it had, which jrsync's copy also is
        TestTrees.editInPlace(src.resolve(TestTrees.BIG_FILE), 2, 3);
        Files.writeString(src.resolve("small.txt"), "changed\n");
        stock.run("-a", "--write-batch=" + tmp.resolve("delta"), src + "/", first + "/").assertSuccess();
        assertTrue(Files.size(tmp.resolve("delta")) < TestTrees.BIG_SIZE / 4, "a delta, not the whole file");
        Jrsync.run("-a", "--read-batch=" + tmp.resolve("delta"), tmp.resolve("ours") + "/").assertSuccess();
        assertSameTree(src, tmp.resolve("ours"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void pullsAndPushesWithAStockDaemonAreRecordedForStockToReplay(StockRsync rsync, @TempDir Path tmp)
            throws IOException {
        Path src = tree(tmp);
        Path mod = Files.createDirectories(tmp.resolve("mod"));
        StockClient stock = StockClient.of(rsync).timeout(TIMEOUT);
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("m", mod).readOnly(false)).start()) {
            Jrsync.run("-a", "--write-batch=" + tmp.resolve("pushed"), src + "/", daemon.url("m") + "t/")
                    .assertSuccess();
            assertSameTree(src, mod.resolve("t"));
            stock.run("-a", "--read-batch=" + tmp.resolve("pushed"), tmp.resolve("replayed-push") + "/")
                    .assertSuccess();
            assertSameTree(src, tmp.resolve("replayed-push"));

            Jrsync.run("-a", "--write-batch=" + tmp.resolve("pulled"), daemon.url("m") + "t/",
                    tmp.resolve("pulled-dest") + "/").assertSuccess();
            assertSameTree(src, tmp.resolve("pulled-dest"));
            stock.run("-a", "--read-batch=" + tmp.resolve("pulled"), tmp.resolve("replayed-pull") + "/")
                    .assertSuccess();
            assertSameTree(src, tmp.resolve("replayed-pull"));
        }
    }

    /** rsync's suite batch-only-remove-source-regression, with stock rsync replaying. */
    @Test
    void onlyWriteBatchChangesNothingUntilTheBatchIsReplayed(@TempDir Path tmp) throws IOException {
        StockRsync rsync = StockRsync.requireOnPath();
        Path src = tree(tmp);
        Path before = tmp.resolve("before");
        Jrsync.run("-a", src + "/", tmp.resolve("pristine") + "/").assertSuccess();
        Files.writeString(src.resolve("small.txt"), "the source's newer text\n");
        TestTrees.editInPlace(src.resolve(TestTrees.BIG_FILE), 5, 2);
        Jrsync.run("-a", tmp.resolve("pristine") + "/", before + "/").assertSuccess();
        Path dest = tmp.resolve("dest");
        Jrsync.run("-a", tmp.resolve("pristine") + "/", dest + "/").assertSuccess();
        Jrsync only = Jrsync.run("-av", "--only-write-batch=" + tmp.resolve("b"), "--remove-source-files",
                src + "/", dest + "/").assertSuccess();
        assertTrue(only.stdoutLines().getLast().endsWith(" (BATCH ONLY)"), only::transcript);
        assertSameTree(before, dest);
        assertTrue(Files.exists(src.resolve("small.txt")), "no source removed before the batch is replayed");
        assertTrue(Files.size(tmp.resolve("b")) < TestTrees.BIG_SIZE / 4, "deltas against the destination");
        StockClient.of(rsync).timeout(TIMEOUT).run("-a", "--read-batch=" + tmp.resolve("b"), dest + "/")
                .assertSuccess();
        assertSameTree(src, dest);
        assertTrue(Files.exists(src.resolve("small.txt")), "replaying removes no source");
    }

    /** The replay script names the program it was run as: here stock rsync, which replays jrsync's batch with it. */
    @Test
    void theReplayScriptReplaysTheBatchIntoAnotherDestination(@TempDir Path tmp) throws Exception {
        StockRsync rsync = StockRsync.requireOnPath();
        Path src = tree(tmp);
        Jrsync.run(Map.of("JRSYNC_ARGV0", rsync.binary().toString()), "-a", "--exclude=*.bin",
                "--write-batch=" + tmp.resolve("b"), src + "/", tmp.resolve("written") + "/").assertSuccess();
        String script = Files.readString(tmp.resolve("b.sh"));
        assertEquals("'" + rsync.binary() + "' --filter='._-' '-a' --read-batch='" + tmp.resolve("b") + "' ${1:-'"
                + tmp.resolve("written") + "/'} <<'#E#'\n- *.bin\n#E#\n", script);
        Process sh = new ProcessBuilder("sh", tmp.resolve("b.sh").toString(), tmp.resolve("replayed") + "/")
                .redirectErrorStream(true).start();
        String out = new String(sh.getInputStream().readAllBytes());
        assertEquals(0, sh.waitFor(), out);
        assertSameTree(tmp.resolve("written"), tmp.resolve("replayed"));
        assertFalse(Files.exists(tmp.resolve("replayed").resolve(TestTrees.BIG_FILE)));
    }

    @Test
    void aBatchMadeWithOtherOptionsSaysWhatItChanges(@TempDir Path tmp) {
        Path src = tree(tmp);
        Jrsync.run("-a", "--write-batch=" + tmp.resolve("b"), src + "/", tmp.resolve("written") + "/")
                .assertSuccess();
        Jrsync read = Jrsync.run("-rv", "--read-batch=" + tmp.resolve("b"), tmp.resolve("ours") + "/").assertSuccess();
        for (String option : List.of("--owner (-o)", "--group (-g)", "--links (-l)", "--devices (-D)")) {
            assertTrue(read.stdout().contains("Setting the " + option + " option to match the batchfile."),
                    read::transcript);
        }
        // -l came from the batch: the symlinks its list holds are made
        assertTrue(Files.isSymbolicLink(tmp.resolve("ours/link-to-small")), read.transcript());
    }

    /** {@code --read-batch=-}: the batch on standard input, through the launcher as a user runs it. */
    @Test
    void aBatchReadsFromStandardInput(@TempDir Path tmp) throws Exception {
        Path src = tree(tmp);
        Path batch = tmp.resolve("b");
        Jrsync.run("-a", "--write-batch=" + batch, src + "/", tmp.resolve("written") + "/").assertSuccess();
        Path launcher = Path.of("..", "bin", "jrsync").toAbsolutePath().normalize();
        Process p = new ProcessBuilder(launcher.toString(), "-a", "--read-batch=-", tmp.resolve("piped") + "/")
                .redirectInput(batch.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        assertSameTree(src, tmp.resolve("piped"));
    }

    @Test
    void aBatchIsAPlainFileOfTheOperatorsChoosing(@TempDir Path tmp) throws Exception {
        Path fifo = tmp.resolve("fifo");
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
        Jrsync notRegular = Jrsync.run("-a", "--read-batch=" + fifo, tmp.resolve("d") + "/");
        assertEquals(11, notRegular.exitCode(), notRegular::transcript);
        assertTrue(notRegular.stderr().contains("is not a regular file"), notRegular::transcript);

        Jrsync both = Jrsync.run("-a", "--read-batch=x", "--write-batch=y", tmp.resolve("d") + "/");
        assertEquals(1, both.exitCode());
        assertTrue(both.stderr().contains("--write-batch and --read-batch can not be used together"),
                both::transcript);
    }
}
