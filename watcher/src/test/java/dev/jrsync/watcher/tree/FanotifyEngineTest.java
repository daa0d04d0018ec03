package dev.jrsync.watcher.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.watcher.fanotify.FanotifyEvent;
import dev.jrsync.watcher.fanotify.FanotifyMask;
import dev.jrsync.watcher.fanotify.FileHandle;
import dev.jrsync.watcher.inotify.InotifyMask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine driven by hand-made fanotify events, with directory handles resolved from a table. */
class FanotifyEngineTest {
    private final List<TreeEvent> events = new ArrayList<>();
    private final Map<FileHandle, String> paths = new HashMap<>();
    private int lookups;

    private FileHandle dir(int id, String path) {
        FileHandle h = new FileHandle(1, new byte[] {(byte) id});
        paths.put(h, path);
        return h;
    }

    private FanotifyEngine engine(String root) {
        return new FanotifyEngine(root, PathFilter.none(), events::add, h -> {
            lookups++;
            return paths.get(h);
        });
    }

    private static FanotifyEvent ev(long mask, FileHandle dir, String name) {
        return new FanotifyEvent(mask, dir, name, null, null);
    }

    private static TreeEvent te(int mask, int cookie, String dir, String name) {
        return new TreeEvent(mask, cookie, dir, name, false);
    }

    @Test
    void mergedMaskIsReportedInOrderAndOutsideTheRootIsDropped() {
        FanotifyEngine engine = engine("/r/");
        FileHandle sub = dir(1, "/r/sub");
        FileHandle other = dir(2, "/rx");
        engine.process(List.of(ev(FanotifyMask.CLOSE_WRITE | FanotifyMask.CREATE | FanotifyMask.MODIFY, sub, "f"),
                ev(FanotifyMask.CREATE, other, "g"),
                ev(FanotifyMask.ATTRIB | FanotifyMask.ONDIR, sub, "."),
                ev(FanotifyMask.CREATE | FanotifyMask.ONDIR, dir(3, "/r"), "d"),
                ev(FanotifyMask.ATTRIB | FanotifyMask.ONDIR, dir(3, "/r"), "."),
                ev(FanotifyMask.DELETE, dir(4, null), "gone")));
        assertEquals(List.of(te(InotifyMask.CREATE, 0, "/r/sub/", "f"), te(InotifyMask.MODIFY, 0, "/r/sub/", "f"),
                te(InotifyMask.CLOSE_WRITE, 0, "/r/sub/", "f"),
                te(InotifyMask.ATTRIB | InotifyMask.ISDIR, 0, "/r/", "sub"),
                te(InotifyMask.CREATE | InotifyMask.ISDIR, 0, "/r/", "d")), events);
    }

