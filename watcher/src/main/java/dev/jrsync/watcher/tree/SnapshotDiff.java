package dev.jrsync.watcher.tree;

import dev.jrsync.watcher.inotify.InotifyMask;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Turns two listings of one unwatched directory into the events inotify would have sent: CREATE (and
 * CLOSE_WRITE for a file), DELETE, CLOSE_WRITE for new contents, ATTRIB for a changed mode or ctime alone.
 */
final class SnapshotDiff {
    private SnapshotDiff() {}

    static List<TreeEvent> diff(String dirPath, Map<String, DirEntry> before, Map<String, DirEntry> after) {
        List<TreeEvent> out = new ArrayList<>();
        TreeSet<String> names = new TreeSet<>(before.keySet());
        names.addAll(after.keySet());
        for (String name : names) {
            DirEntry was = before.get(name);
            DirEntry now = after.get(name);
            if (was != null && now != null && was.directory() != now.directory()) {
                out.add(event(InotifyMask.DELETE, dirPath, name, was));
                was = null;
            }
            if (was == null) {
                out.add(event(InotifyMask.CREATE, dirPath, name, now));
                if (now.regular()) {
                    out.add(event(InotifyMask.CLOSE_WRITE, dirPath, name, now));
                }
            } else if (now == null) {
                out.add(event(InotifyMask.DELETE, dirPath, name, was));
            } else if (now.regular() && was.contentDiffers(now)) {
                out.add(event(InotifyMask.CLOSE_WRITE, dirPath, name, now));
            } else if (was.attributesDiffer(now)) {
                out.add(event(InotifyMask.ATTRIB, dirPath, name, now));
            }
        }
        return out;
    }

    private static TreeEvent event(int mask, String dirPath, String name, DirEntry entry) {
        return new TreeEvent(mask | (entry.directory() ? InotifyMask.ISDIR : 0), 0, dirPath, name, true);
    }
}
