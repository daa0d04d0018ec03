package dev.jrsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.testing.StockDaemon;
import dev.jrsync.testing.StockRsync;
import dev.jrsync.testing.TreeAssert;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client's {@code --max-alloc}: parsed as rsync does, and bounding the file list a pull receives. */
class MaxAllocTest {
    @TempDir
    Path tmp;

    @Test
    void aPulledFileListOverMaxAllocEndsWithRsyncsErrorAndCode22() throws IOException {
        StockRsync rsync = StockRsync.requireOnPath();
        Path module = Files.createDirectories(tmp.resolve("module"));
        String longName = "n".repeat(240);
        for (int i = 0; i < 4000; i++) {
            Files.createFile(module.resolve(longName + i));
        }
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("mod", module)).start()) {
            Path dest = tmp.resolve("dest");
            Jrsync refused = Jrsync.run("-a", "--max-alloc=1M", daemon.url("mod"), dest + "/");
            assertEquals(22, refused.exitCode(), refused::transcript);
            assertTrue(refused.stderr().contains("[Receiver] exceeded --max-alloc=1048576 setting (file list)"),
                    refused::transcript);
            try (Stream<Path> written = Files.exists(dest) ? Files.list(dest) : Stream.empty()) {
                assertEquals(0, written.count(), "a refused pull wrote files");
            }

            Jrsync fromEnv = Jrsync.run(Map.of("RSYNC_MAX_ALLOC", "1M"), "-a", daemon.url("mod"), dest + "/");
            assertEquals(22, fromEnv.exitCode(), fromEnv::transcript);

            Jrsync.run(Map.of("RSYNC_MAX_ALLOC", "1M"), "-a", "--max-alloc=8M", daemon.url("mod"), dest + "/")
                    .assertSuccess();
            TreeAssert.assertIdentical(module, dest);
        }
    }

    @Test
    void belowOneMebibyteIsAUsageErrorWithRsyncsWording() {
        Jrsync r = Jrsync.run("--max-alloc=512K", tmp + "/a", tmp + "/b");
        assertEquals(1, r.exitCode(), r::transcript);
        assertTrue(r.stderr().contains("--max-alloc=512K is too small (min: 1.00M or 0 for unlimited)"), r::transcript);
        Jrsync fromEnv = Jrsync.run(Map.of("RSYNC_MAX_ALLOC", "1X"), tmp + "/a", tmp + "/b");
        assertEquals(1, fromEnv.exitCode(), fromEnv::transcript);
        assertTrue(fromEnv.stderr().contains("--max-alloc=1X is invalid"), fromEnv::transcript);
    }
}
