package dev.jrsync.watcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/** Behaviour every backend must show (fanotify where the kernel permits it), then the coalescer alone. */
class TreeWatcherTest {
    private final List<PathChange> changes = new CopyOnWriteArrayList<>();

    private void await(Predicate<List<PathChange>> done) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (!done.test(changes) && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertTrue(done.test(changes), () -> "timed out; got " + changes);
    }

    private TreeWatcher start(Path root, WatchOptions.Backend backend) throws java.io.IOException {
        TreeWatcher w = TreeWatcher.start(root, Backends.options(backend, root), changes::addAll);
        assertEquals(backend, w.backend(), "no fallback");
        return w;
    }

    private Set<Path> modified() {
        return changes.stream().filter(c -> c.kind() == PathChange.Kind.MODIFIED).map(PathChange::path)
                .collect(Collectors.toSet());
    }

    @ParameterizedTest
    @EnumSource(names = {"INOTIFY", "FANOTIFY"})
    void filesWrittenIntoFreshNestedDirectoriesAreAllReported(WatchOptions.Backend backend, @TempDir Path root)
            throws Exception {
        try (TreeWatcher w = start(root, backend)) {
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
            assertEquals(backend == WatchOptions.Backend.INOTIFY ? 21 : 1, w.watchCount());
        }
    }

