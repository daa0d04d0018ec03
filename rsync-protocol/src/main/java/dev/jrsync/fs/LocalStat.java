package dev.jrsync.fs;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * An {@code lstat} of a local file ({@code statx} through {@link Posix}): the fields a file list entry
 * needs, never following a symlink. No user names: those come from the cached id lists (flist/IdNames).
 */
public record LocalStat(int mode, long size, long mtimeSeconds, int mtimeNanos, long atimeSeconds, int uid, int gid,
                        long rdev, long dev, long ino, int nlink) {

    public static final int S_IFMT = 0170000;
    public static final int S_IFSOCK = 0140000;
    public static final int S_IFLNK = 0120000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFIFO = 0010000;

    /** The lstat of {@code path}; {@link NoSuchFileException} when nothing is there. */
    public static LocalStat of(Path path) throws IOException {
        LocalStat st = Posix.lstatOrNull(path);
        if (st == null) {
            throw new NoSuchFileException(path.toString());
        }
        return st;
    }

    /** The lstat of {@code path}, or null when nothing is there (no exception: cheap for a new name). */
    public static LocalStat ofOrNull(Path path) throws IOException {
        return Posix.lstatOrNull(path);
    }

    public int type() {
        return mode & S_IFMT;
    }

    public boolean isDirectory() {
        return type() == S_IFDIR;
    }

    public boolean isRegular() {
        return type() == S_IFREG;
    }

    public boolean isSymlink() {
        return type() == S_IFLNK;
    }

    public boolean isDevice() {
        return type() == S_IFCHR || type() == S_IFBLK;
    }

    public boolean isSpecial() {
        return type() == S_IFIFO || type() == S_IFSOCK;
    }

    /** Linux's encoding of dev_t: major and minor are split across the 64-bit value. */
    public int rdevMajor() {
        return (int) (((rdev >>> 8) & 0xFFF) | ((rdev >>> 32) & ~0xFFFL));
    }

    public int rdevMinor() {
        return (int) ((rdev & 0xFF) | ((rdev >>> 12) & ~0xFFL));
    }
}
