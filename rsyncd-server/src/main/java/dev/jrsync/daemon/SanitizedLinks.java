package dev.jrsync.daemon;

import dev.jrsync.flist.FileEntry;
import java.util.Arrays;

/**
 * A received symlink's target as a daemon that is not chrooted into its module stores it, unless it munges
 * symlinks ({@code rsync/flist.c:recv_file_entry} with {@code sanitize_paths}, through {@code
 * rsync/util1.c:sanitize_path}): leading slashes and "." components dropped, and no more ".." kept than the
 * link's own directory is deep, so the target stays in the module by its text.
 */
final class SanitizedLinks {
    private SanitizedLinks() {}

    /** The entry to store for a received one: a symlink's target cleaned, everything else unchanged. */
    static FileEntry of(FileEntry e) {
        byte[] target = e.linkTarget();
        if (!e.isSymlink() || target == null || target.length == 0) {
            return e;
        }
        byte[] clean = sanitize(target, depthOf(e.name()));
        return Arrays.equals(clean, target) ? e : SymlinkMunging.withTarget(e, clean);
    }

    // rsync/flist.c's lastdir_depth: the elements of the directory the entry is in
    private static int depthOf(byte[] name) {
        int depth = 0;
        for (byte b : name) {
            if (b == '/') {
                depth++;
            }
        }
        return depth;
    }

    /** rsync/util1.c:sanitize_path(p, p, "", depth, SP_DEFAULT): "." when nothing is left. */
    static byte[] sanitize(byte[] p, int depth) {
        byte[] buf = new byte[p.length + 1];
        int len = 0;
        int start = 0; // the ".." kept so far lie before it, and are never taken back
        int i = 0;
        while (i < p.length) {
            if (p[i] == '/') {
                i++;
                continue;
            }
            int end = i;
            while (end < p.length && p[end] != '/') {
                end++;
            }
            int n = end - i;
            if (n == 1 && p[i] == '.') {
                i = end;
                continue;
            }
            if (n == 2 && p[i] == '.' && p[i + 1] == '.') {
                if (depth <= 0 || len != start) {
                    // one component back, if there is one after the kept ".."s; else dropped
                    if (len != start) {
                        len--; // the slash after the last component
                        while (len > start && buf[len - 1] != '/') {
                            len--;
                        }
                    }
                    i = end;
                    continue;
                }
                depth--;
                buf[len++] = '.';
                buf[len++] = '.';
                if (end < p.length) {
                    buf[len++] = '/';
                }
                start = len;
                i = end;
                continue;
            }
            System.arraycopy(p, i, buf, len, n);
            len += n;
            if (end < p.length) {
                buf[len++] = '/';
            }
            i = end;
        }
        if (len == 0) {
            return new byte[] {'.'};
        }
        return Arrays.copyOf(buf, len);
    }
}
