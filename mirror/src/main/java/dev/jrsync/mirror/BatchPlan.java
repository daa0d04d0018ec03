package dev.jrsync.mirror;

import dev.jrsync.core.PathBytes;
import dev.jrsync.fs.LocalStat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What one settled batch asks of the target, decided from the source as it is now (the events only say which
 * paths to look at):
 *
 * @param renames    files renamed within their directory: sent with the old name as fuzzy basis
 * @param moves      files moved to another directory and moved directories: sent with the old place as basis
 * @param content    files whose data changed, and new directories (sent whole): transferred even when size and
 *                   mtime look unchanged
 * @param attrs      paths whose metadata alone changed (chmod, touch): the quick check decides
 * @param deleteDirs directories in which something disappeared: each gets a one-level --delete pass
 * @param changedBytes the size of the files renamed, moved or changed (moved or new directories not counted),
 *                     for the status line
 * @param movedIntoNew moves whose new place lies in a new directory: the new directory's transfer leaves them to
 *                     their moves, so that what moved into a directory made just before is not sent again
 */
record BatchPlan(List<String> renames, List<Move> moves, List<String> content, List<String> attrs,
                 SortedSet<String> deleteDirs, long changedBytes, List<String> movedIntoNew) {

    /** A file or directory now at {@code to} that was at {@code from}. */
    record Move(String to, String from, boolean directory) {}

    /** A moved file smaller than this is sent again rather than given a transfer of its own. */
    static final long MIN_PAIRED_MOVE = 64 * 1024;
    /** How many entries of new directories are looked through for files that moved into them. */
    private static final int MAX_PAIRING_WALK = 10_000;

    /**
     * @param before the tree as last synced: a file gone from it that reappears, the same size and mtime, in a new
     *               directory moved there (the watcher cannot pair a move into a directory made just before, which
     *               had no watch yet: it sees the new directory, and the old name's disappearance only later)
     */
    static BatchPlan of(Path root, Map<String, ChangeQueue.Pending> batch, TreeSnapshot before) {
        SortedSet<String> trees = new TreeSet<>();
        List<String> renames = new ArrayList<>();
        List<Move> moves = new ArrayList<>();
        List<String> content = new ArrayList<>();
        List<String> attrs = new ArrayList<>();
        SortedSet<String> deleteDirs = new TreeSet<>();
        Map<String, Long> sizes = new HashMap<>();
        for (Map.Entry<String, ChangeQueue.Pending> e : batch.entrySet()) {
            String path = e.getKey();
            ChangeQueue.Pending p = e.getValue();
            LocalStat st;
            try {
                st = LocalStat.of(root.resolve(PathBytes.path(path)));
            } catch (IOException gone) {
                deleteDirs.add(existingParent(root, path));
                continue;
            }
            boolean dataChanged = (p.flags & (ChangeQueue.CONTENT | ChangeQueue.GONE)) != 0;
            if (st.isDirectory()) {
                if (p.from != null && (p.flags & ~ChangeQueue.ATTRS) == ChangeQueue.TREE) {
                    moves.add(new Move(path, p.from, true));
                } else if ((p.flags & ~ChangeQueue.ATTRS) != 0) {
                    trees.add(path);
                } else {
                    attrs.add(path);
                }
            } else if ((p.flags & ChangeQueue.RENAMED) != 0 && !dataChanged && sameParent(path, p.from)) {
                renames.add(path);
                sizes.put(path, st.size());
            } else if ((p.flags & ChangeQueue.RENAMED) != 0 && !dataChanged && p.from != null) {
                moves.add(new Move(path, p.from, false));
                sizes.put(path, st.size());
            } else if (dataChanged || (p.flags & ChangeQueue.RENAMED) != 0) {
                content.add(path);
                sizes.put(path, st.size());
            } else {
                attrs.add(path);
            }
        }
        pairMovesInto(root, trees, before, moves, sizes);
        content.addAll(trees);
        // A new directory is sent with everything in it: paths below it need no entry of their own.
        content.removeIf(path -> under(trees, path));
        attrs.removeIf(path -> under(trees, path) || trees.contains(path));
        renames.removeIf(path -> under(trees, path));
        moves.sort(Comparator.comparing(Move::to));
        List<String> movedIntoNew = moves.stream().map(Move::to).filter(to -> under(trees, to)).toList();
        long bytes = 0;
        for (String path : content) {
            bytes += sizes.getOrDefault(path, 0L);
        }
        for (String path : renames) {
            bytes += sizes.get(path);
        }
        for (Move m : moves) {
            bytes += sizes.getOrDefault(m.to(), 0L);
        }
        return new BatchPlan(sorted(renames), List.copyOf(moves), sorted(content), sorted(attrs), deleteDirs, bytes,
                movedIntoNew);
    }

    /**
     * Files in new directories that are files gone from elsewhere in the tree: each becomes a {@link Move}. Only
     * files of {@link #MIN_PAIRED_MOVE} or more, each of which is worth a transfer of its own.
     */
    private static void pairMovesInto(Path root, SortedSet<String> trees, TreeSnapshot before, List<Move> moves,
                                      Map<String, Long> sizes) {
        Map<TreeSnapshot.FileStamp, List<String>> candidates = new HashMap<>();
        int seen = 0;
        for (String tree : trees) {
            if (seen > MAX_PAIRING_WALK) {
                break;
            }
            try (Stream<Path> walk = Files.walk(root.resolve(PathBytes.path(tree)))) {
                for (Path f : (Iterable<Path>) walk::iterator) {
                    if (++seen > MAX_PAIRING_WALK) {
                        break;
                    }
                    LocalStat st;
                    try {
                        st = LocalStat.of(f);
                    } catch (IOException vanished) {
                        continue;
                    }
                    if (st.isRegular() && st.size() >= MIN_PAIRED_MOVE) {
                        candidates.computeIfAbsent(TreeSnapshot.FileStamp.of(st), k -> new ArrayList<>())
                                .add(PathBytes.text(root.relativize(f)));
                    }
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                // the directory went away meanwhile: its transfer reports what is there
            }
        }
        if (candidates.isEmpty()) {
            return;
        }
        before.goneWith(candidates.keySet()).forEach((stamp, gone) -> {
            for (String to : candidates.get(stamp)) {
                if (gone.isEmpty()) {
                    break;
                }
                moves.add(new Move(to, gone.poll(), false));
                sizes.put(to, stamp.size());
            }
        });
    }

    boolean isEmpty() {
        return renames.isEmpty() && moves.isEmpty() && content.isEmpty() && attrs.isEmpty() && deleteDirs.isEmpty();
    }

    private static boolean under(SortedSet<String> trees, String path) {
        for (int slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
            if (trees.contains(path.substring(0, slash))) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameParent(String a, String b) {
        return b != null && parent(a).equals(parent(b));
    }

    static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    /** The closest directory above {@code path} that still exists in the source ("" is the root). */
    private static String existingParent(Path root, String path) {
        String dir = parent(path);
        while (!dir.isEmpty() && !Files.isDirectory(root.resolve(PathBytes.path(dir)), LinkOption.NOFOLLOW_LINKS)) {
            dir = parent(dir);
        }
        return dir;
    }

    private static List<String> sorted(List<String> paths) {
        return List.copyOf(new TreeSet<>(paths));
    }
}
