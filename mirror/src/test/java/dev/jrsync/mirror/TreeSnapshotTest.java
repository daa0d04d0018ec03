package dev.jrsync.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jrsync.watcher.PathChange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Collectors;
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
}
