package dev.jrsync.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jrsync.watcher.PathChange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchPlanTest {
    @TempDir
    Path root;

    private BatchPlan plan(PathChange... changes) throws InterruptedException {
        ChangeQueue q = new ChangeQueue(100);
        q.accept(List.of(changes), System.nanoTime() - 1_000_000_000L);
        return BatchPlan.of(root, q.awaitBatch(0, 0, 0).paths());
    }

    @Test
    void eachChangeGoesToTheTransferThatCarriesItCheapest() throws Exception {
        Files.createDirectories(root.resolve("d/new-dir/sub"));
        Files.writeString(root.resolve("d/new-dir/sub/f"), "x");
        Files.writeString(root.resolve("d/renamed"), "r");
        Files.createDirectories(root.resolve("e"));
        Files.writeString(root.resolve("e/moved"), "m");
        Files.writeString(root.resolve("d/edited"), "eee");
        Files.writeString(root.resolve("d/chmodded"), "c");
        Files.createDirectories(root.resolve("moved-dir"));
        BatchPlan p = plan(
                PathChange.of(PathChange.Kind.CREATED, Path.of("d/new-dir"), true),
                PathChange.of(PathChange.Kind.MODIFIED, Path.of("d/new-dir/sub/f"), false),
                new PathChange(PathChange.Kind.MOVED, Path.of("d/renamed"), Path.of("d/old-name"), false),
                new PathChange(PathChange.Kind.MOVED, Path.of("e/moved"), Path.of("d/moved"), false),
                new PathChange(PathChange.Kind.MOVED, Path.of("moved-dir"), Path.of("d/was-dir"), true),
                PathChange.of(PathChange.Kind.MODIFIED, Path.of("d/edited"), false),
                PathChange.of(PathChange.Kind.ATTRIBUTES, Path.of("d/chmodded"), false),
                PathChange.of(PathChange.Kind.DELETED, Path.of("gone/deep/file"), false));
        assertEquals(List.of("d/renamed"), p.renames());
        assertEquals(List.of(new BatchPlan.Move("e/moved", "d/moved", false),
                new BatchPlan.Move("moved-dir", "d/was-dir", true)), p.moves());
        assertEquals(List.of("d/edited", "d/new-dir"), p.content());
        assertEquals(List.of("d/chmodded"), p.attrs());
        // Old names go with a pass over their directory; a vanished tree with its closest surviving parent.
        assertEquals(Set.of("", "d"), p.deleteDirs());
        assertEquals(1 + 1 + 3, p.changedBytes());
    }
}
