package dev.jrsync.watcher.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.watcher.inotify.ErrnoException;
import dev.jrsync.watcher.inotify.InotifyEvent;
import dev.jrsync.watcher.inotify.InotifyLimits;
import dev.jrsync.watcher.inotify.InotifyMask;
import dev.jrsync.watcher.inotify.WatchBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine driven by hand-made kernel events over a fake backend that can run out of watches. */
class WatchEngineTest {
    /** Hands out descriptors until {@code capacity} is used up, then fails as the kernel does: ENOSPC. */
    static final class FakeBackend implements WatchBackend {
        final Map<String, Integer> wds = new HashMap<>();
        int capacity;
        int next = 1;

        FakeBackend(int capacity) {
            this.capacity = capacity;
        }

        @Override
        public int addWatch(String path, int mask) throws ErrnoException {
            Integer wd = wds.get(path);
            if (wd != null) {
                return wd;
            }
            if (wds.size() >= capacity) {
                throw new ErrnoException("inotify_add_watch", ErrnoException.ENOSPC, path);
            }
            wds.put(path, next);
            return next++;
        }

        @Override
        public void removeWatch(int wd) {
            wds.values().remove(wd);
        }
    }

    private final List<TreeEvent> events = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    private WatchEngine engine(FakeBackend backend) {
        EngineOptions o = new EngineOptions(InotifyMask.ALL_EVENTS, true, true, PathFilter.none(), 1_000_000L,
                1_000_000_000L, warnings::add);
        return new WatchEngine(backend, o, events::add, new InotifyLimits(8, 128, 16384));
    }

    @Test
    void overflowReachesTheConsumer() throws Exception {
        WatchEngine engine = engine(new FakeBackend(100));
        engine.process(List.of(new InotifyEvent(-1, InotifyMask.Q_OVERFLOW, 0, "")), 0);
        assertEquals(List.of(new TreeEvent(InotifyMask.Q_OVERFLOW, 0, "", "", false)), events);
    }

    @Test
    void renamedDirectoryKeepsPathsBelowIt(@TempDir Path tmp) throws Exception {
        Files.createDirectories(tmp.resolve("a/b/c"));
        FakeBackend backend = new FakeBackend(100);
        WatchEngine engine = engine(backend);
        String root = tmp + "/";
        engine.watch(root, 0);
        int rootWd = backend.wds.get(root);
        int cWd = backend.wds.get(root + "a/b/c/");
        Files.move(tmp.resolve("a"), tmp.resolve("z"));
        engine.process(List.of(new InotifyEvent(rootWd, InotifyMask.MOVED_FROM | InotifyMask.ISDIR, 9, "a"),
                new InotifyEvent(rootWd, InotifyMask.MOVED_TO | InotifyMask.ISDIR, 9, "z"),
                new InotifyEvent(cWd, InotifyMask.CREATE, 0, "f")), 0);
        assertEquals(root + "z/b/c/f", events.getLast().path());
        assertEquals(4, engine.watchCount());
    }

    @Test
    void directoryMovedOutLosesItsWatches(@TempDir Path tmp) throws Exception {
        Files.createDirectories(tmp.resolve("a/b"));
        FakeBackend backend = new FakeBackend(100);
        WatchEngine engine = engine(backend);
        String root = tmp + "/";
        engine.watch(root, 0);
        engine.process(List.of(new InotifyEvent(backend.wds.get(root), InotifyMask.MOVED_FROM | InotifyMask.ISDIR,
                5, "a")), 0);
        assertEquals(3, engine.watchCount());
        engine.tick(2_000_000L);
        assertEquals(1, engine.watchCount());
        assertEquals(List.of(root), List.copyOf(backend.wds.keySet()));
    }

    @Test
    void limitReachedIsReportedAndUnwatchedDirectoriesAreRescanned(@TempDir Path tmp) throws Exception {
        for (String d : List.of("a", "b", "c", "d")) {
            Files.createDirectories(tmp.resolve(d));
        }
        FakeBackend backend = new FakeBackend(3);
        WatchEngine engine = engine(backend);
        engine.watch(tmp.toString(), 0);
        assertEquals(3, engine.watchCount());
        assertEquals(2, engine.unwatchedCount());
        assertEquals(1, warnings.size());
        String msg = warnings.getFirst();
        assertTrue(msg.contains("fs.inotify.max_user_watches is 8 and this tree needs 5 watches"), msg);
        assertTrue(msg.contains("sysctl fs.inotify.max_user_watches="), msg);
        assertTrue(msg.contains("rescanned every 1 s"), msg);

        Files.writeString(tmp.resolve("d/new.txt"), "x");
        engine.tick(500_000_000L);
        assertTrue(events.isEmpty(), "no rescan before the interval");
        engine.tick(1_000_000_000L);
        assertEquals(List.of(new TreeEvent(InotifyMask.CREATE, 0, tmp + "/d/", "new.txt", true),
                new TreeEvent(InotifyMask.CLOSE_WRITE, 0, tmp + "/d/", "new.txt", true)), events);

        backend.capacity = 100;
        events.clear();
        Files.delete(tmp.resolve("d/new.txt"));
        engine.tick(2_000_000_000L);
        assertEquals(List.of(new TreeEvent(InotifyMask.DELETE, 0, tmp + "/d/", "new.txt", true)), events);
        assertEquals(0, engine.unwatchedCount(), "watched again once the limit allows");
        assertEquals(5, engine.watchCount());
    }

    @Test
    void excludedSubtreeCostsNoWatch(@TempDir Path tmp) throws Exception {
        Files.createDirectories(tmp.resolve("keep/x"));
        Files.createDirectories(tmp.resolve("node_modules/p/q"));
        FakeBackend backend = new FakeBackend(100);
        EngineOptions o = new EngineOptions(InotifyMask.ALL_EVENTS, true, true,
                PathFilter.exclude("node_modules", false), 1_000_000L, 1_000_000_000L, warnings::add);
        WatchEngine engine = new WatchEngine(backend, o, events::add, InotifyLimits.read());
        engine.watch(tmp.toString(), 0);
        assertEquals(3, engine.watchCount());
    }
}
