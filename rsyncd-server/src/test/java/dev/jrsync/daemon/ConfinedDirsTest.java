package dev.jrsync.daemon;

import dev.jrsync.fs.BeneathOpener;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.flist.SafeNames;
import dev.jrsync.fs.Posix;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Both ways of opening beneath the module: openat2 and the per-component openat fallback. */
class ConfinedDirsTest {
    @TempDir
    Path tmp;

    private Path module() throws IOException {
        Path m = Files.createDirectories(tmp.resolve("module/sub/deeper"));
        Files.createDirectories(tmp.resolve("outside"));
        Files.createSymbolicLink(tmp.resolve("module/evil"), tmp.resolve("outside"));
        return tmp.resolve("module").toRealPath();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void assertOutsideEmpty() throws IOException {
        try (Stream<Path> s = Files.list(tmp.resolve("outside"))) {
            assertEquals(0, s.count(), "something reached the outside directory");
        }
    }

    /**
     * rsync's suite, sender-readlink-atfd: a source the daemon's sender pinned, whose directory is then swapped for
     * a symlink out of the module, is still read in the directory that was pinned: the link's own target and the
     * directory's own names, not the outside ones. A source through a symlink out of the module is refused.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aSourceIsReadInTheDirectoryPinnedForIt(boolean openat2) throws IOException {
        Path m = module();
        Files.createSymbolicLink(m.resolve("sub/link"), Path.of("inside-target"));
        Files.createSymbolicLink(tmp.resolve("outside/link"), Path.of("OUTSIDE-TARGET"));
        try (ConfinedDirs dirs = new ConfinedDirs(new BeneathOpener(openat2, true), m, "")) {
            Path link = dirs.source(b("sub/link"), false);
            Path sub = dirs.source(b("sub"), true);
            Files.move(m.resolve("sub"), m.resolve(".real"));
            Files.createSymbolicLink(m.resolve("sub"), tmp.resolve("outside"));

            assertEquals("inside-target", new String(Posix.readlink(link), StandardCharsets.UTF_8));
            try (Stream<Path> names = Files.list(sub)) {
                assertEquals(List.of("deeper", "link"), names.map(p -> p.getFileName().toString()).sorted().toList());
            }
            BeneathOpener.OpenFailure e = assertThrows(BeneathOpener.OpenFailure.class,
                    () -> dirs.source(b("evil/link"), false));
            assertFalse(e.missing());
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void writesLandBeneathTheModule(boolean openat2) throws IOException {
        Path m = module();
        try (ConfinedDirs dirs = new ConfinedDirs(new BeneathOpener(openat2), m, "")) {
            Files.writeString(dirs.resolve(m, b("sub/deeper/f")), "x");
            Files.writeString(dirs.resolve(m, b("top")), "y");
        }
        assertEquals("x", Files.readString(m.resolve("sub/deeper/f")));
        assertEquals("y", Files.readString(m.resolve("top")));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void unsafeNamesAndSymlinkParentsAreRefused(boolean openat2) throws IOException {
        Path m = module();
        try (ConfinedDirs dirs = new ConfinedDirs(new BeneathOpener(openat2), m, "")) {
            for (String bad : new String[] {"../outside/x", "/tmp/x", "sub/../../outside/x", "evil/x", "evil/a/b"}) {
                assertThrows(SafeNames.UnsafePathException.class, () -> dirs.resolve(m, b(bad)), bad);
            }
        }
        assertOutsideEmpty();
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aParentSwappedForASymlinkAfterResolvingIsNotFollowed(boolean openat2) throws IOException {
        Path m = module();
        try (ConfinedDirs dirs = new ConfinedDirs(new BeneathOpener(openat2), m, "")) {
            Path target = dirs.resolve(m, b("sub/deeper/f"));
            Files.move(m.resolve("sub"), m.resolve("sub.moved"));
            Files.createSymbolicLink(m.resolve("sub"), tmp.resolve("outside"));
            Files.createDirectories(tmp.resolve("outside/deeper"));
            Files.writeString(target, "x");
            assertTrue(Files.exists(m.resolve("sub.moved/deeper/f")), "the write follows the pinned directory");
            Files.writeString(dirs.resolve(m, b("sub/deeper/g")), "y");
            assertTrue(Files.exists(m.resolve("sub.moved/deeper/g")), "the session keeps its pinned directory");
        }
        try (ConfinedDirs fresh = new ConfinedDirs(new BeneathOpener(openat2), m, "")) {
            assertThrows(SafeNames.UnsafePathException.class, () -> fresh.resolve(m, b("sub/deeper/h")));
        }
        assertFalse(Files.exists(tmp.resolve("outside/deeper/f")));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void destinationsThroughSymlinksAreRefused(boolean openat2) throws IOException, ModulePaths.Refused {
        Path m = module();
        BeneathOpener opener = new BeneathOpener(openat2);
        assertThrows(ModulePaths.Refused.class, () -> ConfinedDirs.checkDestination(opener, m, "evil"));
        assertThrows(ModulePaths.Refused.class, () -> ConfinedDirs.checkDestination(opener, m, "evil/new"));
        assertThrows(ModulePaths.Refused.class, () -> ConfinedDirs.checkDestination(opener, m, "../outside"));
        ConfinedDirs.checkDestination(opener, m, "sub/new/newer");
        ConfinedDirs.checkDestination(opener, m, "sub/deeper");
        try (ConfinedDirs dirs = new ConfinedDirs(opener, m, "sub")) {
            Files.writeString(dirs.resolve(m.resolve("sub"), b("deeper/f")), "x");
        }
        assertTrue(Files.exists(m.resolve("sub/deeper/f")));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void missingParentsGiveAPathNothingCanBeWrittenTo(boolean openat2) throws IOException {
        Path m = module();
        try (ConfinedDirs dirs = new ConfinedDirs(new BeneathOpener(openat2), m, "")) {
            Path p = dirs.resolve(m, b("nothere/f"));
            assertFalse(Files.exists(p));
            assertThrows(IOException.class, () -> Files.writeString(p, "x"));
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void openDirectoriesStayBounded(boolean openat2) throws IOException {
        Path m = module();
        long before = openFds();
        try (ConfinedDirs dirs = new ConfinedDirs(new BeneathOpener(openat2), m, "")) {
            for (int i = 0; i < ConfinedDirs.MAX_OPEN + 200; i++) {
                Files.createDirectories(m.resolve("many/d" + i));
                dirs.resolve(m, b("many/d" + i + "/f"));
            }
            assertTrue(openFds() - before <= ConfinedDirs.MAX_OPEN + 2, "open: " + (openFds() - before));
        }
        assertTrue(openFds() - before <= 2, "left open: " + (openFds() - before));
    }

    private static long openFds() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }
}
