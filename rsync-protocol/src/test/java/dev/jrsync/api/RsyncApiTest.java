package dev.jrsync.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.testing.StockDaemon;
import dev.jrsync.testing.StockRsync;
import dev.jrsync.testing.TestTrees;
import dev.jrsync.testing.TreeAssert;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The library API as a Java user drives it: no argv, events instead of printed lines, outcomes as values. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RsyncApiTest {
    @TempDir
    Path tmp;

    /** Everything a transfer reported, in order per kind. */
    static final class Recorder implements TransferListener {
        final Queue<FileItem> items = new ConcurrentLinkedQueue<>();
        final Queue<String> deleted = new ConcurrentLinkedQueue<>();
        final Queue<Message> messages = new ConcurrentLinkedQueue<>();
        final Queue<FileProgress> progress = new ConcurrentLinkedQueue<>();

        @Override
        public void progress(FileProgress p) {
            progress.add(p);
        }

        @Override
        public void item(FileItem item) {
            items.add(item);
        }

        @Override
        public void deleted(String name) {
            deleted.add(name);
        }

        @Override
        public void message(Message message) {
            messages.add(message);
        }

        FileItem item(String name) {
            return items.stream().filter(i -> i.name().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("no item " + name + " in " + items));
        }

        long transferred() {
            return items.stream().filter(FileItem::transferred).count();
        }

        @Override
        public String toString() {
            return "items " + items + "\ndeleted " + deleted + "\nmessages " + messages;
        }
    }

    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void pushesToAStockDaemonAndReportsEachFileAsAnEvent(StockRsync rsync) throws IOException {
        Path src = tmp.resolve("src");
        Path module = Files.createDirectories(tmp.resolve("module"));
        TestTrees.buildVaried(src, TestTrees.Omit.SPECIALS);
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("mod", module)).start()) {
            Recorder events = new Recorder();
            TransferSpec spec = TransferSpec.builder().archive().source(src, true).destination(daemon.url("mod"))
                    .build();
            TransferOutcome first = Rsync.transfer(spec, events);
            assertTrue(first.ok(), () -> first + "\n" + events);
            TreeAssert.assertIdentical(src, module, TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));
            assertEquals(TreeAssert.regularFiles(src), first.stats().transferredFiles(), events::toString);
            assertEquals(TreeAssert.regularFiles(src), events.transferred(), events::toString);
            // "<": sent, as rsync -i shows a push
            assertEquals("<f+++++++++", events.item("small.txt").changes(), events::toString);
            assertTrue(first.stats().bytesSent() > TestTrees.BIG_SIZE, first::toString);
            // each file sent is reported as it starts and when it is done, whole, without asking for --progress
            List<FileProgress> bigDone = events.progress.stream()
                    .filter(p -> p.name().equals(TestTrees.BIG_FILE) && p.done()).toList();
            assertEquals(1, bigDone.size(), events.progress::toString);
            assertEquals(TestTrees.BIG_SIZE, bigDone.getFirst().bytes());
            assertEquals(TestTrees.BIG_SIZE, bigDone.getFirst().size());
            assertEquals(2 * TreeAssert.regularFiles(src), events.progress.size(), events.progress::toString);
            assertTrue(events.messages.stream().noneMatch(m -> m.text().contains("small.txt")),
                    "items come as events, not as printed lines: " + events.messages);

            // an edit of the big file goes as a delta, and only that file is sent
            TestTrees.editInPlace(src.resolve(TestTrees.BIG_FILE), 5, 2);
            Recorder again = new Recorder();
            TransferOutcome second = Rsync.transfer(spec, again);
            assertTrue(second.ok(), () -> second + "\n" + again);
            TreeAssert.assertIdentical(src, module, TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));
            assertEquals(1, second.stats().transferredFiles(), again::toString);
            assertTrue(second.stats().bytesSent() < TestTrees.BIG_SIZE / 10, second::toString);
            assertTrue(again.item(TestTrees.BIG_FILE).changes().startsWith("<f"), again::toString);
        }
    }

    @Test
    void pullsWithDeleteAndReportsTheDeletions() throws IOException {
        StockRsync rsync = StockRsync.requireOnPath();
        Path served = tmp.resolve("served");
        Path dst = tmp.resolve("dst");
        TestTrees.buildVaried(served, TestTrees.Omit.SPECIALS);
        Files.createDirectories(dst.resolve("stale-dir"));
        Files.writeString(dst.resolve("stale-dir/old.txt"), "old");
        Files.writeString(dst.resolve("stale.txt"), "stale");
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("mod", served).readOnly(true)).start()) {
            Recorder events = new Recorder();
            TransferOutcome done = Rsync.transfer(TransferSpec.builder().archive().delete()
                    .source(daemon.url("mod") + "/").destination(dst).build(), events);
            assertTrue(done.ok(), () -> done + "\n" + events);
            TreeAssert.assertIdentical(served, dst, TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));
            assertEquals(List.of("stale-dir/old.txt", "stale-dir/", "stale.txt").stream().sorted().toList(),
                    events.deleted.stream().sorted().toList(), events::toString);
            assertEquals(3, done.stats().deleted().total(), done::toString);
        }
    }

    @Test
    void copiesLocallyThenFindsNothingToDo() throws IOException {
        Path src = tmp.resolve("src");
        Path dst = tmp.resolve("dst");
        TestTrees.buildVaried(src, TestTrees.Omit.LARGE_FILES);
        TransferSpec spec = TransferSpec.builder().archive().source(src, true).destination(dst).build();
        Recorder events = new Recorder();
        TransferOutcome first = Rsync.transfer(spec, events);
        assertTrue(first.ok(), () -> first + "\n" + events);
        TreeAssert.assertIdentical(src, dst, TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));
        assertEquals(TreeAssert.regularFiles(src), events.transferred(), events::toString);
        Recorder again = new Recorder();
        TransferOutcome second = Rsync.transfer(spec, again);
        assertTrue(second.ok(), second::toString);
        assertEquals(0, second.stats().transferredFiles(), again::toString);
        assertEquals(0, again.transferred(), again::toString);
    }

    /** A pull held to 1 MiB/s by the daemon, cancelled once the big file is under way: nothing half-written stays. */
    @Test
    void aCancelledPullEndsWithExitCode20AndLeavesNoPartFile() throws Exception {
        StockRsync rsync = StockRsync.requireOnPath();
        Path served = Files.createDirectories(tmp.resolve("served"));
        Path dst = tmp.resolve("dst");
        TestTrees.writeRandom(served.resolve("big.bin"), 32 << 20, 7);
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("mod", served).readOnly(true)).start()) {
            CountDownLatch started = new CountDownLatch(1);
            TransferHandle handle = Rsync.start(TransferSpec.builder().archive().bwlimit("1m")
                    .source(daemon.url("mod") + "/").destination(dst).build(), new TransferListener() {
                        @Override
                        public void item(FileItem item) {
                            if (item.name().equals("big.bin")) {
                                started.countDown();
                            }
                        }
                    });
            assertTrue(started.await(30, TimeUnit.SECONDS), "the big file never started");
            Thread.sleep(500);
            long cancelledAt = System.nanoTime();
            handle.cancel();
            TransferOutcome outcome = handle.outcome().get(20, TimeUnit.SECONDS);
            assertTrue(System.nanoTime() - cancelledAt < TimeUnit.SECONDS.toNanos(10), "cancel took too long");
            assertEquals(20, outcome.exitCode(), outcome::toString);
            assertEquals("cancelled", outcome.error().orElseThrow());
            assertFalse(Files.exists(dst.resolve("big.bin")), "a file that never finished is in place");
            TreeAssert.assertNoTempFiles(dst);
        }
    }

    @Test
    void theCallbackIsAskedForTheModulesPasswordOnlyWhenTheDaemonAsks() throws IOException {
        StockRsync rsync = StockRsync.requireOnPath();
        Path served = tmp.resolve("served");
        TestTrees.buildVaried(served, TestTrees.Omit.LARGE_FILES);
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("secure", served).readOnly(true).authUser("alice", "s3cret"))
                .module(StockDaemon.Module.of("open", served).readOnly(true)).start()) {
            Queue<String> asked = new ConcurrentLinkedQueue<>();
            TransferOutcome wrong = Rsync.transfer(TransferSpec.builder().archive()
                    .source(daemon.url("alice", "secure") + "/").destination(tmp.resolve("a"))
                    .passwords((user, module) -> {
                        asked.add(user + "@" + module);
                        return "wrong";
                    }).build());
            assertEquals(5, wrong.exitCode(), wrong::toString);
            assertTrue(wrong.error().orElseThrow().contains("auth failed"), wrong::toString);
            assertEquals(List.of("alice@secure"), List.copyOf(asked));

            TransferOutcome right = Rsync.transfer(TransferSpec.builder().archive()
                    .source(daemon.url("alice", "secure") + "/").destination(tmp.resolve("b"))
                    .passwords((user, module) -> "s3cret").build());
            assertTrue(right.ok(), right::toString);
            TreeAssert.assertIdentical(served, tmp.resolve("b"), TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));

            asked.clear();
            TransferOutcome open = Rsync.transfer(TransferSpec.builder().archive()
                    .source(daemon.url("open") + "/").destination(tmp.resolve("c"))
                    .passwords((user, module) -> {
                        asked.add(user + "@" + module);
                        return null;
                    }).build());
            assertTrue(open.ok(), open::toString);
            assertEquals(List.of(), List.copyOf(asked));
        }
    }

    @Test
    void aSpecRsyncWouldRefuseFailsWhenBuiltWithRsyncsMessage() {
        TransferSpec.Builder noRecursion = TransferSpec.builder().delete().source("a/").destination("b/");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, noRecursion::build);
        assertTrue(e.getMessage().contains("--delete does not work without --recursive"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> TransferSpec.builder().option("no-such-option").source("a").destination("b").build());
        assertThrows(IllegalArgumentException.class,
                () -> TransferSpec.builder().option("daemon").source("a").destination("b").build());
        assertThrows(IllegalArgumentException.class,
                () -> TransferSpec.builder().option("exclude").source("a").destination("b").build());
        assertThrows(IllegalArgumentException.class, () -> TransferSpec.builder().destination("b").build());
    }

    @Test
    void aFailedTransferIsAnOutcomeWithRsyncsExitCode() {
        TransferOutcome refused = Rsync.transfer(TransferSpec.builder().archive()
                .source("rsync://127.0.0.1:1/mod/").destination(tmp.resolve("x")).build());
        assertEquals(10, refused.exitCode(), refused::toString);
        assertTrue(refused.error().orElseThrow().contains("127.0.0.1"), refused::toString);
    }
}
