package dev.jrsync.watcher.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jrsync.watcher.inotify.InotifyMask;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapshotDiffTest {
    private static DirEntry file(long size, long mtime, int mode) {
        return new DirEntry(false, true, size, mtime, mtime, mode);
    }

    @Test
    void reportsWhatInotifyWouldHave() {
        DirEntry dir = new DirEntry(true, false, 4096, 1, 1, 040755);
        Map<String, DirEntry> before = Map.of("kept", file(1, 1, 0644), "grown", file(1, 1, 0644),
                "chmod", file(1, 1, 0644), "gone", file(1, 1, 0644));
        Map<String, DirEntry> after = Map.of("kept", file(1, 1, 0644), "grown", file(2, 5, 0644),
                "chmod", new DirEntry(false, true, 1, 1, 9, 0600), "new", dir);
        assertEquals(List.of(new TreeEvent(InotifyMask.ATTRIB, 0, "d/", "chmod", true),
                new TreeEvent(InotifyMask.DELETE, 0, "d/", "gone", true),
                new TreeEvent(InotifyMask.CLOSE_WRITE, 0, "d/", "grown", true),
                new TreeEvent(InotifyMask.CREATE | InotifyMask.ISDIR, 0, "d/", "new", true)),
                SnapshotDiff.diff("d/", before, after));
    }
}