    @Test
    void createdAndDeletedWhileQueuedIsDecidedByWhatIsThere(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("back"), "x");
        FanotifyEngine engine = engine(tmp + "/");
        FileHandle root = dir(1, tmp.toString());
        long both = FanotifyMask.CREATE | FanotifyMask.CLOSE_WRITE | FanotifyMask.DELETE;
        engine.process(List.of(ev(both, root, "back"), ev(both, root, "brief")));
        assertEquals(List.of(te(InotifyMask.CREATE, 0, tmp + "/", "back"), te(InotifyMask.CLOSE_WRITE, 0, tmp + "/",
                "back"), te(InotifyMask.DELETE, 0, tmp + "/", "brief")), events);
    }

    @Test
    void renamesPairInsideAndBecomeDeleteOrCreateAcrossTheEdge(@TempDir Path tmp) throws Exception {
        Path root = Files.createDirectories(tmp.resolve("r"));
        Files.createDirectories(root.resolve("in/e"));
        Files.writeString(root.resolve("in/e/f"), "x");
        FanotifyEngine engine = engine(root + "/");
        FileHandle r = dir(1, root.toString());
        FileHandle outside = dir(2, tmp.toString());
        long dirRename = FanotifyMask.RENAME | FanotifyMask.ONDIR;
        engine.process(List.of(new FanotifyEvent(FanotifyMask.RENAME, r, "b", r, "a"),
                new FanotifyEvent(FanotifyMask.RENAME, outside, "x", r, "b"),
                new FanotifyEvent(dirRename, r, "in", outside, "in")));
        String p = root + "/";
        assertEquals(List.of(te(InotifyMask.MOVED_FROM, 1, p, "a"), te(InotifyMask.MOVED_TO, 1, p, "b"),
                te(InotifyMask.DELETE, 0, p, "b"), te(InotifyMask.CREATE | InotifyMask.ISDIR, 0, p, "in"),
                new TreeEvent(InotifyMask.CREATE | InotifyMask.ISDIR, 0, p + "in/", "e", true),
                new TreeEvent(InotifyMask.CREATE, 0, p + "in/e/", "f", true),
                new TreeEvent(InotifyMask.CLOSE_WRITE, 0, p + "in/e/", "f", true)), events);
    }

    /**
     * The kernel merges a change into an earlier queued event on the same name, even one before a rename: "write
     * f, mv f g, write f again" reads as [f written] [f renamed to g], and "write g, mv f g, write g" as
     * [g written] [f renamed to g]. What is on disk after the rename is reported again.
     */
    @Test
    void changesMergedAcrossARenameAreReportedAgain(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("f"), "new f");
        Files.writeString(tmp.resolve("g"), "old f");
        FanotifyEngine engine = engine(tmp + "/");
        FileHandle root = dir(1, tmp.toString());
        String p = tmp + "/";
        long written = FanotifyMask.MODIFY | FanotifyMask.CLOSE_WRITE;
        engine.process(List.of(ev(written, root, "f"), new FanotifyEvent(FanotifyMask.RENAME, root, "g", root, "f")));
        assertEquals(List.of(te(InotifyMask.MODIFY, 0, p, "f"), te(InotifyMask.CLOSE_WRITE, 0, p, "f"),
                te(InotifyMask.MOVED_FROM, 1, p, "f"), te(InotifyMask.MOVED_TO, 1, p, "g"),
                new TreeEvent(InotifyMask.CREATE, 0, p, "f", true),
                new TreeEvent(InotifyMask.CLOSE_WRITE, 0, p, "f", true)), events);

        events.clear();
        Files.delete(tmp.resolve("f"));
        engine.process(List.of(ev(written, root, "g"), new FanotifyEvent(FanotifyMask.RENAME, root, "g", root, "f")));
        assertEquals(List.of(te(InotifyMask.MODIFY, 0, p, "g"), te(InotifyMask.CLOSE_WRITE, 0, p, "g"),
                te(InotifyMask.MOVED_FROM, 2, p, "f"), te(InotifyMask.MOVED_TO, 2, p, "g"),
                new TreeEvent(InotifyMask.CLOSE_WRITE, 0, p, "g", true)), events);

        events.clear();
        engine.process(List.of(new FanotifyEvent(FanotifyMask.RENAME, root, "g", root, "f")));
        assertEquals(List.of(te(InotifyMask.MOVED_FROM, 3, p, "f"), te(InotifyMask.MOVED_TO, 3, p, "g")), events,
                "nothing merged, nothing repeated");
    }

    @Test
    void pathsAreCachedUntilADirectoryIsRenamed() {
        FanotifyEngine engine = engine("/r/");
        FileHandle sub = dir(1, "/r/a/sub");
        engine.process(List.of(ev(FanotifyMask.MODIFY, sub, "f"), ev(FanotifyMask.MODIFY, sub, "f")));
        assertEquals(1, lookups);
        paths.put(sub, "/r/z/sub");
        FileHandle r = dir(2, "/r");
        engine.process(List.of(new FanotifyEvent(FanotifyMask.RENAME | FanotifyMask.ONDIR, r, "z", r, "a"),
                ev(FanotifyMask.MODIFY, sub, "f")));
        assertEquals(te(InotifyMask.MODIFY, 0, "/r/z/sub/", "f"), events.getLast());
    }

    /** Handles resolve to where directories are now; the batch's later renames are undone, latest first. */
    @Test
    void eventsBeforeADirectoryRenameKeepTheOldPath() {
        FanotifyEngine engine = engine("/r/");
        FileHandle r = dir(1, "/r");
        FileHandle sub = dir(2, "/r/c/sub");
        long dirRename = FanotifyMask.RENAME | FanotifyMask.ONDIR;
        engine.process(List.of(ev(FanotifyMask.MODIFY, sub, "x"),
                new FanotifyEvent(dirRename, r, "b", r, "a"),
                ev(FanotifyMask.MODIFY, sub, "y"),
                new FanotifyEvent(dirRename, r, "c", r, "b"),
                ev(FanotifyMask.MODIFY, sub, "z")));
        assertEquals(List.of(te(InotifyMask.MODIFY, 0, "/r/a/sub/", "x"),
                te(InotifyMask.MOVED_FROM | InotifyMask.ISDIR, 1, "/r/", "a"),
                te(InotifyMask.MOVED_TO | InotifyMask.ISDIR, 1, "/r/", "b"),
                te(InotifyMask.MODIFY, 0, "/r/b/sub/", "y"),
                te(InotifyMask.MOVED_FROM | InotifyMask.ISDIR, 2, "/r/", "b"),
                te(InotifyMask.MOVED_TO | InotifyMask.ISDIR, 2, "/r/", "c"),
                te(InotifyMask.MODIFY, 0, "/r/c/sub/", "z")), events);
    }

    /**
     * The directory was renamed between the read and the resolving of its handle: the rename is read before the
     * batch is reported, and undone for the write that came before it.
     */
    @Test
    void aRenameReadAfterTheResolvingIsUndoneToo() throws Exception {
        FanotifyEngine engine = engine("/r/");
        FileHandle r = dir(1, "/r");
        FileHandle sub = dir(2, "/r/new/sub");
        List<List<FanotifyEvent>> queue = new ArrayList<>(List.of(
                List.of(new FanotifyEvent(FanotifyMask.RENAME | FanotifyMask.ONDIR, r, "new", r, "old")), List.of()));
        engine.process(List.of(ev(FanotifyMask.CLOSE_WRITE, sub, "x")), () -> queue.removeFirst());
        assertEquals(List.of(te(InotifyMask.CLOSE_WRITE, 0, "/r/old/sub/", "x"),
                te(InotifyMask.MOVED_FROM | InotifyMask.ISDIR, 1, "/r/", "old"),
                te(InotifyMask.MOVED_TO | InotifyMask.ISDIR, 1, "/r/", "new")), events);
        assertTrue(queue.isEmpty(), "read until empty");
    }

    @Test
    void overflowReachesTheConsumer() {
        FanotifyEngine engine = engine("/r/");
        engine.process(List.of(ev(FanotifyMask.Q_OVERFLOW, null, null)));
        assertEquals(List.of(te(InotifyMask.Q_OVERFLOW, 0, "", "")), events);
    }
}
