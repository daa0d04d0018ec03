package dev.jrsync.watcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.watcher.inotify.InotifyMask;
import dev.jrsync.watcher.tree.PathFilter;
import dev.jrsync.watcher.tree.TreeEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeWatcherTest {
    private final List<PathChange> changes = new CopyOnWriteArrayList<>();

    private void await(Predicate<List<PathChange>> done) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (!done.test(changes) && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertTrue(done.test(changes), () -> "timed out; got " + changes);
    }

    private Set<Path> modified() {
        return changes.stream().filter(c -> c.kind() == PathChange.Kind.MODIFIED).map(PathChange::path)
                .collect(Collectors.toSet());
    }

    @Test
    void filesWrittenIntoFreshNestedDirectoriesAreAllReported(@TempDir Path root) throws Exception {
        try (TreeWatcher w = TreeWatcher.start(root, WatchOptions.defaults(), changes::addAll)) {
            for (int round = 0; round < 5; round++) {
                Path c = root.resolve("r" + round + "/a/b/c");
                Files.createDirectories(c);
                for (int i = 0; i < 20; i++) {
                    Files.writeString(c.resolve("f" + i), "x");
                }
            }
            await(ch -> modified().size() == 100);
            for (int round = 0; round < 5; round++) {
                for (int i = 0; i < 20; i++) {
                    assertTrue(modified().contains(Path.of("r" + round + "/a/b/c/f" + i)));
                }
            }
            assertEquals(21, w.watchCount());
        }
    }

    @Test
    void renamedDirectoryKeepsCorrectPathsBelow(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("a/b/c"));
        try (TreeWatcher w = TreeWatcher.start(root, WatchOptions.defaults(), changes::addAll)) {
            Files.move(root.resolve("a"), root.resolve("z"));
            Files.writeString(root.resolve("z/b/c/f"), "x");
            await(ch -> modified().contains(Path.of("z/b/c/f")));
            assertTrue(changes.contains(new PathChange(PathChange.Kind.MOVED, Path.of("z"), Path.of("a"), true)));
            Files.move(root.resolve("z/b"), root.resolve("z/y"));
            Files.writeString(root.resolve("z/y/c/g"), "x");
            await(ch -> modified().contains(Path.of("z/y/c/g")));
        }
    }

    @Test
    void movedOutOfTheTreeIsADeletion(@TempDir Path tmp) throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Files.createDirectories(root.resolve("d/e"));
        try (TreeWatcher w = TreeWatcher.start(root, WatchOptions.defaults(), changes::addAll)) {
            Files.move(root.resolve("d"), tmp.resolve("outside"));
            await(ch -> ch.contains(PathChange.of(PathChange.Kind.DELETED, Path.of("d"), true)));
            long end = System.nanoTime() + 5_000_000_000L;
            while (w.watchCount() != 1 && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            assertEquals(1, w.watchCount());
        }
    }

    @Test
    void overflowBecomesRescanNeeded() {
        ChangeCoalescer c = new ChangeCoalescer("/r/", PathFilter.none(), 1000);
        c.accept(new TreeEvent(InotifyMask.CLOSE_WRITE, 0, "/r/", "a", false), 0);
        c.accept(new TreeEvent(InotifyMask.CLOSE_WRITE, 0, "/r/", "a", false), 0);
        c.accept(new TreeEvent(InotifyMask.Q_OVERFLOW, 0, "", "", false), 0);
        c.accept(new TreeEvent(InotifyMask.MOVED_FROM, 7, "/r/", "x", false), 0);
        assertEquals(List.of(PathChange.of(PathChange.Kind.MODIFIED, Path.of("a"), false),
                PathChange.of(PathChange.Kind.RESCAN_NEEDED, Path.of(""), true)), c.drain());
        c.tick(2000);
        assertEquals(List.of(PathChange.of(PathChange.Kind.DELETED, Path.of("x"), false)), c.drain());
    }

    @Test
    void fileKeptOpenIsReportedWhileWritten(@TempDir Path root) throws Exception {
        try (TreeWatcher w = TreeWatcher.start(root, WatchOptions.defaults(), changes::addAll);
             java.io.OutputStream out = Files.newOutputStream(root.resolve("log"))) {
            for (int i = 0; i < 3; i++) {
                out.write('x');
                out.flush();
            }
            await(ch -> ch.contains(PathChange.of(PathChange.Kind.WRITTEN, Path.of("log"), false)));
            assertTrue(modified().isEmpty(), () -> "not closed yet, got " + changes);
        }
    }

    @Test
    void repeatedWritesInOneBatchAreOneChange() {
        ChangeCoalescer c = new ChangeCoalescer("/r/", PathFilter.none(), 1000);
        for (int i = 0; i < 3; i++) {
            c.accept(new TreeEvent(InotifyMask.MODIFY, 0, "/r/", "a", false), 0);
        }
        c.accept(new TreeEvent(InotifyMask.CLOSE_WRITE, 0, "/r/", "a", false), 0);
        assertEquals(List.of(PathChange.of(PathChange.Kind.WRITTEN, Path.of("a"), false),
                PathChange.of(PathChange.Kind.MODIFIED, Path.of("a"), false)), c.drain());
    }

    /** A write after a close means the file is open again: the batch must end with it, not with the close. */
    @Test
    void aWriteAfterACloseIsKept() {
        ChangeCoalescer c = new ChangeCoalescer("/r/", PathFilter.none(), 1000);
        c.accept(new TreeEvent(InotifyMask.MODIFY, 0, "/r/", "a", false), 0);
        c.accept(new TreeEvent(InotifyMask.CLOSE_WRITE, 0, "/r/", "a", false), 0);
        c.accept(new TreeEvent(InotifyMask.MODIFY, 0, "/r/", "a", false), 0);
        assertEquals(List.of(PathChange.of(PathChange.Kind.WRITTEN, Path.of("a"), false),
                PathChange.of(PathChange.Kind.MODIFIED, Path.of("a"), false),
                PathChange.of(PathChange.Kind.WRITTEN, Path.of("a"), false)), c.drain());
    }

    @Test
    void closeStopsTheReader(@TempDir Path root) throws Exception {
        TreeWatcher w = TreeWatcher.start(root, WatchOptions.defaults().withRescanInterval(Duration.ofSeconds(1)),
                changes::addAll);
        long t0 = System.nanoTime();
        w.close();
        assertTrue(System.nanoTime() - t0 < 2_000_000_000L);
        assertEquals(null, w.failure());
    }
}
