package dev.jrsync.api.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.api.TransferSpec;
import dev.jrsync.daemon.DaemonLog;
import dev.jrsync.daemon.RsyncDaemon;
import dev.jrsync.daemon.RsyncdConfig;
import dev.jrsync.testing.CurrentUser;
import dev.jrsync.testing.StockDaemon;
import dev.jrsync.testing.StockRsync;
import dev.jrsync.testing.TreeAssert;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One watch feeding three destinations at once (a stock rsync daemon, the Java daemon and a local folder): while
 * one is away the others keep their pace, and the one that was away catches up with nothing lost.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ManyTargetsTest {
    private static final Duration CONVERGE = Duration.ofSeconds(30);
    /** How late a change may reach a destination that is up: generous, but far below the outage. */
    private static final Duration PACE = Duration.ofSeconds(2);
    private static final Duration OUTAGE = Duration.ofSeconds(10);

    @TempDir
    Path tmp;

    /** What the mirror reported, per destination. */
    static final class Recorder implements MirrorListener {
        final CountDownLatch watching = new CountDownLatch(3);
        final Map<String, Queue<MirrorBatch>> batches = new ConcurrentHashMap<>();
        final Map<String, Queue<MirrorFailure>> failures = new ConcurrentHashMap<>();
        final Queue<String> stopped = new ConcurrentLinkedQueue<>();

        @Override
        public void watching(String target, Path root, int watches, int entries) {
            watching.countDown();
        }

        @Override
        public void batchSent(MirrorBatch batch) {
            batches.computeIfAbsent(batch.target(), t -> new ConcurrentLinkedQueue<>()).add(batch);
        }

        @Override
        public void failed(MirrorFailure failure) {
            failures.computeIfAbsent(failure.target(), t -> new ConcurrentLinkedQueue<>()).add(failure);
        }

        @Override
        public void stopped(MirrorStatus status, Optional<String> failure) {
            stopped.add(status.target());
        }

        List<MirrorFailure> failuresOf(String target) {
            return List.copyOf(failures.getOrDefault(target, new ConcurrentLinkedQueue<>()));
        }

        @Override
        public String toString() {
            return "batches " + batches + "\nfailures " + failures;
        }
    }

    @Test
    void aStoppedDaemonDelaysNoOtherTargetAndCatchesUpAfterItsRestart() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path stockDst = Files.createDirectories(tmp.resolve("stock"));
        Path javaDst = Files.createDirectories(tmp.resolve("java"));
        Path localDst = Files.createDirectories(tmp.resolve("local"));
        Files.writeString(src.resolve("kept.txt"), "before the outage\n");
        Files.writeString(src.resolve("removed.txt"), "removed during the outage\n");
        StockRsync rsync = StockRsync.requireOnPath();
        StockDaemon stock = startStock(rsync, stockDst, 0);
        int stockPort = URI.create(stock.url("mod")).getPort();
        DaemonLog javaLog = new DaemonLog(tmp.resolve("java-daemon.log"), null);
        RsyncDaemon java = new RsyncDaemon(RsyncdConfig.parse("use chroot = no\n"
                + (CurrentUser.isRoot() ? "uid = 0\ngid = 0\n" : "") + "[mod]\npath = " + javaDst
                + "\nread only = no\nmunge symlinks = no\n", "test.conf"), javaLog);
        try {
            String stockUrl = stock.url("mod");
            String javaUrl = "rsync://127.0.0.1:" + java.start(new InetSocketAddress("127.0.0.1", 0)) + "/mod/";
            MirrorSpec spec = MirrorSpec.of(TransferSpec.builder().archive().delete().source(src, true)
                    .destination(stockUrl).build()).withDestination(javaUrl).withDestination(localDst.toString());
            assertEquals(List.of(stockUrl, javaUrl, localDst.toString()), spec.destinations());
            Recorder events = new Recorder();
            try (MirrorHandle mirror = Mirror.start(spec, events)) {
                assertTrue(events.watching.await(CONVERGE.toSeconds(), TimeUnit.SECONDS), events::toString);
                for (Path dst : List.of(stockDst, javaDst, localDst)) {
                    await(() -> differences(src, dst).isEmpty(), CONVERGE, () -> dst + ": " + differences(src, dst)
                            + "\n" + events);
                }

                stock.close();
                // Changes through the outage: each reaches the two destinations that are up at their usual pace.
                Files.writeString(src.resolve("kept.txt"), "changed during the outage\n");
                Files.delete(src.resolve("removed.txt"));
                long outageEnd = System.nanoTime() + OUTAGE.toNanos();
                for (int i = 0; System.nanoTime() < outageEnd; i++) {
                    String name = "added/" + i;
                    Path dir = Files.createDirectories(src.resolve(name));
                    Files.writeString(dir.resolve("new.txt"), "change " + i + " made while the stock daemon is down\n");
                    long start = System.nanoTime();
                    for (Path dst : List.of(javaDst, localDst)) {
                        Path copy = dst.resolve(name);
                        await(() -> Files.isDirectory(copy) && differences(dir, copy).isEmpty(), PACE, () -> dst
                                + " did not get " + name + " within " + PACE + "\n" + events);
                    }
                    long spent = System.nanoTime() - start;
                    Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(Duration.ofSeconds(1).toNanos() - spent)));
                }
                for (Path dst : List.of(javaDst, localDst)) {
                    await(() -> differences(src, dst).isEmpty(), PACE, () -> dst + ": " + differences(src, dst));
                }
                assertTrue(events.failuresOf(javaUrl).isEmpty() && events.failuresOf(localDst.toString()).isEmpty(),
                        events::toString);
                assertTrue(!events.failuresOf(stockUrl).isEmpty(), events::toString);
                assertEquals("before the outage\n", Files.readString(stockDst.resolve("kept.txt")));
                assertEquals(stockUrl, mirror.statuses().getFirst().target());
                await(() -> mirror.statuses().getFirst().state() == MirrorStatus.State.RETRYING
                        && mirror.statuses().getFirst().pending() > 0, OUTAGE, () -> mirror.statuses().toString());

                stock = startStock(rsync, stockDst, stockPort);
                await(() -> differences(src, stockDst).isEmpty(), CONVERGE, () -> "stock: "
                        + differences(src, stockDst) + "\n" + events);
                for (Path dst : List.of(stockDst, javaDst, localDst)) {
                    TreeAssert.assertIdentical(src, dst, TreeAssert.Option.NANOSECONDS);
                }
                await(() -> mirror.statuses().stream().allMatch(s -> s.state() == MirrorStatus.State.WATCHING
                        && s.pending() == 0), CONVERGE, () -> mirror.statuses().toString());
                List<String> targets = new ArrayList<>();
                mirror.statuses().forEach(s -> targets.add(s.target()));
                assertEquals(spec.destinations(), targets);
            }
            assertEquals(3, events.stopped.size(), events.stopped::toString);
        } finally {
            stock.close();
            java.close();
            javaLog.close();
        }
    }

    private StockDaemon startStock(StockRsync rsync, Path dst, int port) {
        return StockDaemon.builder(rsync, tmp.resolve("daemon")).port(port)
                .module(StockDaemon.Module.of("mod", dst)).start();
    }

    private static List<String> differences(Path src, Path dst) {
        return TreeAssert.differencesWhileChanging(src, dst, TreeAssert.Option.NANOSECONDS);
    }

    private static void await(BooleanSupplier done, Duration limit, java.util.function.Supplier<String> why)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(why.get());
            }
            Thread.sleep(10);
        }
    }
}
