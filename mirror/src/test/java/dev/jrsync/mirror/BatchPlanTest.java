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
        return plan(TreeSnapshot.of(root), changes);
    }

    private BatchPlan plan(TreeSnapshot before, PathChange... changes) throws InterruptedException {
        ChangeQueue q = new ChangeQueue(100);
        q.accept(List.of(changes), System.nanoTime() - 1_000_000_000L);
        return BatchPlan.of(root, q.awaitBatch(0, 0, 0).paths(), before);
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

    /** Issue 14's regression: a file moved into a directory made just before goes as a move, not with the tree. */
    @Test
    void aMoveIntoANewDirectoryStaysAMove() throws Exception {
        Files.createDirectories(root.resolve("bigdir"));
        Files.writeString(root.resolve("bigdir/moved.bin"), "8 MiB, say");
        Files.writeString(root.resolve("bigdir/new.txt"), "new");
        BatchPlan p = plan(
                PathChange.of(PathChange.Kind.CREATED, Path.of("bigdir"), true),
                new PathChange(PathChange.Kind.MOVED, Path.of("bigdir/moved.bin"), Path.of("big.bin"), false),
                PathChange.of(PathChange.Kind.CREATED, Path.of("bigdir/new.txt"), false));
        assertEquals(List.of(new BatchPlan.Move("bigdir/moved.bin", "big.bin", false)), p.moves());
        assertEquals(List.of("bigdir"), p.content());
        assertEquals(List.of("bigdir/moved.bin"), p.movedIntoNew());
    }

    /**
     * A move into a directory made just before reaches the watcher as a new directory and, later, a deletion (the
     * new directory had no watch yet): a file of the new directory with a gone file's size and mtime is that file.
     */
    @Test
    void aGoneFileFoundInANewDirectoryIsAMove() throws Exception {
        Files.write(root.resolve("big.bin"), new byte[(int) BatchPlan.MIN_PAIRED_MOVE]);
        Files.writeString(root.resolve("small.txt"), "small");
        TreeSnapshot before = TreeSnapshot.of(root);
        Files.createDirectories(root.resolve("bigdir/deeper"));
        Files.move(root.resolve("big.bin"), root.resolve("bigdir/deeper/moved.bin"));
        Files.move(root.resolve("small.txt"), root.resolve("bigdir/small.txt"));
        // the old names' deletions may come in a later batch: the snapshot tells that they are gone
        BatchPlan p = plan(before, PathChange.of(PathChange.Kind.CREATED, Path.of("bigdir"), true));
        assertEquals(List.of(new BatchPlan.Move("bigdir/deeper/moved.bin", "big.bin", false)), p.moves(),
                "a small file is cheaper sent again than given a transfer of its own");
        assertEquals(List.of("bigdir/deeper/moved.bin"), p.movedIntoNew());
        assertEquals(List.of("bigdir"), p.content());
    }
}
