package dev.jrsync.watcher.tree;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Watch descriptors and the paths they stand for, both ways; renames rewrite a whole subtree's paths. */
final class WatchMap {
    private final Map<Integer, String> pathByWd = new HashMap<>();
    private final Map<String, Integer> wdByPath = new HashMap<>();

    void put(int wd, String path) {
        String old = pathByWd.put(wd, path);
        if (old != null && !old.equals(path)) {
            wdByPath.remove(old);
        }
        wdByPath.put(path, wd);
    }

    String path(int wd) {
        return pathByWd.get(wd);
    }

    Integer wd(String path) {
        return wdByPath.get(path);
    }

    int size() {
        return pathByWd.size();
    }

    void remove(int wd) {
        String path = pathByWd.remove(wd);
        if (path != null) {
            wdByPath.remove(path);
        }
    }

    /** Every watch at or below {@code dirPath} (which ends in '/'). */
    List<Integer> subtree(String dirPath) {
        List<Integer> wds = new ArrayList<>();
        for (Map.Entry<Integer, String> e : pathByWd.entrySet()) {
            if (e.getValue().startsWith(dirPath)) {
                wds.add(e.getKey());
            }
        }
        return wds;
    }

    /** Re-roots every watch at or below {@code from} under {@code to}; both end in '/'. */
    void rename(String from, String to) {
        for (int wd : subtree(from)) {
            put(wd, to + pathByWd.get(wd).substring(from.length()));
        }
    }
}
