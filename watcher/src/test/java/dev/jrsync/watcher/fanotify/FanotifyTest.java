package dev.jrsync.watcher.fanotify;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kernel's side: what a real mark reports, and its queue overflowing (fanotify where permitted). */
class FanotifyTest {
    @Test
    void handlesOfAnEventResolveToItsDirectoryUntilItIsGone(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("a/b"));
        try (Fanotify fan = FanotifyOrSkip.open(tmp)) {
            Files.writeString(dir.resolve("f"), "x");
            FanotifyEvent created = null;
            long end = System.nanoTime() + 5_000_000_000L;
            while (created == null && System.nanoTime() < end) {
                for (FanotifyEvent e : fan.read(100)) {
                    if ("f".equals(e.name()) && e.has(FanotifyMask.CREATE)
                            && dir.toString().equals(fan.path(e.dir()))) {
                        created = e;
                    }
                }
            }
            assertTrue(created != null, "no CREATE of a/b/f");
            Files.delete(dir.resolve("f"));
            Files.delete(dir);
            assertNull(fan.path(created.dir()), "a removed directory's handle is stale");
        }
    }

    /** Past fs.fanotify.max_queued_events unread, the kernel drops events and queues one overflow instead. */
    @Test
    void aFullQueueReportsOverflow(@TempDir Path tmp) throws Exception {
        long limit = Long.parseLong(Files.readAllLines(Path.of("/proc/sys/fs/fanotify/max_queued_events")).getFirst());
        try (Fanotify fan = FanotifyOrSkip.open(tmp)) {
            for (long i = 0; i <= limit; i++) {
                Files.createDirectory(tmp.resolve("d" + i));
            }
            List<FanotifyEvent> all = new ArrayList<>();
            for (List<FanotifyEvent> batch = fan.read(100); !batch.isEmpty(); batch = fan.read(100)) {
                all.addAll(batch);
            }
            assertTrue(all.stream().anyMatch(e -> e.has(FanotifyMask.Q_OVERFLOW)), () -> all.size() + " events");
        }
    }
}
