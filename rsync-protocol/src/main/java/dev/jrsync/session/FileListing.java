package dev.jrsync.session;

import dev.jrsync.core.Escaped;
import dev.jrsync.flist.FileEntry;
import dev.jrsync.fs.LocalStat;

/**
 * A file list as {@code --list-only} prints it ({@code rsync/generator.c:list_file_entry}), one line per entry:
 * the permission string, the size, the time and the name.
 */
public final class FileListing {
    private FileListing() {}

    /** One line of a listing, as {@code rsync/generator.c:list_file_entry} prints it. */
    public static String line(FileEntry e, int humanReadable) {
        String size = humanNumber(e.size(), humanReadable);
        String time = java.time.format.DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss")
                .format(java.time.Instant.ofEpochSecond(e.mtime()).atZone(java.time.ZoneId.systemDefault()));
        String width = humanReadable > 0 ? "%14s" : "%11s";
        String line = permString(e.mode()) + " " + String.format(width, size) + " " + time + " " + e.displayName();
        if (e.isSymlink() && e.linkTarget() != null) {
            line += " -> " + Escaped.of(e.linkTarget());
        }
        return line;
    }

    // rsync/lib/permstring.c:permstring
    public static String permString(int mode) {
        char[] c = "----------".toCharArray();
        c[0] = switch (mode & LocalStat.S_IFMT) {
            case LocalStat.S_IFDIR -> 'd';
            case LocalStat.S_IFLNK -> 'l';
            case LocalStat.S_IFCHR -> 'c';
            case LocalStat.S_IFBLK -> 'b';
            case LocalStat.S_IFIFO -> 'p';
            case LocalStat.S_IFSOCK -> 's';
            default -> '-';
        };
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
    public static String humanNumber(long n, int humanReadable) {
        if (humanReadable <= 0) {
            return Long.toString(n);
        }
        if (humanReadable == 1 || n < (humanReadable == 2 ? 1000 : 1024)) {
            return String.format(java.util.Locale.ROOT, "%,d", n);
        }
        double mult = humanReadable == 2 ? 1000.0 : 1024.0;
        double v = n;
        String units = "KMGTPE";
        int u = -1;
        while (v >= mult && u < units.length() - 1) {
            v /= mult;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.2f%c", v, units.charAt(u));
    }
}
