package dev.jrsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.testing.StockDaemon;
import dev.jrsync.testing.StockRsync;
import dev.jrsync.testing.TestTrees;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code jrsync --watch --metrics=127.0.0.1:0}: the mirror's numbers, scraped over HTTP as Prometheus does, follow
 * what it sends into a stock rsync 3.5 daemon, the Java daemon and a local folder, and a target that goes away shows its
 * retries and last error.
 */
class MirrorMetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;
    private StockDaemon daemon;
    private ModuleDaemon javaDaemon;

    @AfterEach
    void stopDaemons() {
        if (daemon != null) {
            daemon.close();
        }
        if (javaDaemon != null) {
            javaDaemon.close();
        }
    }

    /** The destination: a stock daemon's module (skipped without a stock rsync), the Java daemon's, a folder. */
    private String target(String kind, Path dst) throws Exception {
        if (kind.equals("local")) {
            return dst + "/";
        }
        if (kind.equals("java-daemon")) {
            javaDaemon = ModuleDaemon.start(dst, tmp.resolve("java-daemon.log"), 0, "");
            return "rsync://127.0.0.1:" + javaDaemon.port() + "/mod/";
        }
        daemon = StockDaemon.builder(StockRsync.requireOnPath(), tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("mod", dst)).start();
        return daemon.url("mod");
    }

    @ParameterizedTest
    @ValueSource(strings = {"daemon", "java-daemon", "local"})
    void theTargetsCountersFollowItsBatches(String kind) throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path dst = Files.createDirectory(tmp.resolve("dst"));
        TestTrees.writeRandom(src.resolve("big.bin"), 256 << 10, 1);
        String dest = target(kind, dst);
        String t = "target=\"" + dest + "\"";
        try (RunningMirror m = RunningMirror.start("-a", "-v", "--no-W", "--watch", "--metrics=127.0.0.1:0", src + "/",
                dest)) { // --no-W: a local target too gets deltas
            String url = awaitUrl(m);
            m.awaitIdle(Duration.ofMillis(300), WAIT);
            Scrape before = Scrape.of(url);
            assertEquals(1, before.get("jrsync_mirror_full_syncs_total", t), before::text);
            assertEquals(0, before.get("jrsync_mirror_batches_total", t), before::text);
            assertTrue(before.get("jrsync_mirror_sent_bytes_total", t) >= 256 << 10, before::text);
            assertEquals(1, before.get("jrsync_mirror_watched_directories", t), before::text);

            // one byte changed in place (no truncation a batch could catch): the delta sends a block's worth
            try (FileChannel big = FileChannel.open(src.resolve("big.bin"), StandardOpenOption.READ,
                    StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.allocate(1);
                big.read(b, 100_000);
                b.put(0, (byte) (b.get(0) ^ 1)).rewind();
                big.write(b, 100_000);
            }
            Files.writeString(src.resolve("new.txt"), "a new file\n");
            m.awaitIdentical(src, dst, WAIT);
            m.awaitIdle(Duration.ofMillis(300), WAIT);

            Scrape after = Scrape.of(url);
            assertTrue(after.get("jrsync_mirror_batches_total", t) >= 1, after::text);
            double sent = after.get("jrsync_mirror_sent_bytes_total", t) - before.get("jrsync_mirror_sent_bytes_total", t);
            assertTrue(sent > 0 && sent < 128 << 10, () -> sent + " bytes sent for a one-byte change\n" + after.text());
            assertTrue(after.get("jrsync_mirror_saved_bytes_total", t) > 128 << 10, after::text);
            assertTrue(after.get("jrsync_mirror_lag_seconds_count", t) >= 1, after::text);
            double p50 = after.get("jrsync_mirror_lag_seconds", t + ",quantile=\"0.5\"");
            double p99 = after.get("jrsync_mirror_lag_seconds", t + ",quantile=\"0.99\"");
            assertTrue(p50 > 0 && p50 <= p99 && p99 < WAIT.toSeconds(), after::text);
            assertEquals(0, after.get("jrsync_mirror_pending_paths", t), after::text);
            assertEquals(0, after.get("jrsync_mirror_in_flight_paths", t), after::text);
            assertEquals(0, after.get("jrsync_mirror_retries_total", t), after::text);
            assertFalse(after.text().contains("jrsync_mirror_last_error_timestamp_seconds{"), after::text);
        }
    }

    /**
     * One watcher feeding a local folder, a stock daemon and the Java daemon (--watch-target): each target has its
     * own series, and the stock daemon stopped counts retries for its target alone.
     */
    @Test
    void eachTargetHasSeriesOfItsOwn() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path local = Files.createDirectory(tmp.resolve("local"));
        Path stock = Files.createDirectory(tmp.resolve("stock"));
        Path java = Files.createDirectory(tmp.resolve("java"));
        Files.writeString(src.resolve("f"), "0\n");
        String stockUrl = target("daemon", stock);
        String javaUrl = target("java-daemon", java);
        List<String> targets = List.of(local + "/", stockUrl, javaUrl);
        try (RunningMirror m = RunningMirror.start("-a", "--watch", "--metrics=127.0.0.1:0", src + "/", local + "/",
                "--watch-target=" + stockUrl, "--watch-target=" + javaUrl)) {
            String url = awaitUrl(m);
            for (Path dst : List.of(local, stock, java)) {
                m.awaitIdentical(src, dst, WAIT);
            }
            Files.writeString(src.resolve("f"), "1\n");
            for (Path dst : List.of(local, stock, java)) {
                m.awaitIdentical(src, dst, WAIT);
            }
            for (String target : targets) {
                awaitValue(url, "jrsync_mirror_batches_total", "target=\"" + target + "\"", v -> v >= 1, m);
                Scrape s = Scrape.of(url);
                assertTrue(s.get("jrsync_mirror_lag_seconds_count", "target=\"" + target + "\"") >= 1, s::text);
                assertEquals(1, s.get("jrsync_mirror_full_syncs_total", "target=\"" + target + "\""), s::text);
            }
            daemon.close();
            daemon = null;
            Files.writeString(src.resolve("f"), "2\n");
            awaitValue(url, "jrsync_mirror_retries_total", "target=\"" + stockUrl + "\"", v -> v >= 1, m);
            m.awaitIdentical(src, local, WAIT);
            m.awaitIdentical(src, java, WAIT);
            Scrape s = Scrape.of(url);
            assertEquals(0, s.get("jrsync_mirror_retries_total", "target=\"" + local + "/\""), s::text);
            assertEquals(0, s.get("jrsync_mirror_retries_total", "target=\"" + javaUrl + "\""), s::text);
            assertEquals(1, s.text().lines().filter(l -> l.startsWith("jrsync_mirror_last_error_timestamp_seconds{"))
                    .count(), s::text);
        }
    }

    /** Scrapes until {@code name{labels}} satisfies {@code ok}, within the test's bound. */
    private static void awaitValue(String url, String name, String labels, java.util.function.DoublePredicate ok,
                                   RunningMirror m) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Scrape s = Scrape.of(url);
        while (!ok.test(s.get(name, labels)) && System.nanoTime() < deadline) {
            m.assertAlive();
            Thread.sleep(50);
            s = Scrape.of(url);
        }
        Scrape last = s;
        assertTrue(ok.test(last.get(name, labels)), () -> name + "{" + labels + "}\n" + last.text() + m.transcript());
    }

    /** The daemon stopped under a running mirror: its failures count as retries, the last one is shown. */
    @Test
    void aTargetThatGoesAwayShowsItsRetriesAndLastError() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path dst = Files.createDirectory(tmp.resolve("dst"));
        Files.writeString(src.resolve("f"), "0\n");
        String dest = target("daemon", dst);
        String t = "target=\"" + dest + "\"";
        try (RunningMirror m = RunningMirror.start("-a", "-v", "--watch", "--metrics=127.0.0.1:0", src + "/", dest)) {
            String url = awaitUrl(m);
            m.awaitIdentical(src, dst, WAIT);
            m.awaitIdle(Duration.ofMillis(300), WAIT);
            daemon.close();
            daemon = null;
            Files.writeString(src.resolve("f"), "1\n");
            awaitValue(url, "jrsync_mirror_retries_total", t, v -> v >= 1, m);
            Scrape last = Scrape.of(url);
            // one series, the target's, whose error label is the failure's line (labels are printed sorted)
            List<String> errors = last.text().lines()
                    .filter(l -> l.startsWith("jrsync_mirror_last_error_timestamp_seconds{"))
                    .toList();
            assertEquals(1, errors.size(), last::text);
            assertTrue(errors.getFirst().startsWith("jrsync_mirror_last_error_timestamp_seconds{error=\"sync of 1 path(s)"
                    + " failed: rsync: failed to connect to 127.0.0.1") && errors.getFirst().contains("," + t + "} "),
                    errors::toString);
            double at = Double.parseDouble(errors.getFirst().substring(errors.getFirst().lastIndexOf(' ') + 1));
            assertTrue(Math.abs(at - System.currentTimeMillis() / 1000.0) < WAIT.toSeconds(), errors::toString);
            // the changed path waits for the next attempt (between attempts: a refused connection is quick)
            awaitValue(url, "jrsync_mirror_pending_paths", t, v -> v == 1, m);
        }
    }

    /** --status-file keeps the SIGUSR1 line, whole at every moment, and the last one says the mirror stopped. */
    @Test
    void theStatusFileFollowsTheBatches() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path dst = Files.createDirectory(tmp.resolve("dst"));
        Path status = tmp.resolve("status.txt");
        Files.writeString(src.resolve("f"), "0\n");
        String expected = "jrsync: mirror to " + dst + "/: watching, 0 pending, 0 in flight, last batch lag ";
        try (RunningMirror m = RunningMirror.start("-a", "--watch", "--status-file=" + status, src + "/", dst + "/")) {
            m.awaitIdentical(src, dst, WAIT);
            Files.writeString(src.resolve("f"), "1\n");
            m.awaitIdentical(src, dst, WAIT);
            long deadline = System.nanoTime() + WAIT.toNanos();
            String line = "";
            // a rewrite may arrive as one batch or two (its truncation, then its data)
            String batched = "jrsync: mirror to .* ms, [1-9][0-9]* batch\\(es\\), 1 full sync\\(s\\), .*\n";
            while (!(line.startsWith(expected) && line.matches(batched)) && System.nanoTime() < deadline) {
                m.assertAlive();
                Thread.sleep(50);
                line = Files.exists(status) ? Files.readString(status) : "";
                assertTrue(line.isEmpty() || line.startsWith("jrsync: mirror to ") && line.endsWith(" watches\n"), line);
            }
            String last = line;
            assertTrue(last.startsWith(expected) && last.matches(batched), () -> last + m.transcript());
        }
        assertTrue(Files.readString(status).startsWith("jrsync: mirror to " + dst + "/: stopped, "),
                Files.readString(status));
        try (var names = Files.list(tmp)) {
            assertEquals(List.of("dst", "src", "status.txt"), names.map(p -> p.getFileName().toString()).sorted()
                    .toList());
        }
    }

    /** As rsync's daemon when it cannot bind its port: socket I/O, code 10, and no mirror started. */
    @Test
    void aPortInUseEndsWithCode10() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Jrsync r = Jrsync.run("-a", "--watch", "--metrics=127.0.0.1:" + taken.getLocalPort(), src + "/",
                    tmp.resolve("dst").toString());
            assertEquals(10, r.exitCode(), r::transcript);
            assertTrue(r.stderr().contains("--metrics: cannot listen on 127.0.0.1:" + taken.getLocalPort()),
                    r::transcript);
            assertFalse(r.stdout().contains("jrsync: watching"), r::transcript);
            assertFalse(Files.exists(tmp.resolve("dst")), r::transcript);
        }
    }

    @Test
    void metricsAndStatusFileNeedWatchAndMetricsAnAddressWithAPort() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        String dst = tmp.resolve("dst").toString();
        Jrsync noWatch = Jrsync.run("-a", "--metrics=127.0.0.1:0", src + "/", dst);
        assertEquals(1, noWatch.exitCode(), noWatch::transcript);
        assertTrue(noWatch.stderr().contains("--metrics is only for a live mirror"), noWatch::transcript);
        Jrsync fileNoWatch = Jrsync.run("-a", "--status-file=" + tmp.resolve("status"), src + "/", dst);
        assertEquals(1, fileNoWatch.exitCode(), fileNoWatch::transcript);
        assertTrue(fileNoWatch.stderr().contains("--status-file is only for a live mirror"), fileNoWatch::transcript);
        Jrsync withConfig = Jrsync.run("--watch", "--config=" + tmp.resolve("mirror.conf"), "--metrics=127.0.0.1:0");
        assertEquals(1, withConfig.exitCode(), withConfig::transcript);
        assertTrue(withConfig.stderr().contains("--metrics does not work with --config yet"), withConfig::transcript);
        for (String bad : new String[] {"127.0.0.1", ":9100", "localhost:http", "::1:9100", "127.0.0.1:65536"}) {
            Jrsync r = Jrsync.run("-a", "--watch", "--metrics=" + bad, src + "/", dst);
            assertEquals(1, r.exitCode(), r::transcript);
            assertTrue(r.stderr().contains("expected ADDR:PORT"), r::transcript);
        }
        assertFalse(Files.exists(Path.of(dst)));
    }

    private static String awaitUrl(RunningMirror m) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (Scrape.urlIn(m.stdout()).isEmpty() && System.nanoTime() < deadline) {
            m.assertAlive();
            Thread.sleep(20);
        }
        return Scrape.urlIn(m.stdout()).orElseThrow(() -> new AssertionError("no metrics URL\n" + m.transcript()));
    }
}
