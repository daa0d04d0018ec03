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
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
    private StockDaemon stock;
    private RsyncDaemon javaDaemon;
    private DaemonLog javaLog;

    /** The source, and the destinations: the stock daemon's module, the Java daemon's, a local folder. */
    private Path src;
    private Path stockDst;
    private Path javaDst;
    private Path localDst;

    @BeforeEach
    void makeFolders() throws IOException {
        src = Files.createDirectories(tmp.resolve("src"));
        stockDst = Files.createDirectories(tmp.resolve("stock"));
        javaDst = Files.createDirectories(tmp.resolve("java"));
        localDst = Files.createDirectories(tmp.resolve("local"));
    }

    @AfterEach
    void stopDaemons() {
        if (stock != null) {
            stock.close();
        }
        if (javaDaemon != null) {
            javaDaemon.close();
            javaLog.close();
        }
    }

    /** What the mirror reported, per destination. */
    static final class Recorder implements MirrorListener {
        final Set<String> watching = ConcurrentHashMap.newKeySet();
        final Map<String, Queue<MirrorBatch>> batches = new ConcurrentHashMap<>();
        final Map<String, Queue<MirrorFailure>> failures = new ConcurrentHashMap<>();
        final Queue<String> stopped = new ConcurrentLinkedQueue<>();

        @Override
        public void watching(String target, Path root, int watches, int entries) {
            watching.add(target);
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
            return "watching " + watching + "\nbatches " + batches + "\nfailures " + failures;
        }
    }

    @Test
    void aStoppedDaemonDelaysNoOtherTargetAndCatchesUpAfterItsRestart() throws Exception {
        Files.writeString(src.resolve("kept.txt"), "before the outage\n");
        Files.writeString(src.resolve("removed.txt"), "removed during the outage\n");
        String stockUrl = startStock(stockDst, 0);
        int stockPort = URI.create(stockUrl).getPort();
        String javaUrl = startJava(javaDst);
        MirrorSpec spec = MirrorSpec.of(TransferSpec.builder().archive().delete().source(src, true)
                .destination(stockUrl).build()).withDestination(javaUrl).withDestination(localDst.toString());
        assertEquals(List.of(stockUrl, javaUrl, localDst.toString()), spec.destinations());
        Recorder events = new Recorder();
        try (MirrorHandle mirror = Mirror.start(spec, events)) {
            await(() -> events.watching.size() == 3, CONVERGE, events::toString);
            for (Path dst : List.of(stockDst, javaDst, localDst)) {
                await(() -> differences(src, dst).isEmpty(), CONVERGE, () -> dst + ": " + differences(src, dst)
                        + "\n" + events);
            }

            stock.close();
            stock = null;
            // Changes through the outage: each reaches the two destinations that are up at their usual pace.
            Files.writeString(src.resolve("kept.txt"), "changed during the outage\n");
            Files.delete(src.resolve("removed.txt"));
            changesArriveAtTheirPace(src, List.of(javaDst, localDst), OUTAGE, events);
            assertTrue(events.failuresOf(javaUrl).isEmpty() && events.failuresOf(localDst.toString()).isEmpty(),
                    events::toString);
            assertTrue(!events.failuresOf(stockUrl).isEmpty(), events::toString);
            assertEquals("before the outage\n", Files.readString(stockDst.resolve("kept.txt")));
            assertEquals(stockUrl, mirror.statuses().getFirst().target());
            await(() -> mirror.statuses().getFirst().state() == MirrorStatus.State.RETRYING
                    && mirror.statuses().getFirst().pending() > 0, OUTAGE, () -> mirror.statuses().toString());

            startStock(stockDst, stockPort);
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
    }

    /** A daemon that is not there at the start: the others get the whole tree and then each change meanwhile. */
    @Test
    void aDaemonAwayAtTheStartDelaysNoOtherTargetAndGetsTheTreeWhenItComes() throws Exception {
        Files.writeString(src.resolve("first.txt"), "there before the start\n");
        int stockPort;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            stockPort = free.getLocalPort(); // nothing listens there until the daemon starts below
        }
        String stockUrl = "rsync://127.0.0.1:" + stockPort + "/mod/";
        String javaUrl = startJava(javaDst);
        Recorder events = new Recorder();
        try (MirrorHandle mirror = Mirror.start(MirrorSpec.of(TransferSpec.builder().archive().delete()
                .source(src, true).destination(stockUrl).build()).withDestination(javaUrl)
                .withDestination(localDst.toString()), events)) {
            await(() -> events.watching.containsAll(List.of(javaUrl, localDst.toString())), CONVERGE,
                    events::toString);
            changesArriveAtTheirPace(src, List.of(javaDst, localDst), Duration.ofSeconds(3), events);
            assertTrue(events.failuresOf(stockUrl).stream().allMatch(f -> f.what().equals("full sync"))
                    && !events.failuresOf(stockUrl).isEmpty(), events::toString);
            assertTrue(!events.watching.contains(stockUrl), events::toString);

            startStock(stockDst, stockPort);
            await(() -> differences(src, stockDst).isEmpty(), CONVERGE, () -> "stock: "
                    + differences(src, stockDst) + "\n" + events);
            await(() -> events.watching.contains(stockUrl), CONVERGE, events::toString);
            for (Path dst : List.of(stockDst, javaDst, localDst)) {
                TreeAssert.assertIdentical(src, dst, TreeAssert.Option.NANOSECONDS);
            }
        }
    }

    /**
     * For {@code duration}, a new directory with a file each second, each to reach every one of {@code dsts}
     * within {@link #PACE}; then the whole trees agree.
     */
    private static void changesArriveAtTheirPace(Path src, List<Path> dsts, Duration duration, Recorder events)
            throws IOException, InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        for (int i = 0; System.nanoTime() < end; i++) {
            String name = "added/" + i;
            Path dir = Files.createDirectories(src.resolve(name));
            Files.writeString(dir.resolve("new.txt"), "change " + i + " made while a target is away\n");
            long start = System.nanoTime();
            for (Path dst : dsts) {
                Path copy = dst.resolve(name);
                await(() -> Files.isDirectory(copy) && differences(dir, copy).isEmpty(), PACE, () -> dst
                        + " did not get " + name + " within " + PACE + "\n" + events);
            }
            long spent = System.nanoTime() - start;
            Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(Duration.ofSeconds(1).toNanos() - spent)));
        }
        for (Path dst : dsts) {
            await(() -> differences(src, dst).isEmpty(), PACE, () -> dst + ": " + differences(src, dst));
        }
    }

    /** Starts the stock daemon with module "mod" at {@code dst} on {@code port} (0: a free one); its URL. */
    private String startStock(Path dst, int port) {
        stock = StockDaemon.builder(StockRsync.requireOnPath(), tmp.resolve("daemon")).port(port)
                .module(StockDaemon.Module.of("mod", dst)).start();
        return stock.url("mod");
    }

    /** Starts the Java daemon in this JVM with module "mod" at {@code dst}; its URL. */
    private String startJava(Path dst) throws IOException, InterruptedException {
        javaLog = new DaemonLog(tmp.resolve("java-daemon.log"), null);
        javaDaemon = new RsyncDaemon(RsyncdConfig.parse("use chroot = no\n"
                + (CurrentUser.isRoot() ? "uid = 0\ngid = 0\n" : "") + "[mod]\npath = " + dst
                + "\nread only = no\nmunge symlinks = no\n", "test.conf"), javaLog);
        return "rsync://127.0.0.1:" + javaDaemon.start(new InetSocketAddress("127.0.0.1", 0)) + "/mod/";
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
