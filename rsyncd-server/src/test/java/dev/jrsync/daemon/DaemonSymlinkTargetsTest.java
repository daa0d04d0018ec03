package dev.jrsync.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jrsync.testing.StockClient;
import dev.jrsync.testing.StockDaemon;
import dev.jrsync.testing.StockRsync;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A module without a chroot that does not munge symlinks cleans the targets of the symlinks pushed to it, as
 * rsync's daemon does (sanitize_paths): no leading slash, and no more ".." than the link's directory is deep. A
 * stock client's push stores the same targets in the Java daemon's module as in the stock daemon's (rsync's
 * suite, variety, across implementations).
 */
class DaemonSymlinkTargetsTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void pushedTargetsAreCleanedAsTheStockDaemonCleansThem(StockRsync rsync) throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src/sub/deeper"));
        Files.createSymbolicLink(tmp.resolve("src/abs"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(tmp.resolve("src/sub/up"), Path.of("../../outside/file"));
        Files.createSymbolicLink(tmp.resolve("src/sub/in"), Path.of("../abs"));
        Files.createSymbolicLink(src.resolve("far"), Path.of("x/../../../../y"));
        Files.createSymbolicLink(src.resolve("dots"), Path.of("./a/./b"));
        Path ours = Files.createDirectories(tmp.resolve("ours"));
        Path theirs = Files.createDirectories(tmp.resolve("theirs"));
        String conf = JavaDaemon.asTestUser() + "munge symlinks = no\n[mod]\npath = " + ours + "\nread only = no\n";
        try (JavaDaemon java = JavaDaemon.start(tmp.resolve("jd"), conf, Duration.ofSeconds(10));
             StockDaemon stock = StockDaemon.builder(rsync, tmp.resolve("sd"))
                     .module(StockDaemon.Module.of("mod", theirs).mungeSymlinks(false)).start()) {
            StockClient client = StockClient.of(rsync).timeout(Duration.ofSeconds(60));
            client.run("-a", tmp.resolve("src") + "/", java.url("mod/")).assertSuccess();
            client.run("-a", tmp.resolve("src") + "/", stock.url("mod")).assertSuccess();
        }
        for (String link : List.of("abs", "sub/up", "sub/in", "sub/deeper/far", "sub/deeper/dots")) {
            assertEquals(Files.readSymbolicLink(theirs.resolve(link)), Files.readSymbolicLink(ours.resolve(link)), link);
        }
        assertEquals(Path.of("etc/passwd"), Files.readSymbolicLink(ours.resolve("abs")));
        assertEquals(Path.of("../outside/file"), Files.readSymbolicLink(ours.resolve("sub/up")));
    }
}
