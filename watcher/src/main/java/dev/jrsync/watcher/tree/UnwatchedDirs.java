package dev.jrsync.watcher.tree;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Directories that got no watch (the kernel's watch limit was reached), with their last listing; each rescan
 * reports the difference as synthetic events, so the tree keeps being followed, only more slowly.
 */
final class UnwatchedDirs {
    private final Map<String, Map<String, DirEntry>> listings = new LinkedHashMap<>();

    void add(String dirPath, Map<String, DirEntry> listing) {
        listings.put(dirPath, listing);
    }

    boolean isEmpty() {
        return listings.isEmpty();
    }

    int size() {
        return listings.size();
    }

    boolean contains(String dirPath) {
        return listings.containsKey(dirPath);
    }

    List<String> paths() {
        return new ArrayList<>(listings.keySet());
    }

    void remove(String dirPath) {
        listings.remove(dirPath);
    }

    void removeSubtree(String dirPath) {
        listings.keySet().removeIf(p -> p.startsWith(dirPath));
    }

    void rename(String from, String to) {
        for (String p : paths()) {
            if (p.startsWith(from)) {
                listings.put(to + p.substring(from.length()), listings.remove(p));
            }
        }
    }

    /**
     * Lists {@code dirPath} again and returns what changed since the last listing; a directory that is gone is
     * dropped (its parent's rescan or watch reports the deletion).
     */
    List<TreeEvent> rescan(String dirPath) {
        Map<String, DirEntry> before = listings.get(dirPath);
        if (before == null) {
            return List.of();
        }
        try {
            Map<String, DirEntry> after = DirListing.list(dirPath);
            listings.put(dirPath, after);
            return SnapshotDiff.diff(dirPath, before, after);
        } catch (IOException gone) {
            listings.remove(dirPath);
            return List.of();
        }
    }
}
