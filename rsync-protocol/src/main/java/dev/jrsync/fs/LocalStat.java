package dev.jrsync.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An {@code lstat} of a local file through the JDK's "unix" attribute view: the fields a file list
 * entry needs, never following a symlink.
 */
public record LocalStat(int mode, long size, long mtimeSeconds, int mtimeNanos, int uid, int gid,
                        long rdev, long dev, long ino, int nlink) {

    public static final int S_IFMT = 0170000;
    public static final int S_IFSOCK = 0140000;
    public static final int S_IFLNK = 0120000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFIFO = 0010000;

    // No "owner" or "group": the JDK looks each name up in the user database per call, which cost a
    // 100,000-file scan seconds; names come from the cached id lists instead (flist/IdNames).
    private static final String ATTRS = "unix:mode,size,lastModifiedTime,uid,gid,rdev,dev,ino,nlink";

    public static LocalStat of(Path path) throws IOException {
        Map<String, Object> a = Files.readAttributes(path, ATTRS, LinkOption.NOFOLLOW_LINKS);
        FileTime mtime = (FileTime) a.get("lastModifiedTime");
        long micros = mtime.to(TimeUnit.MICROSECONDS);
        long nanosTotal = mtime.to(TimeUnit.NANOSECONDS);
        long seconds = Math.floorDiv(micros, 1_000_000L);
        int nanos = (int) Math.floorMod(nanosTotal, 1_000_000_000L);
        return new LocalStat((Integer) a.get("mode"), (Long) a.get("size"), seconds, nanos,
                (Integer) a.get("uid"), (Integer) a.get("gid"), (Long) a.get("rdev"), (Long) a.get("dev"),
                (Long) a.get("ino"), (Integer) a.get("nlink"));
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
