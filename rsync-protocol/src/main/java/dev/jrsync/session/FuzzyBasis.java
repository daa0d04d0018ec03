package dev.jrsync.session;

import dev.jrsync.core.PathBytes;
import dev.jrsync.flist.FileEntry;
import dev.jrsync.flist.SafeNames;
import dev.jrsync.fs.LocalStat;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code -y}: a basis for a file the destination does not have, found among its neighbours
 * ({@code rsync/generator.c:find_fuzzy}, with a simpler name distance).
 */
final class FuzzyBasis {
    private final int level;
    private final BasisDirs basisDirs;
    private final Destination dest;
    private final PathResolver resolver;
    /** A daemon's resolver for the destination's other files; null where {@link #resolver} serves. */
    private final PathResolver fuzzyResolver;

    FuzzyBasis(RecvContext ctx, BasisDirs basisDirs, PathResolver fuzzyResolver) {
        this.level = ctx.o().fuzzyLevel();
        this.basisDirs = basisDirs;
        this.dest = ctx.dest();
        this.resolver = ctx.paths().resolver();
        this.fuzzyResolver = fuzzyResolver;
    }

    /** A fuzzy basis: the file, and its basis type (FNAMECMP_FUZZY, plus 1 + j in basis directory j). */
    /** A basis found: {@code name} is its file-list name, below the basis directory {@code basisType} names. */
    record Fuzzy(Path path, int basisType, String name) {}

    /**
     * A similar file in the entry's directory (and with {@code -yy} in the same directory of each basis
     * directory): one with the same size and mtime anywhere first, else the closest name.
     */
    Fuzzy find(Path path, FileEntry e, byte[] own) {
        List<Path> dirs = new ArrayList<>();
        dirs.add(path.getParent());
        if (level > 1) {
            for (int j = 0; j < basisDirs.size(); j++) {
                try {
                    dirs.add(basisDirs.resolve(j, own).getParent());
                } catch (SafeNames.UnsafePathException ex) {
                    dirs.add(null);
                }
            }
        }
        String want = PathBytes.text(path.getFileName());
        String dirPrefix = parentPrefix(own);
        Fuzzy best = null;
        int bestDist = Integer.MAX_VALUE;
        for (int i = 0; i < dirs.size(); i++) {
            Path dir = dirs.get(i);
            if (dir == null) {
                continue;
            }
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path listed : ds) {
                    String name = PathBytes.text(listed.getFileName());
                    if (name.startsWith(".")) {
                        continue;
                    }
                    // Each candidate is resolved as a file-list name would be: confined, and never one the
                    // daemon's rules exclude (a basis's sums would let the client copy it out).
                    Path c;
                    if (i == 0 && dest.soloFile()) {
                        if (fuzzyResolver != null) {
                            break; // a daemon's lone file: names beside it are not resolved through the module
                        }
                        c = listed;
                    } else {
                        try {
                            byte[] rel = PathBytes.bytes(dirPrefix + name);
                            c = i == 0 ? (fuzzyResolver != null ? fuzzyResolver : resolver).resolve(dest.root(), rel)
                                    : basisDirs.resolve(i - 1, rel);
                        } catch (SafeNames.UnsafePathException ex) {
                            continue;
                        }
                    }
                    LocalStat st = DestPaths.lstat(c);
                    if (st == null || !st.isRegular() || st.size() == 0) {
                        continue;
                    }
                    if (st.size() == e.size() && st.mtimeSeconds() == e.mtime()) {
                        return new Fuzzy(c, ItemFlags.FNAMECMP_FUZZY + i, dirPrefix + name);
                    }
                    int d = distance(name, want);
                    if (d < bestDist) {
                        bestDist = d;
                        best = new Fuzzy(c, ItemFlags.FNAMECMP_FUZZY + i, dirPrefix + name);
                    }
                }
            } catch (IOException ex) {
                // an unreadable or missing directory offers nothing
            }
        }
        return best != null && bestDist <= Math.max(2, want.length() / 2) ? best : null;
    }

    /** The directory part of a file-list name with its trailing slash, or "" at the top. */
    private static String parentPrefix(byte[] name) {
        String n = PathBytes.text(name);
        int slash = n.lastIndexOf('/');
        return slash < 0 ? "" : n.substring(0, slash + 1);
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int c = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + c);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
