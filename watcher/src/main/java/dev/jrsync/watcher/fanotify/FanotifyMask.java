package dev.jrsync.watcher.fanotify;

/**
 * The constants of the kernel's uapi linux/fanotify.h that jrsync uses. The event bits it shares with inotify
 * (MODIFY to DELETE, Q_OVERFLOW, ONDIR as IN_ISDIR) have inotify's values, so resolved events carry inotify masks.
 */
public final class FanotifyMask {
    private FanotifyMask() {}

    public static final int CLASS_NOTIF = 0x0;
    public static final int CLOEXEC = 0x1;
    public static final int NONBLOCK = 0x2;
    public static final int REPORT_DIR_FID = 0x400;
    public static final int REPORT_NAME = 0x800;
    public static final int REPORT_DFID_NAME = REPORT_DIR_FID | REPORT_NAME;

    public static final int MARK_ADD = 0x1;
    public static final int MARK_FILESYSTEM = 0x100;

    public static final long MODIFY = 0x2;
    public static final long ATTRIB = 0x4;
    public static final long CLOSE_WRITE = 0x8;
    public static final long CREATE = 0x100;
    public static final long DELETE = 0x200;
    public static final long Q_OVERFLOW = 0x4000;
    /** One event naming both ends of a rename (Linux 5.17+), so no cookie is needed to pair them. */
    public static final long RENAME = 0x10000000;
    public static final long ONDIR = 0x40000000;

    public static final int METADATA_VERSION = 3;
    public static final int INFO_DFID_NAME = 2;
    public static final int INFO_OLD_DFID_NAME = 10;
    public static final int INFO_NEW_DFID_NAME = 12;
}
