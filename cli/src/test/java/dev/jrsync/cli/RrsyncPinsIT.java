package dev.jrsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.testing.ProcessResult;
import dev.jrsync.testing.StockClient;
import dev.jrsync.testing.StockRsync;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stock client pushing to {@code jrsync --server} started the way rrsync starts it: a directory an option names
 * is opened by the wrapper and handed over as {@code /proc/self/fd/N}, so that the transfer cannot swap the name
 * for a symlink out of the tree. The server has to use the very directory held open, even once its name is gone.
 */
class RrsyncPinsIT {
    private static final Path LAUNCHER = Path.of("..", "bin", "jrsync").toAbsolutePath().normalize();
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    /**
     * A remote shell for "localhost" that runs the command in {@code root} with {@code dir} held open on fd 5 and
     * every "PIN" in it spelled /proc/self/fd/5; with {@code unlink} the directory is removed first, as rrsync
     * stands in an empty nameless directory for a missing basis directory.
     */
    private static Path pinningShell(Path tmp, Path root, String dir, boolean unlink) throws IOException {
        Path script = tmp.resolve("pinsh");
        Files.writeString(script, "#!/bin/bash\n"
                + "[ \"$1\" = localhost ] || exit 255\nshift\n"
                + "cd '" + root + "' || exit 255\n"
                + "mkdir -p '" + dir + "' && exec 5<'" + dir + "' || exit 255\n"
                + (unlink ? "rmdir '" + dir + "' || exit 255\n" : "")
                + "exec sh -c \"${*//PIN//proc/self/fd/5}\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private static ProcessResult push(StockRsync rsync, Path shell, String... args) {
        List<String> all = Stream.concat(Stream.of("-e", shell.toString(), "--rsync-path=" + LAUNCHER),
                Stream.of(args)).toList();
        return StockClient.of(rsync).timeout(TIMEOUT).run(all);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void aPinnedBackupDirReplacedBySymlinkFailsTheBackupInsteadOfFollowingIt(StockRsync rsync, @TempDir Path tmp)
            throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path root = Files.createDirectories(tmp.resolve("restricted"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("keys"), "ADMIN\n");
        Files.writeString(root.resolve("keys"), "OLD\n");
        Files.writeString(src.resolve("keys"), "NEW-CONTENT\n");
        Files.createSymbolicLink(src.resolve("a"), Path.of("../outside"));
        Path shell = pinningShell(tmp, root, "a", false);

        // "a" is the pinned backup dir; the transfer replaces it with a symlink out of the tree, then backs up "keys"
        ProcessResult r = push(rsync, shell, "-rlbI", "--backup-dir=PIN", src + "/", "localhost:.");
        assertEquals(11, r.exitCode(), r::transcript);
        assertTrue(r.stderr().contains("keep_backup failed") && r.stderr().contains("/proc/self/fd/5/keys"),
                r::transcript);
        assertEquals("ADMIN\n", Files.readString(outside.resolve("keys")), "nothing written outside the tree");
        assertEquals("../outside", Files.readSymbolicLink(root.resolve("a")).toString());
        assertEquals("OLD\n", Files.readString(root.resolve("keys")), "nothing replaced unsaved");
        try (Stream<Path> left = Files.list(root)) {
            assertEquals(List.of("a", "keys"), left.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no directory made after the pin's name, no temp file left");
        }

        // a pinned backup dir that stays is used
        Files.delete(root.resolve("a"));
        Files.delete(src.resolve("a"));
        push(rsync, pinningShell(tmp, root, "bak", false), "-rlbI", "--backup-dir=PIN", src + "/", "localhost:.")
                .assertSuccess();
        assertEquals("OLD\n", Files.readString(root.resolve("bak/keys")));
        assertEquals("NEW-CONTENT\n", Files.readString(root.resolve("keys")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void aPinnedRemovedBasisDirIsAnEmptyBasis(StockRsync rsync, @TempDir Path tmp) throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path root = Files.createDirectories(tmp.resolve("restricted"));
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        // same size and time: a basis the quick check would take
        FileTime t = FileTime.fromMillis(1_234_567_890_000L);
        Files.setLastModifiedTime(Files.writeString(outside.resolve("f0"), "ADMIN-SECRET\n"), t);
        Files.setLastModifiedTime(Files.writeString(src.resolve("f0"), "CLIENT-DATA0\n"), t);
        Files.createSymbolicLink(src.resolve("basis"), Path.of("../outside"));
        Path shell = pinningShell(tmp, root, ".empty-basis", true);

        for (String option : new String[] {"--copy-dest=PIN", "--compare-dest=PIN", "--link-dest=PIN"}) {
            ProcessResult r = push(rsync, shell, "-rlt", option, src + "/", "localhost:.").assertSuccess();
            assertFalse(r.stderr().contains("arg does not exist"), r::transcript);
            assertEquals("CLIENT-DATA0\n", Files.readString(root.resolve("f0")), option);
            assertTrue(Files.isSymbolicLink(root.resolve("basis")), option);
            assertFalse(Files.exists(root.resolve(".empty-basis")), option);
            Files.delete(root.resolve("f0"));
        }
    }
}
