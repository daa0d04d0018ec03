package dev.jrsync.flist;

/**
 * A device number as one int32, the form file lists carry it in before protocol 28 ({@code rsync/flist.c:
 * send_file_entry} writes the sender's {@code dev_t} truncated to 32 bits). Both rsyncs are Linux ones, so the
 * number is glibc's {@code makedev} layout: minor bits 0-7, major bits 8-19, the minor's upper bits 20-31.
 */
final class Rdev32 {
    private Rdev32() {}

    static int of(int major, int minor) {
        return (minor & 0xFF) | ((major & 0xFFF) << 8) | ((minor & 0xFFF00) << 12);
    }

    static int major(int rdev) {
        return (rdev >>> 8) & 0xFFF;
    }

    static int minor(int rdev) {
        return (rdev & 0xFF) | ((rdev >>> 12) & 0xFFF00);
    }
}
