package dev.jrsync.daemon;

import dev.jrsync.testing.StockClient;
import dev.jrsync.testing.StockDaemon;
import dev.jrsync.testing.StockRsync;
import dev.jrsync.testing.TestTrees;
import dev.jrsync.testing.TreeAssert;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stock client pulling the varied tree (8 MiB file included) from our daemon and from a stock daemon
 * of the same version, fresh destination each time; prints the median wall time of each. Not a benchmark
 * (shared CI cores), a sanity check that our sender is in the same league.
 */
class PullThroughputTest {
    private static final int RUNS = 5;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void ourDaemonAgainstStock(StockRsync r) throws IOException {
        Path src = tmp.resolve("src");
        TestTrees.buildVaried(src);
        long bytes;
        try (var s = java.nio.file.Files.walk(src)) {
            bytes = s.filter(java.nio.file.Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        long ours;
        try (JavaDaemon d = JavaDaemon.start(tmp.resolve("jd"), "[m]\npath = " + src + "\n", Duration.ofSeconds(30))) {
            ours = median(r, d.url("m/"), src);
        }
        long stock;
        try (StockDaemon d = StockDaemon.builder(r, tmp.resolve("sd")).module(StockDaemon.Module.of("m", src)).start()) {
            stock = median(r, d.url("m"), src);
        }
        System.out.printf("pull of %d bytes by stock %s: jrsync daemon %d ms (%.1f MB/s), stock daemon %d ms (%.1f MB/s)%n",
                bytes, r.version(), ours, bytes / 1e3 / ours, stock, bytes / 1e3 / stock);
    }

    private long median(StockRsync r, String url, Path src) {
        long[] t = new long[RUNS];
        for (int i = 0; i < RUNS; i++) {
            Path dst = tmp.resolve("dst-" + System.nanoTime());
            long start = System.nanoTime();
            StockClient.of(r).timeout(Duration.ofSeconds(60)).run("-a", url, dst + "/").assertSuccess();
            t[i] = (System.nanoTime() - start) / 1_000_000;
            TreeAssert.assertIdentical(src, dst, TreeAssert.Option.NANOSECONDS);
        }
        Arrays.sort(t);
        return t[RUNS / 2];
    }
}
