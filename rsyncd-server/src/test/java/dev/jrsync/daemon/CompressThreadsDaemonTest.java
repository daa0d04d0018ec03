package dev.jrsync.daemon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.testing.StockClient;
import dev.jrsync.testing.StockRsync;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --compress-threads} ({@code --zt}) on a pull from our daemon, as rsync 3.5.0's suite asks for it
 * (daemon-zstd-thread-exhaustion): a client gets at most rsync's 8 zstd workers however many it names, the
 * stock receiver decodes the multi-threaded stream, and the workers end with the session instead of waiting
 * for a garbage collection. The daemon runs in this JVM, so its native threads are counted in /proc/self.
 */
class CompressThreadsDaemonTest {
    @TempDir
    Path tmp;

    @Test
    void aClientGetsAtMostEightWorkersAndTheyEndWithTheSession() throws Exception {
        Path mod = Files.createDirectories(tmp.resolve("mod"));
        byte[] data = new byte[2 * 1024 * 1024];
        new Random(7).nextBytes(data);
        Files.write(mod.resolve("f"), data);
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        try (JavaDaemon ours = JavaDaemon.start(tmp.resolve("d"), JavaDaemon.asTestUser() + "[mod]\npath = " + mod
                + "\n", Duration.ofSeconds(10))) {
            StockClient client = StockClient.of(StockRsync.requireOnPath()).timeout(Duration.ofSeconds(60));
            client.run("--list-only", ours.url("mod/")).assertSuccess(); // the session threads exist already
            int before = threads();
            AtomicInteger peak = new AtomicInteger(before);
            AtomicBoolean done = new AtomicBoolean();
            Thread sampler = Thread.ofPlatform().start(() -> {
                while (!done.get()) {
                    peak.accumulateAndGet(threads(), Math::max);
                    Thread.onSpinWait();
                }
            });
            try {
                client.run("-z", "--compress-choice=zstd", "-M--compress-threads=256", ours.url("mod/f"),
                        dst + "/").assertSuccess();
            } finally {
                done.set(true);
                sampler.join();
            }
            assertArrayEquals(data, Files.readAllBytes(dst.resolve("f")));
            assertTrue(peak.get() >= before + 8, "zstd's 8 workers were not started: " + before + " -> " + peak);
            assertTrue(peak.get() <= before + 8 + 6, "more than 8 workers: " + before + " -> " + peak);
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (threads() > before + 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(threads() <= before + 2, "the workers outlived the session: " + before + " -> " + threads());
        }
    }

    /** The native threads of this process, zstd's workers among them. */
    private static int threads() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Threads:")) {
                    return Integer.parseInt(line.substring("Threads:".length()).strip());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException("no Threads: line in /proc/self/status");
    }
}
