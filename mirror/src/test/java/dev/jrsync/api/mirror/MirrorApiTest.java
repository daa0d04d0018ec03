package dev.jrsync.api.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.api.Message;
import dev.jrsync.api.TransferSpec;
import dev.jrsync.testing.StockDaemon;
import dev.jrsync.testing.StockRsync;
import dev.jrsync.testing.TreeAssert;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A live mirror driven through its handle: callbacks, status, and a clean stop. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MirrorApiTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    /** What a mirror reported. */
    static final class Recorder implements MirrorListener {
        final CountDownLatch initial = new CountDownLatch(1);
        final CountDownLatch stopped = new CountDownLatch(1);
        final Queue<MirrorBatch> batches = new ConcurrentLinkedQueue<>();
        final Queue<String> errors = new ConcurrentLinkedQueue<>();
        final Queue<Message> messages = new ConcurrentLinkedQueue<>();
        volatile MirrorStatus last;

        @Override
        public void watching(String target, Path root, int watches, int entries) {
            initial.countDown();
        }

        @Override
        public void batchSent(MirrorBatch batch) {
            batches.add(batch);
        }

        @Override
        public void failed(MirrorFailure failure) {
            errors.add(failure + " (retry in " + failure.retryIn() + ")");
        }

        @Override
        public void message(Message message) {
            messages.add(message);
        }

        @Override
        public void stopped(MirrorStatus status, Optional<String> failure) {
            last = status;
            stopped.countDown();
        }

        boolean sent(String path) {
            return batches.stream().anyMatch(b -> b.paths().contains(path));
        }

        @Override
        public String toString() {
            return "batches " + batches + "\nerrors " + errors + "\nmessages " + messages;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "stock-daemon"})
    void changesArriveAndTheHandleReportsThem(String target) throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        Files.writeString(src.resolve("first.txt"), "there before the start\n");
        StockDaemon daemon = target.equals("local") ? null : StockDaemon.builder(StockRsync.requireOnPath(),
                tmp.resolve("daemon")).module(StockDaemon.Module.of("mod", dst)).start();
        try {
            String dest = daemon == null ? dst.toString() : daemon.url("mod");
            Recorder events = new Recorder();
            MirrorHandle mirror = Mirror.start(MirrorSpec.of(TransferSpec.builder().archive().delete()
                    .source(src, true).destination(dest).build()).withDelay(Duration.ofMillis(20)), events);
            try (mirror) {
                assertTrue(events.initial.await(WAIT.toSeconds(), TimeUnit.SECONDS), events::toString);
                assertEquals("there before the start\n", Files.readString(dst.resolve("first.txt")));

                Files.createDirectories(src.resolve("sub"));
                Files.writeString(src.resolve("sub/b.txt"), "b".repeat(10_000));
                Files.writeString(src.resolve("a.txt"), "a\n");
                Files.delete(src.resolve("first.txt"));
                await(() -> events.sent("a.txt") && events.sent("sub/b.txt") && events.sent("first.txt")
                        && TreeAssert.differences(src, dst).isEmpty(), events);
                TreeAssert.assertIdentical(src, dst);

                MirrorStatus status = mirror.status();
                assertEquals(MirrorStatus.State.WATCHING, status.state(), status::toString);
                assertEquals(0, status.pending(), status::toString);
                assertEquals(events.batches.size(), status.batches(), status::toString);
                assertTrue(status.lastBatch().isPresent() && status.lag().compareTo(WAIT) < 0, status::toString);
                assertTrue(status.lastError().isEmpty() && events.errors.isEmpty(), events::toString);
                long bytes = events.batches.stream().mapToLong(MirrorBatch::bytesSent).sum();
                assertTrue(bytes > 0, events::toString);
            }
            assertTrue(events.stopped.await(1, TimeUnit.SECONDS), "close() returned before the mirror stopped");
            assertEquals(MirrorStatus.State.STOPPED, mirror.status().state());
            assertEquals(MirrorStatus.State.STOPPED, events.last.state());
            TreeAssert.assertNoTempFiles(dst);

            // stopped means stopped: a change now stays on the source side
            Files.writeString(src.resolve("late.txt"), "after the close\n");
            Thread.sleep(200);
            assertTrue(Files.notExists(dst.resolve("late.txt")));
        } finally {
            if (daemon != null) {
                daemon.close();
            }
        }
    }

    @Test
    void aMirrorWithoutASourceFolderIsRefusedAtTheStart() throws IOException {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertThrows(IllegalArgumentException.class, () -> Mirror.start(MirrorSpec.of(TransferSpec.builder()
                .source(file.toString()).destination(tmp.resolve("dst")).build()), MirrorListener.NONE));
        assertThrows(IllegalArgumentException.class, () -> MirrorSpec.of(TransferSpec.builder()
                .source(tmp, true).build()));
        assertThrows(IllegalArgumentException.class, () -> MirrorSpec.of(TransferSpec.builder()
                .source(tmp, true).source(file.toString()).destination(tmp.resolve("dst")).build()));
    }

    private static void await(BooleanSupplier done, Recorder events) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not mirrored within " + WAIT + "\n" + events);
            }
            Thread.sleep(20);
        }
    }
}
