package dev.jrsync.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.testing.ProcessResult;
import dev.jrsync.testing.StockClient;
import dev.jrsync.testing.StockRsync;
import dev.jrsync.testing.TestTrees;
import dev.jrsync.testing.TreeAssert;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stock client's {@code --max-alloc} reaches our daemon and bounds the file list it receives, and the
 * daemon's heap budget refuses the one upload that would go over it while it keeps serving the others.
 */
class MaxAllocIntegrationTest {
    /** Enough entries with long names that the list's heap cost passes 1 MiB (rsync's smallest --max-alloc). */
    private static final int MANY = 4000;

    @TempDir
    Path tmp;
    Path many;
    Path up;
    JavaDaemon daemon;
    StockRsync rsync;

    @BeforeEach
    void start() throws IOException {
        rsync = StockRsync.requireOnPath();
        many = Files.createDirectories(tmp.resolve("many"));
        String longName = "n".repeat(240);
        for (int i = 0; i < MANY; i++) {
            Files.createFile(many.resolve(longName + i));
        }
        up = Files.createDirectories(tmp.resolve("up"));
        daemon = JavaDaemon.start(tmp.resolve("daemon"), JavaDaemon.asTestUser() + """
                [up]
                path = %s
                read only = no
                munge symlinks = no
                """.formatted(up), Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        daemon.close();
    }

    private ProcessResult push(Path src, String dest, String... extra) {
        String[] args = Stream.concat(Stream.of("-a"), Stream.concat(Stream.of(extra),
                Stream.of(src + "/", daemon.url(dest)))).toArray(String[]::new);
        return StockClient.of(rsync).timeout(Duration.ofSeconds(60)).run(args);
    }

    @Test
    void aFileListOverTheClientsMaxAllocIsRefusedWithRsyncsErrorAndCode22() throws IOException {
        ProcessResult r = push(many, "up/many/", "--max-alloc=1M");
        assertEquals(22, r.exitCode(), r.transcript());
        assertTrue(r.stderr().contains("[Receiver] exceeded --max-alloc=1048576 setting (file list)"), r.transcript());
        try (Stream<Path> left = Files.list(up)) {
            assertEquals(0, left.count(), "a refused upload wrote something");
        }

        ProcessResult again = push(many, "up/many/");
        assertEquals(0, again.exitCode(), again.transcript());
        TreeAssert.assertIdentical(many, up.resolve("many"));
    }

    /** As rsync's daemon: its own --max-alloc applies to a client that sends none, a client's own one wins. */
    @Test
    void theDaemonsOwnMaxAllocBoundsAClientThatSendsNone() {
        daemon.daemon.maxAlloc(1 << 20);
        ProcessResult r = push(many, "up/many/");
        assertEquals(22, r.exitCode(), r.transcript());
        assertTrue(r.stderr().contains("[Receiver] exceeded --max-alloc=1048576 setting (file list)"), r.transcript());

        ProcessResult raised = push(many, "up/many/", "--max-alloc=8M");
        assertEquals(0, raised.exitCode(), raised.transcript());
    }

    @Test
    void theUploadOverTheDaemonsHeapBudgetIsRefusedAndTheNextOneServed() {
        daemon.daemon.heapBudget(512 << 10);
        ProcessResult big = push(many, "up/many/");
        assertEquals(22, big.exitCode(), big.transcript());
        assertTrue(big.stderr().contains("[Receiver] out of memory: file list would need"), big.transcript());
        assertTrue(big.stderr().contains("over the daemon's memory budget of 524288 bytes"), big.transcript());

        Path small = tmp.resolve("small");
        TestTrees.buildVaried(small, TestTrees.Omit.LARGE_FILES, TestTrees.Omit.SPECIALS);
        ProcessResult ok = push(small, "up/small/");
        assertEquals(0, ok.exitCode(), ok.transcript());
        TreeAssert.assertIdentical(small, up.resolve("small"));
    }
}
