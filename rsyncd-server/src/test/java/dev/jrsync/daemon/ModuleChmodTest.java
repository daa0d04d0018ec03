package dev.jrsync.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jrsync.testing.StockClient;
import dev.jrsync.testing.StockDaemon;
import dev.jrsync.testing.StockRsync;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A module's {@code outgoing chmod}, side by side with stock's daemon: the modes a pull lists, and so gets, are
 * the files' own with the module's rule applied (rsync's suite: daemon-filter); a symlink's is left alone.
 */
class ModuleChmodTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void outgoingChmodChangesWhatAPullGets(StockRsync rsync) throws IOException {
        Path module = tmp.resolve("module");
        Files.createDirectories(module.resolve("sub"));
        Files.setPosixFilePermissions(Files.writeString(module.resolve("a.secret"), "s\n"),
                PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(Files.writeString(module.resolve("sub/run.sh"), "r\n"),
                PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(module.resolve("link"), Path.of("a.secret"));
        String rule = "Fgo-rwx,Dg-w";
        List<String> modes = new ArrayList<>();
        try (StockDaemon stock = StockDaemon.builder(rsync, tmp.resolve("sd"))
                .module(StockDaemon.Module.of("m", tmp.resolve("module")).line("outgoing chmod = " + rule)).start();
             JavaDaemon java = JavaDaemon.start(tmp.resolve("jd"), JavaDaemon.asTestUser()
                     + "[m]\npath = " + tmp.resolve("module") + "\noutgoing chmod = " + rule + "\n",
                     Duration.ofSeconds(5))) {
            for (String url : List.of(stock.url("m") + "/", java.url("m/"))) {
                Path dest = tmp.resolve("dest" + modes.size());
                StockClient.of(rsync).run("-a", url, dest + "/").assertSuccess();
                modes.add(listing(dest));
            }
        }
        assertEquals(modes.get(0), modes.get(1));
        assertEquals("a.secret rw------- link rwxrwxrwx sub rwxr-xr-x sub/run.sh rwx------", modes.get(1));
    }

    private static String listing(Path dir) throws IOException {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(p -> !p.equals(dir)).sorted().toList()) {
                sb.append(sb.isEmpty() ? "" : " ").append(dir.relativize(p)).append(' ').append(
                        PosixFilePermissions.toString(Files.readAttributes(p, java.nio.file.attribute.PosixFileAttributes.class,
                                java.nio.file.LinkOption.NOFOLLOW_LINKS).permissions()));
            }
        }
        return sb.toString();
    }
}
