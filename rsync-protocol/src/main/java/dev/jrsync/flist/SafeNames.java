package dev.jrsync.flist;

import dev.jrsync.core.Escaped;
import dev.jrsync.core.PathBytes;
import dev.jrsync.wire.ProtocolException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The shape every received file-list name must have (rsync/flist.c:recv_file_entry with
 * rsync/util1.c:clean_fname and CFN_REFUSE_DOT_DOT_DIRS). Where rsync cleans up odd names we
 * refuse them: a stock sender only sends clean ones.
 */
public final class SafeNames {
    private SafeNames() {}

    /**
     * {@code .} alone (the transfer root), or '/'-separated components that are neither empty
     * (so no leading, trailing or doubled '/') nor {@code .} nor {@code ..}, and no NUL byte.
     */
    public static boolean isSafeRelative(byte[] name) {
        return isSafeRelative(name, name.length);
    }

    /** {@link #isSafeRelative(byte[])} of the first {@code length} bytes of {@code name}. */
    static boolean isSafeRelative(byte[] name, int length) {
        if (length == 1 && name[0] == '.') {
            return true;
        }
        int start = 0;
        for (int i = 0; i <= length; i++) {
            if (i < length && name[i] == 0) {
                return false;
            }
            if (i == length || name[i] == '/') {
                int len = i - start;
                if (len == 0
                        || (len == 1 && name[start] == '.')
                        || (len == 2 && name[start] == '.' && name[start + 1] == '.')) {
                    return false;
                }
                start = i + 1;
            }
        }
        return true;
    }

    /**
     * A name the local side refuses to touch: unsafe in shape, or reached through something that is not
     * a real directory (a symlink planted in the destination, a file where a directory should be).
     */
    public static final class UnsafePathException extends IOException {
        public UnsafePathException(String message) {
            super(message);
        }
    }

    /**
     * The local path of file-list name {@code name} under {@code root}, after checking the name's shape
     * and that every parent component below {@code root} is a real directory or absent; nothing is
     * followed (rsync 3.4's {@code secure_relative_open} answers the same CVE-2024-12086 class). The
     * name "." is {@code root} itself. The last component is not examined: callers lstat it.
     */
    // rsync/util1.c:secure_relative_open (checking, not opening)
    public static Path resolve(Path root, byte[] name) throws UnsafePathException {
        return resolve(root, name, false);
    }

    /**
     * As {@link #resolve(Path, byte[])}, but a parent that is a symlink to a directory inside {@code root} is gone
     * through, as {@code -K} ({@code --keep-dirlinks}) asks: the receiver keeps such a link where the sender has a
     * directory. One leading out of the destination is refused, as rsync 3.5's beneath-the-destination opens refuse it.
     */
    public static Path resolveKeepingDirlinks(Path root, byte[] name) throws UnsafePathException {
        return resolve(root, name, true);
    }

    private static Path resolve(Path root, byte[] name, boolean keepDirlinks) throws UnsafePathException {
        if (!isSafeRelative(name)) {
            throw new UnsafePathException("refusing unsafe file name \"" + Escaped.of(name) + "\"");
        }
        if (name.length == 1 && name[0] == '.') {
            return root;
        }
        int last = name.length - 1;
        while (last >= 0 && name[last] != '/') {
            last--;
        }
        Path p = root;
        for (int start = 0, end; start < last; start = end + 1) {
            end = start;
            while (name[end] != '/') {
                end++;
            }
            p = p.resolve(PathBytes.path(name, start, end - start));
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                // Missing from here on: nothing below can be a symlink yet.
                return p.resolve(PathBytes.path(name, end + 1, name.length - end - 1));
            } catch (IOException e) {
                throw new UnsafePathException("cannot check parent directory \"" + Escaped.of(p) + "\" of \""
                        + Escaped.of(name) + "\": " + e.getMessage());
            }
            if (a.isSymbolicLink() && keepDirlinks && Files.isDirectory(p) && leadsBeneath(root, p)) {
                continue;
            }
            if (a.isSymbolicLink()) {
                throw new UnsafePathException("refusing \"" + Escaped.of(name) + "\": parent \""
                        + Escaped.of(root.relativize(p)) + "\" is a symlink");
            }
            if (!a.isDirectory()) {
                throw new UnsafePathException("refusing \"" + Escaped.of(name) + "\": parent \""
                        + Escaped.of(root.relativize(p)) + "\" is not a directory");
            }
        }
        Path result = p.resolve(PathBytes.path(name, last + 1, name.length - last - 1));
        // absolute, so that a destination of "." (whose normal form is the empty path) holds its names
        if (!result.toAbsolutePath().normalize().startsWith(root.toAbsolutePath().normalize())) {
            throw new UnsafePathException("refusing \"" + Escaped.of(name) + "\": outside the destination");
        }
        return result;
    }

    /** Whether the symlink {@code link} leads to a directory inside {@code root} (rsync 3.5 resolves beneath it). */
    private static boolean leadsBeneath(Path root, Path link) {
        try {
            return link.toRealPath().startsWith(root.toRealPath());
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A received list (not {@code --relative}) names every parent of every entry as a directory of
     * its own: a name whose parent is missing, or is a symlink or file in the list, can only come from
     * a hostile sender (the symlinked-parent attack of CVE-2024-12087/12088's class).
     */
    public static void checkParentsListed(FileList list) {
        for (int i = 0; i < list.size(); i++) {
            FileEntry e = list.get(i);
            if (e == null) {
                continue;
            }
            byte[] parent = parentOf(e);
            if (parent == null) {
                continue;
            }
            FileEntry p = list.find(parent);
            if (p == null || !p.isDirectory()) {
                FileEntry dir = null;
                int j = list.indexOf(parent);
                if (j >= 0) {
                    dir = list.get(j);
                }
                throw new ProtocolException("ABORTING due to invalid path from sender: \"" + e.displayName()
                        + "\" has no directory \"" + Escaped.of(parent) + "\" in the file list"
                        + (dir != null ? " (it is not a directory there)" : ""));
            }
        }
    }

    /** The name of the directory holding an entry (shared by a received entry), or null at the top. */
    private static byte[] parentOf(FileEntry e) {
        if (e.dirPart() != null) {
            return e.dirPart();
        }
        byte[] n = e.basePart();
        for (int i = n.length - 1; i >= 0; i--) {
            if (n[i] == '/') {
                return java.util.Arrays.copyOf(n, i);
            }
        }
        return null;
    }
}
