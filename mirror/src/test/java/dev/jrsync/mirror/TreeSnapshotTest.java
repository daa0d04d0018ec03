package dev.jrsync.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jrsync.watcher.PathChange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeSnapshotTest {
    @TempDir
    Path root;

    @Test
    void aRescanReportsOnlyWhatDiffersFromTheLastSyncedState() throws Exception {
        Files.createDirectories(root.resolve("a/b"));
        Files.writeString(root.resolve("a/b/same"), "same");
        Files.writeString(root.resolve("a/edited"), "one");
        Files.writeString(root.resolve("a/chmodded"), "c");
        Files.writeString(root.resolve("gone"), "g");
        TreeSnapshot s = TreeSnapshot.of(root);

        Files.writeString(root.resolve("a/edited"), "two!");
        Files.setPosixFilePermissions(root.resolve("a/chmodded"), PosixFilePermissions.fromString("rwx------"));
        Files.delete(root.resolve("gone"));
        Files.createDirectories(root.resolve("new"));
        // Directory mtimes moved with the edits above; pin them so only the listed entries differ.
        for (String dir : new String[] {"a", "new"}) {
            Files.setLastModifiedTime(root.resolve(dir), FileTime.fromMillis(0));
        }
        s.refresh("a", false);
        Set<String> changes = s.diff().stream().map(c -> c.kind() + " " + c.path()).collect(Collectors.toSet());
        assertEquals(Set.of("MODIFIED a/edited", "ATTRIBUTES a/chmodded", "DELETED gone", "CREATED new"), changes);

        s.refresh("new", true);
        s.refresh("gone", false);
        s.refresh("a/edited", false);
        s.refresh("a/chmodded", false);
        assertEquals(java.util.List.<PathChange>of(), s.diff());
    }

    /**
     * Directories compared one at a time: names that sort between a directory and its contents ("a-b", "a.b"
     * before "a/x"), a directory replaced by a file and a file by a directory, a directory removed with all it held.
     */
    @Test
    void theComparisonFindsEveryDeletionBesideAndBelowReplacedDirectories() throws Exception {
        for (String dir : new String[] {"a/x", "a-b", "a.b", "gone/deep/er", "was-dir/sub", "a0"}) {
            Files.createDirectories(root.resolve(dir));
        }
        Files.writeString(root.resolve("a/x/f"), "f");
        Files.writeString(root.resolve("gone/deep/er/f"), "f");
        Files.writeString(root.resolve("was-dir/sub/f"), "f");
        Files.writeString(root.resolve("was-file"), "f");
        TreeSnapshot s = TreeSnapshot.of(root);

        Files.delete(root.resolve("a-b"));
        Files.delete(root.resolve("a/x/f"));
        removeTree(root.resolve("gone"));
        removeTree(root.resolve("was-dir"));
        Files.writeString(root.resolve("was-dir"), "now a file");
        Files.delete(root.resolve("was-file"));
        Files.createDirectories(root.resolve("was-file/in"));
        Files.setLastModifiedTime(root.resolve("a/x"), FileTime.fromMillis(0));
        s.refresh("a/x", false);
        Set<String> changes = s.diff().stream().map(c -> c.kind() + " " + c.path()).collect(Collectors.toSet());
        assertEquals(Set.of("DELETED a-b", "DELETED a/x/f", "DELETED gone", "DELETED gone/deep", "DELETED gone/deep/er",
                "DELETED gone/deep/er/f", "DELETED was-dir/sub", "DELETED was-dir/sub/f", "CREATED was-dir",
                "CREATED was-file", "CREATED was-file/in"), changes);
    }

    private static void removeTree(Path top) throws IOException {
        try (Stream<Path> walk = Files.walk(top)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
