package dev.jrsync.core;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * One entry of a listing ({@code --list-only}, or a source given without a destination) as the session reports
 * it, and the line rsync prints for it ({@code rsync/generator.c:list_file_entry}): the permission string, the
 * size, the time and the name.
 *
 * @param name       the path under the listing's root, as the file list carries it
 * @param mode       the full {@code st_mode}, type bits included (the Linux values a file list uses)
 * @param size       the length in bytes (a symlink's: its target's length)
 * @param mtime      the modification time, in seconds since the epoch
 * @param linkTarget a symlink's target, null for other kinds (and for symlinks listed without {@code -l})
 */
public record ListedEntry(byte[] name, int mode, long size, long mtime, byte[] linkTarget) {
    /** The type letter of each of the 16 values of {@code st_mode}'s type bits; unknown types print as files. */
    private static final String TYPE_LETTERS = "-pc-d-b---l-s---";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss");

    /** The line rsync prints, with {@code -h} given {@code humanReadable} times (0: plain digits). */
    public String line(int humanReadable) {
        return line(mode, size, mtime, Escaped.of(name), linkTarget == null ? null : Escaped.of(linkTarget),
                humanReadable);
    }

    /** As {@link #line(int)}, for an entry whose name and link target (null for none) are printable already. */
    public static String line(int mode, long size, long mtime, String name, String linkTarget, int humanReadable) {
        String time = TIME.format(Instant.ofEpochSecond(mtime).atZone(ZoneId.systemDefault()));
        String width = humanReadable > 0 ? "%14s" : "%11s";
        String line = permString(mode) + " " + String.format(width, bigNumber(size, humanReadable)) + " " + time
                + " " + name;
        return linkTarget == null ? line : line + " -> " + linkTarget;
    }

    /** {@code drwxr-xr-x}: the type letter, then the permissions with set-id and sticky bits. */
    // rsync/lib/permstring.c:permstring
    public static String permString(int mode) {
        char[] c = "----------".toCharArray();
        c[0] = TYPE_LETTERS.charAt(mode >>> 12 & 017);
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            if ((mode & (0400 >> i)) != 0) {
                c[i + 1] = rwx.charAt(i);
            }
        }
        if ((mode & 04000) != 0) {
            c[3] = (mode & 0100) != 0 ? 's' : 'S';
        }
        if ((mode & 02000) != 0) {
            c[6] = (mode & 0010) != 0 ? 's' : 'S';
        }
        if ((mode & 01000) != 0) {
            c[9] = (mode & 0001) != 0 ? 't' : 'T';
        }
        return new String(c);
    }

    // rsync/lib/compat.c:do_big_num via human_num
    public static String bigNumber(long n, int humanReadable) {
        if (humanReadable <= 0) {
            return Long.toString(n);
        }
        if (humanReadable == 1 || n < (humanReadable == 2 ? 1000 : 1024)) {
            return String.format(Locale.ROOT, "%,d", n);
        }
        double mult = humanReadable == 2 ? 1000.0 : 1024.0;
        double v = n;
        String units = "KMGTPE";
        int u = -1;
        while (v >= mult && u < units.length() - 1) {
            v /= mult;
            u++;
        }
        return String.format(Locale.ROOT, "%.2f%c", v, units.charAt(u));
    }
}
