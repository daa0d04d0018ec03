package dev.jrsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jrsync.testing.StockClient;
import dev.jrsync.testing.StockDaemon;
import dev.jrsync.testing.StockRsync;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --chmod} applied once, as the stock client applies it (rsync's suite: chmod-option): by the sending side
 * in a local copy and a push, by the receiving client in a pull. Rules that copy one class's bits to another
 * ({@code g=o}) show a second application at once.
 */
class ChmodOptionTest {
    @TempDir
    Path tmp;

    @Test
    void chmodIsAppliedOnceInEveryDirection() throws IOException {
        StockRsync rsync = StockRsync.requireOnPath(); // copying a class's bits is rsync 3.5's; 3.2.7 refuses "g=o"
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.setPosixFilePermissions(Files.writeString(src.resolve("f"), "x\n"), PosixFilePermissions.fromString("rw-r--rwx"));
        Path up = Files.createDirectories(tmp.resolve("up"));
        String chmod = "--chmod=g=o,o=";
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("d"))
                .module(StockDaemon.Module.of("up", up).readOnly(false))
                .module(StockDaemon.Module.of("src", src)).start()) {
            for (String who : List.of("stock", "ours")) {
                Path local = tmp.resolve(who + "-local");
                Path pulled = tmp.resolve(who + "-pulled");
                run(who, rsync, "-a", chmod, src + "/", local + "/");
                run(who, rsync, "-a", chmod, src + "/", daemon.url("up") + "/" + who + "/");
                run(who, rsync, "-a", chmod, daemon.url("src") + "/", pulled + "/");
                for (Path f : List.of(local.resolve("f"), up.resolve(who + "/f"), pulled.resolve("f"))) {
                    assertEquals("rw-rwx---", perms(f), who + ": " + f);
                }
            }
        }
    }

    private static void run(String who, StockRsync rsync, String... args) {
        if (who.equals("ours")) {
            Jrsync.run(args).assertSuccess();
        } else {
            StockClient.of(rsync).run(args).assertSuccess();
        }
    }

    private static String perms(Path p) throws IOException {
        return PosixFilePermissions.toString(
                Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).permissions());
    }
}
