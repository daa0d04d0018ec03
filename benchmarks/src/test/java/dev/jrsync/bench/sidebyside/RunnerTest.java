package dev.jrsync.bench.sidebyside;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.testing.Peers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness's figures for a run: CPU that rsync's forked processes and a daemon's sessions spend, short peaks. */
class RunnerTest {
    /** A shell loop that spends a few hundred milliseconds of CPU and nothing else. */
    private static final String BUSY = "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done";

    @TempDir
    Path dir;

    @Test
    void theCpuOfAForkedChildCountsWithItsParents() throws Exception {
        Measured alone = Runner.client(List.of("sh", "-c", BUSY), dir.resolve("alone.log"));
        // The parent only waits: all the CPU is its child's, as with rsync's generator and receiver.
        Measured forked = Runner.client(List.of("sh", "-c", "sh -c '" + BUSY + "' & wait"), dir.resolve("forked.log"));
        assertTrue(alone.cpuMicros() > 20_000, "the loop alone took " + alone.cpuMicros() + " µs of CPU");
        assertTrue(forked.cpuMicros() > alone.cpuMicros() / 2,
                "forked " + forked.cpuMicros() + " µs against " + alone.cpuMicros() + " µs alone");
    }

    @Test
    void aDaemonsCpuCountsTheSessionsItForkedAndReaped() throws Exception {
        Measured alone = Runner.client(List.of("sh", "-c", BUSY), dir.resolve("alone.log"));
        Path go = dir.resolve("go");
        assertEquals(0, new ProcessBuilder("mkfifo", go.toString()).start().waitFor());
        // A stand-in daemon with one session forked, as rsync's daemon forks one per connection: the session
        // waits for the client's word and works after the client has gone; the daemon then reaps it. The run must
        // wait for the reaping and count the session.
        Process daemon = new ProcessBuilder("sh", "-c", "sh -c 'read x < " + go + "; " + BUSY + "'; exec sleep 60")
                .redirectErrorStream(true).redirectOutput(dir.resolve("daemon.log").toFile()).start();
        for (int i = 0; i < 1000 && ProcFs.tree(daemon.pid()).size() < 2; i++) {
            Thread.sleep(5);
        }
        try {
            Measured served = Runner.served(List.of("sh", "-c", "echo go > " + go), dir.resolve("client.log"),
                    daemon.pid());
            assertTrue(served.cpuMicros() > alone.cpuMicros() / 2,
                    "daemon " + served.cpuMicros() + " µs against " + alone.cpuMicros() + " µs for the session alone");
        } finally {
            daemon.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aShortRunsPeakIsTheCommandsOwnNotTheHarnesss() throws Exception {
        Peers.require(Files.isExecutable(Path.of("/usr/bin/rsync")), () -> "stock rsync (apt-get install rsync)");
        Measured version = Runner.client(List.of("rsync", "--version"), dir.resolve("version.log"));
        // posix_spawn's child would report the harness JVM's high-water mark, hundreds of MiB.
        assertTrue(version.peakRssKib() < 32 * 1024, "rsync --version peaked at " + version.peakRssKib() + " KiB");
        if (Runner.timesShortPeaks()) {
            assertTrue(version.peakRssKib() > 1024, "rsync --version peaked at " + version.peakRssKib() + " KiB");
        }
    }

    @Test
    void aFailedRunIsNoFigure() {
        IOException e = assertThrows(IOException.class,
                () -> Runner.client(List.of("sh", "-c", "echo no such module; exit 5"), dir.resolve("fail.log")));
        assertTrue(e.getMessage().contains("exit 5") && e.getMessage().contains("no such module"), e.getMessage());
    }
}
