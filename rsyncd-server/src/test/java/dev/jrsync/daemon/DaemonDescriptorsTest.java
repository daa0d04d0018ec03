package dev.jrsync.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.testing.StockClient;
import dev.jrsync.testing.StockRsync;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon gives back every descriptor it opens: a session's (module directory, files, the module's
 * {@code log file}) when it ends, the logs when the daemon is closed. Counted in this JVM's /proc/self/fd, where
 * the daemon runs.
 */
class DaemonDescriptorsTest {
    private static final int SESSIONS = 20;
    private static final Path FDS = Path.of("/proc/self/fd");

    @TempDir
    Path tmp;

    @Test
    void sessionsAndAClosedDaemonLeaveNoDescriptorOpen() throws Exception {
        Path pub = Files.createDirectories(tmp.resolve("pub"));
        Files.writeString(pub.resolve("a.txt"), "served\n");
        Path up = Files.createDirectories(tmp.resolve("up"));
        Path moduleLog = tmp.resolve("module.log");
        StockClient client = StockClient.of(StockRsync.requireOnPath()).timeout(Duration.ofSeconds(60));
        JavaDaemon daemon = JavaDaemon.start(tmp.resolve("daemon"), JavaDaemon.asTestUser() + """
                [pub]
                path = %s
                log file = %s
                transfer logging = yes
                [up]
                path = %s
                read only = no
                log file = %s
                transfer logging = yes
                """.formatted(pub, moduleLog, up, moduleLog), Duration.ofSeconds(10));
        Path daemonLog = daemon.logFile;
        try {
            // one of each first: the module log is opened once, on first use, and shared from then on
            client.run("-a", daemon.url("pub/"), tmp + "/pulled0/").assertSuccess();
            client.run("-a", pub + "/", daemon.url("up/0/")).assertSuccess();
            int before = openDescriptors();
            for (int i = 1; i <= SESSIONS; i++) {
                client.run("-a", daemon.url("pub/"), tmp + "/pulled" + i + "/").assertSuccess();
                client.run("-a", pub + "/", daemon.url("up/" + i + "/")).assertSuccess();
            }
            int after = openDescriptors();
            assertTrue(after - before < SESSIONS, SESSIONS * 2 + " sessions left " + (after - before)
                    + " more descriptors open (" + before + " before, " + after + " after)\n" + daemon.log());
            assertTrue(Files.readString(moduleLog).contains("recv"), Files.readString(moduleLog));
        } finally {
            daemon.close();
        }
        assertEquals(List.of(), openOn(List.of(moduleLog, daemonLog)), "log files still open after close");
    }

    /**
     * This JVM's open descriptors once the sessions' threads are done: the least of a few counts a moment
     * apart, so that one still closing its socket is not taken for a leak.
     */
    private static int openDescriptors() throws Exception {
        int least = Integer.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            try (Stream<Path> fds = Files.list(FDS)) {
                least = Math.min(least, (int) fds.count());
            }
            Thread.sleep(100);
        }
        return least;
    }

    /** The descriptors of this JVM open on one of {@code files}. */
    private static List<Path> openOn(List<Path> files) throws IOException {
        try (Stream<Path> fds = Files.list(FDS)) {
            return fds.filter(fd -> {
                try {
                    return files.contains(Files.readSymbolicLink(fd));
                } catch (IOException gone) {
                    return false;
                }
            }).toList();
        }
    }
}
