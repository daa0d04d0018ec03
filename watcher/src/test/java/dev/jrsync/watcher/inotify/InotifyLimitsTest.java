package dev.jrsync.watcher.inotify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.testing.Peers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InotifyLimitsTest {
    /** The kernel's value as sysctl(8) prints it: a second reader that does not share our code. */
    private static long sysctl(String name) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sysctl", "-n", "fs.inotify." + name).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "sysctl failed: " + out);
        return Long.parseLong(out);
    }

    @Test
    void readsEveryDigitOfTheKernelLimits() throws Exception {
        Peers.require(Files.isReadable(Path.of("/proc/sys/fs/inotify/max_user_watches")),
                () -> "no /proc/sys/fs/inotify (not Linux?)");
        InotifyLimits limits = InotifyLimits.read();
        assertEquals(sysctl("max_user_watches"), limits.maxUserWatches());
        assertEquals(sysctl("max_user_instances"), limits.maxUserInstances());
        assertEquals(sysctl("max_queued_events"), limits.maxQueuedEvents());
        assertTrue(limits.watchLimitMessage("/x", 10, 5)
                .contains("max_user_watches is " + sysctl("max_user_watches") + " "));
    }
}
