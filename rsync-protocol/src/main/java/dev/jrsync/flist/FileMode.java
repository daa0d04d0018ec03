package dev.jrsync.flist;

/**
 * File-type bits of an {@code st_mode} as they travel in a file list. rsync always puts the Linux
 * values on the wire ({@code rsync/ifuncs.h:to_wire_mode}), so these are protocol constants, not
 * properties of the local platform.
 */
public final class FileMode {
    private FileMode() {}

    public static final int S_IFMT = 0170000;
    public static final int S_IFSOCK = 0140000;
    public static final int S_IFLNK = 0120000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFIFO = 0010000;

    public static int type(int mode) {
        return mode & S_IFMT;
    }

    public static boolean isDirectory(int mode) {
        return type(mode) == S_IFDIR;
    }

    public static boolean isRegular(int mode) {
        return type(mode) == S_IFREG;
    }

    public static boolean isSymlink(int mode) {
        return type(mode) == S_IFLNK;
    }

    /** Character or block device ({@code IS_DEVICE}). */
    public static boolean isDevice(int mode) {
        int t = type(mode);
        return t == S_IFCHR || t == S_IFBLK;
    }

    /** FIFO or socket ({@code IS_SPECIAL}). */
    public static boolean isSpecial(int mode) {
        int t = type(mode);
        return t == S_IFIFO || t == S_IFSOCK;
    }

    /**
     * One of the seven standard types and nothing above the 16 {@code st_mode} bits. rsync 3.4+
     * refuses anything else (rsync/flist.c:recv_file_entry) because a garbage type slips past every
     * later {@code S_ISxxx} test.
     */
    public static boolean isValid(int mode) {
        if ((mode & ~0xFFFF) != 0) {
            return false;
        }
        return switch (type(mode)) {
            case S_IFREG, S_IFDIR, S_IFLNK, S_IFCHR, S_IFBLK, S_IFIFO, S_IFSOCK -> true;
            default -> false;
        };
    }
}