    /**
     * {@code mkdir -p} and a write, a thousand times: with inotify the file usually exists before its directory's
     * watch does (the engine's scan of the new directory must find it); with fanotify the mark is there first.
     */
    @ParameterizedTest
    @EnumSource(names = {"INOTIFY", "FANOTIFY"})
    void noFileInANewDirectoryIsMissed(WatchOptions.Backend backend, @TempDir Path root) throws Exception {
        int n = 1000;
        try (TreeWatcher w = start(root, backend)) {
            for (int i = 0; i < n; i++) {
                Path c = Files.createDirectories(root.resolve("n" + i + "/a/b/c"));
                Files.writeString(c.resolve("f"), "x");
            }
            long end = System.nanoTime() + 60_000_000_000L;
            while (modified().size() < n && System.nanoTime() < end) {
                Thread.sleep(50);
            }
            Set<Path> seen = modified();
            List<String> missed = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (!seen.contains(Path.of("n" + i + "/a/b/c/f"))) {
                    missed.add("n" + i);
                }
            }
            assertEquals(List.of(), missed, "files never reported");
            assertEquals(null, w.failure());
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"INOTIFY", "FANOTIFY"})
    void directoryMovedInIsReportedWithItsContents(WatchOptions.Backend backend, @TempDir Path tmp) throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Files.createDirectories(tmp.resolve("outside/d/e"));
        Files.writeString(tmp.resolve("outside/d/e/f"), "x");
        try (TreeWatcher w = start(root, backend)) {
            Files.move(tmp.resolve("outside/d"), root.resolve("d"));
            await(ch -> modified().contains(Path.of("d/e/f")));
            assertTrue(changes.contains(PathChange.of(PathChange.Kind.CREATED, Path.of("d"), true)), changes::toString);
            Files.writeString(root.resolve("d/e/g"), "x");
            await(ch -> modified().contains(Path.of("d/e/g")));
        }
    }

    /** Outside the root, the filesystem-wide mark's other events never reach the listener. */
    @ParameterizedTest
    @EnumSource(names = {"INOTIFY", "FANOTIFY"})
    void changesBesideTheRootAreNotReported(WatchOptions.Backend backend, @TempDir Path tmp) throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path beside = Files.createDirectories(tmp.resolve("root2"));
        try (TreeWatcher w = start(root, backend)) {
            Files.writeString(beside.resolve("x"), "x");
            Files.writeString(tmp.resolve("y"), "y");
            Files.writeString(root.resolve("z"), "z");
            await(ch -> modified().contains(Path.of("z")));
            Thread.sleep(300);
            assertEquals(Set.of(Path.of("z")), changes.stream().map(PathChange::path).collect(Collectors.toSet()));
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"INOTIFY", "FANOTIFY"})
    void renamedDirectoryKeepsCorrectPathsBelow(WatchOptions.Backend backend, @TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("a/b/c"));
        try (TreeWatcher w = start(root, backend)) {
            Files.move(root.resolve("a"), root.resolve("z"));
            Files.writeString(root.resolve("z/b/c/f"), "x");
            await(ch -> modified().contains(Path.of("z/b/c/f")));
            assertTrue(changes.contains(new PathChange(PathChange.Kind.MOVED, Path.of("z"), Path.of("a"), true)));
            Files.move(root.resolve("z/b"), root.resolve("z/y"));
            Files.writeString(root.resolve("z/y/c/g"), "x");
            await(ch -> modified().contains(Path.of("z/y/c/g")));
        }
    }

    /**
     * A write in a directory, then the directory renamed, 200 times: each write is reported under the old name, or
     * under the new one after the rename, never under the new name before it (a mirror would look for a directory
     * that is not there yet). fanotify resolves a directory's handle to where it is when the event is read.
     */
    @ParameterizedTest
    @EnumSource(names = {"INOTIFY", "FANOTIFY"})
    void aWriteBeforeItsDirectorysRenameIsReportedUnderTheOldName(WatchOptions.Backend backend, @TempDir Path root)
            throws Exception {
        int n = 200;
        for (int i = 0; i < n; i++) {
            Files.createDirectories(root.resolve("old" + i));
        }
        try (TreeWatcher w = start(root, backend)) {
            for (int i = 0; i < n; i++) {
                Files.writeString(root.resolve("old" + i + "/x"), "1");
                Files.move(root.resolve("old" + i), root.resolve("new" + i));
                Thread.sleep(i % 3);
            }
            PathChange last = new PathChange(PathChange.Kind.MOVED, Path.of("new" + (n - 1)), Path.of("old" + (n - 1)),
                    true);
            await(ch -> ch.contains(last));
            List<String> early = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                PathChange moved = new PathChange(PathChange.Kind.MOVED, Path.of("new" + i), Path.of("old" + i), true);
                PathChange written = PathChange.of(PathChange.Kind.MODIFIED, Path.of("new" + i + "/x"), false);
                int at = changes.indexOf(written);
                if (!changes.contains(moved) || (at >= 0 && at < changes.indexOf(moved))) {
                    early.add("new" + i);
                }
            }
            assertEquals(List.of(), early, "reported under the new name before the rename, or no rename");
        }
    }

    /** fanotify's queue merges the second write of f into the first one, ahead of the rename (seen on 6.18). */
    @ParameterizedTest
    @EnumSource(names = {"INOTIFY", "FANOTIFY"})
    void aNameWrittenAgainRightAfterItsRenameIsReportedAfterTheRename(WatchOptions.Backend backend,
                                                                       @TempDir Path root) throws Exception {
        try (TreeWatcher w = start(root, backend)) {
            Files.writeString(root.resolve("f"), "1");
            Files.move(root.resolve("f"), root.resolve("g"));
            Files.writeString(root.resolve("f"), "2");
            PathChange moved = new PathChange(PathChange.Kind.MOVED, Path.of("g"), Path.of("f"), false);
            PathChange written = PathChange.of(PathChange.Kind.MODIFIED, Path.of("f"), false);
            await(ch -> ch.contains(moved) && ch.lastIndexOf(written) > ch.indexOf(moved));
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"INOTIFY", "FANOTIFY"})
    void movedOutOfTheTreeIsADeletion(WatchOptions.Backend backend, @TempDir Path tmp) throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Files.createDirectories(root.resolve("d/e"));
        try (TreeWatcher w = start(root, backend)) {
            Files.move(root.resolve("d"), tmp.resolve("outside"));
            await(ch -> ch.contains(PathChange.of(PathChange.Kind.DELETED, Path.of("d"), true)));
            long end = System.nanoTime() + 5_000_000_000L;
            while (w.watchCount() != 1 && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            assertEquals(1, w.watchCount());
        }
    }

    /**
     * One mark sees one filesystem: with another mounted inside the tree, fanotify asked for by name falls back to
     * inotify with one warning, and auto does so silently.
     */
    @Test
    void anotherFilesystemInsideTheTreeFallsBackToInotify(@TempDir Path root) throws Exception {
        Backends.requireFanotify(root);
        Path inner = Files.createDirectories(root.resolve("inner"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "jrsync-test", inner.toString())
                .redirectErrorStream(true).start();
        String out = new String(mount.getInputStream().readAllBytes());
        org.junit.jupiter.api.Assumptions.assumeTrue(mount.waitFor() == 0, () -> "cannot mount a tmpfs: " + out);
        try {
            String warning = fallBackToInotify(root, Path.of("inner/f"));
            assertTrue(warning.contains("another filesystem is mounted at " + inner), warning);
            WatchOptions auto = WatchOptions.defaults().withBackend(WatchOptions.Backend.AUTO)
                    .withWarnings(m -> fail("auto warned: " + m));
            try (TreeWatcher w = TreeWatcher.start(root, auto, changes::addAll)) {
                assertEquals(WatchOptions.Backend.INOTIFY, w.backend());
            }
        } finally {
            new ProcessBuilder("umount", inner.toString()).inheritIO().start().waitFor();
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"INOTIFY", "FANOTIFY"})
    void aMissingRootIsAnErrorNamingIt(WatchOptions.Backend backend, @TempDir Path tmp) {
        Path missing = tmp.resolve("missing");
        WatchOptions options = Backends.options(backend, tmp);
        java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> TreeWatcher.start(missing, options, changes::addAll));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    /** Runs where the kernel refuses fanotify, e.g. {@code setpriv --bounding-set=-sys_admin} as root. */
    @Test
    void refusedFanotifyFallsBackToInotifyWithOneWarning(@TempDir Path root) throws Exception {
        try (dev.jrsync.watcher.fanotify.Fanotify permitted = dev.jrsync.watcher.fanotify.Fanotify.open(root)) {
            org.junit.jupiter.api.Assumptions.abort("fanotify is permitted here; this runs without CAP_SYS_ADMIN");
        } catch (dev.jrsync.watcher.inotify.ErrnoException refused) {
            // The case under test.
        }
        String warning = fallBackToInotify(root, Path.of("f"));
        assertTrue(warning.matches("fanotify cannot watch .*; watching with inotify instead"), warning);
    }

    /**
     * Starts a watcher asking for fanotify, checks it watches with inotify (a file written at {@code probe} is
     * reported) and returns the one warning it gave.
     */
    private String fallBackToInotify(Path root, Path probe) throws Exception {
        List<String> warnings = new CopyOnWriteArrayList<>();
        WatchOptions asked = WatchOptions.defaults().withBackend(WatchOptions.Backend.FANOTIFY)
                .withWarnings(warnings::add);
        try (TreeWatcher w = TreeWatcher.start(root, asked, changes::addAll)) {
            assertEquals(WatchOptions.Backend.INOTIFY, w.backend());
            Files.writeString(root.resolve(probe), "x");
            await(ch -> modified().contains(probe));
        }
        assertEquals(1, warnings.size(), warnings::toString);
        return warnings.getFirst();
    }

    @Test
    void autoPicksFanotifyWherePermitted(@TempDir Path root) throws Exception {
        Backends.requireFanotify(root);
        try (TreeWatcher w = TreeWatcher.start(root, Backends.options(WatchOptions.Backend.AUTO, root),
                changes::addAll)) {
            assertEquals(WatchOptions.Backend.FANOTIFY, w.backend());
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

    @ParameterizedTest
    @EnumSource(names = {"INOTIFY", "FANOTIFY"})
    void fileKeptOpenIsReportedWhileWritten(WatchOptions.Backend backend, @TempDir Path root) throws Exception {
        try (TreeWatcher w = start(root, backend);
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

    @ParameterizedTest
    @EnumSource(names = {"INOTIFY", "FANOTIFY"})
    void closeStopsTheReader(WatchOptions.Backend backend, @TempDir Path root) throws Exception {
        TreeWatcher w = TreeWatcher.start(root, Backends.options(backend, root)
                .withRescanInterval(Duration.ofSeconds(1)), changes::addAll);
        long t0 = System.nanoTime();
        w.close();
        assertTrue(System.nanoTime() - t0 < 2_000_000_000L);
        assertEquals(null, w.failure());
    }
}
