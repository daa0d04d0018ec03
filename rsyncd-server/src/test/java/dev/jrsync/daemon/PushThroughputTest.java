package dev.jrsync.daemon;

import dev.jrsync.testing.StockClient;
import dev.jrsync.testing.StockDaemon;
import dev.jrsync.testing.StockRsync;
import dev.jrsync.testing.TestTrees;
import dev.jrsync.testing.TreeAssert;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Function;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The stock client pushing the varied tree (8 MiB file included) to our daemon and to a stock daemon of
 * the same version, into a fresh directory each time; prints the median wall time of each. Not a
 * benchmark (shared cores), a sanity check that our receiver is in the same league.
 */
class PushThroughputTest {
    private static final int RUNS = 5;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void ourDaemonAgainstStock(StockRsync r) throws IOException {
        Path src = tmp.resolve("src");
        TestTrees.buildVaried(src);
        long bytes;
        try (var s = Files.walk(src)) {
            bytes = s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        Path ourDir = Files.createDirectories(tmp.resolve("ours"));
        long ours;
        try (JavaDaemon d = JavaDaemon.start(tmp.resolve("jd"),
                "[m]\npath = " + ourDir + "\nread only = no\nmunge symlinks = no\n", Duration.ofSeconds(30))) {
            ours = median(r, sub -> d.url("m/" + sub + "/"), src, ourDir);
        }
        Path stockDir = Files.createDirectories(tmp.resolve("stock"));
        long stock;
        try (StockDaemon d = StockDaemon.builder(r, tmp.resolve("sd"))
                .module(StockDaemon.Module.of("m", stockDir).readOnly(false)).start()) {
            stock = median(r, sub -> d.url("m") + sub + "/", src, stockDir);
        }
        System.out.printf("push of %d bytes by stock %s: jrsync daemon %d ms (%.1f MB/s), stock daemon %d ms (%.1f MB/s)%n",
                bytes, r.version(), ours, bytes / 1e3 / ours, stock, bytes / 1e3 / stock);
    }

    private long median(StockRsync r, Function<String, String> url, Path src, Path moduleDir) {
        long[] t = new long[RUNS];
        for (int i = 0; i < RUNS; i++) {
            String sub = "run" + i;
            long start = System.nanoTime();
            StockClient.of(r).timeout(Duration.ofSeconds(60)).run("-a", src + "/", url.apply(sub)).assertSuccess();
            t[i] = (System.nanoTime() - start) / 1_000_000;
            TreeAssert.assertIdentical(src, moduleDir.resolve(sub), TreeAssert.Option.NANOSECONDS);
        }
        Arrays.sort(t);
        return t[RUNS / 2];
    }
}
