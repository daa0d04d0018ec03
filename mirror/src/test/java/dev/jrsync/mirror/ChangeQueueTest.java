package dev.jrsync.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.watcher.PathChange;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class ChangeQueueTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private static List<PathChange> change(PathChange.Kind kind, String path) {
        return List.of(PathChange.of(kind, Path.of(path), false));
    }

    @Test
    void aPathSettlesAfterTheDelayWithItsChangesMerged() throws Exception {
        ChangeQueue q = new ChangeQueue(100);
        long t0 = System.nanoTime();
        q.accept(change(PathChange.Kind.CREATED, "a"), t0);
        q.accept(change(PathChange.Kind.ATTRIBUTES, "a"), t0);
        ChangeQueue.Batch b = q.awaitBatch(5 * MS, 5 * MS, 1000 * MS);
        assertTrue(System.nanoTime() - t0 >= 5 * MS);
        assertEquals(ChangeQueue.CONTENT | ChangeQueue.ATTRS, b.paths().get("a").flags);
        assertEquals(0, q.size());
    }

    /** The mirror saves its index when its wait runs out with nothing settled; a settled path goes first. */
    @Test
    void aWaitWithADeadlineEndsIdleThenAndNotBefore() throws Exception {
        ChangeQueue q = new ChangeQueue(100);
        long t0 = System.nanoTime();
        ChangeQueue.Batch idle = q.awaitBatch(5 * MS, 5 * MS, 1000 * MS, t0 + 30 * MS);
        assertTrue(idle.idle());
        assertTrue(System.nanoTime() - t0 >= 30 * MS);
        q.accept(change(PathChange.Kind.CREATED, "a"), System.nanoTime() - 10 * MS);
        ChangeQueue.Batch b = q.awaitBatch(5 * MS, 5 * MS, 1000 * MS, t0);
        assertEquals(List.of("a"), List.copyOf(b.paths().keySet()));
    }

    @Test
    void aFileClosedAfterWritingSettlesSoonerThanOneStillOpen() throws Exception {
        ChangeQueue q = new ChangeQueue(100);
        long t0 = System.nanoTime();
        q.accept(change(PathChange.Kind.WRITTEN, "open"), t0);
        q.accept(List.of(PathChange.of(PathChange.Kind.WRITTEN, Path.of("closed"), false),
                PathChange.of(PathChange.Kind.MODIFIED, Path.of("closed"), false)), t0);
        ChangeQueue.Batch first = q.awaitBatch(200 * MS, 1 * MS, 1000 * MS);
        assertEquals(List.of("closed"), List.copyOf(first.paths().keySet()));
        assertTrue(System.nanoTime() - t0 < 200 * MS, "the closed file waited for the open one's delay");
        ChangeQueue.Batch second = q.awaitBatch(200 * MS, 1 * MS, 1000 * MS);
        assertEquals(List.of("open"), List.copyOf(second.paths().keySet()));
        assertTrue(System.nanoTime() - t0 >= 200 * MS);
    }

    @Test
    void aFileWrittenContinuouslyIsHandedOverAtTheMaximumDelay() throws Exception {
        ChangeQueue q = new ChangeQueue(100);
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = Thread.ofPlatform().start(() -> {
            long end = System.nanoTime() + 2000 * MS;
            while (writing.get() && System.nanoTime() < end) {
                q.accept(change(PathChange.Kind.WRITTEN, "log"), System.nanoTime());
                LockSupport.parkNanos(MS);
            }
        });
        long t0 = System.nanoTime();
        ChangeQueue.Batch b = q.awaitBatch(20 * MS, 20 * MS, 100 * MS);
        long waited = System.nanoTime() - t0;
        writing.set(false);
        writer.join();
        assertTrue(b.paths().containsKey("log"));
        assertTrue(waited < 1000 * MS, () -> "waited " + waited / MS + " ms");
    }

    @Test
    void pastTheLimitTheDetailIsDroppedForARescan() throws Exception {
        ChangeQueue q = new ChangeQueue(3);
        for (int i = 0; i < 5; i++) {
            q.accept(change(PathChange.Kind.MODIFIED, "f" + i), System.nanoTime());
        }
        ChangeQueue.Batch b = q.awaitBatch(5 * MS, 5 * MS, 1000 * MS);
        assertTrue(b.rescan() && b.overflowed() && b.paths().isEmpty());
        // Changes after the overflow queue up again; the rescan covers them as well.
        assertEquals(1, q.size());
    }

    @Test
    void aRenameMarksTheOldNameGoneAndARequeuedBatchKeepsNewerChanges() throws Exception {
        ChangeQueue q = new ChangeQueue(100);
        q.accept(List.of(new PathChange(PathChange.Kind.MOVED, Path.of("d/new"), Path.of("d/old"), false)),
                System.nanoTime() - 10 * MS);
        ChangeQueue.Batch b = q.awaitBatch(5 * MS, 5 * MS, 1000 * MS);
        assertEquals(ChangeQueue.GONE, b.paths().get("d/old").flags);
        assertEquals("d/old", b.paths().get("d/new").from);
        q.accept(change(PathChange.Kind.MODIFIED, "d/new"), System.nanoTime());
        q.requeue(b.paths());
        assertEquals(ChangeQueue.RENAMED | ChangeQueue.CONTENT, q.awaitBatch(0, 0, 0).paths().get("d/new").flags);
    }
}
