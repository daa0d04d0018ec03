package dev.jrsync.flist;

/**
 * The per-entry flag word of a file list ({@code XMIT_*} in rsync/rsync.h). Several bits mean
 * different things depending on the protocol version and the entry's type.
 */
public final class XmitFlags {
    private XmitFlags() {}

    public static final int TOP_DIR = 1;
    public static final int SAME_MODE = 1 << 1;
    public static final int EXTENDED_FLAGS = 1 << 2;
    /** Protocol 27, devices: the device number equals the previous entry's. */
    public static final int SAME_RDEV_PRE28 = 1 << 2;
    public static final int SAME_UID = 1 << 3;
    public static final int SAME_GID = 1 << 4;
    public static final int SAME_NAME = 1 << 5;
    public static final int LONG_NAME = 1 << 6;
    public static final int SAME_TIME = 1 << 7;
    /** Devices (and pre-31 specials): the rdev major equals the previous one. */
    public static final int SAME_RDEV_MAJOR = 1 << 8;
    /** Directories, protocol 30+: the directory's contents are not part of the transfer. */
    public static final int NO_CONTENT_DIR = 1 << 8;
    public static final int HLINKED = 1 << 9;
    /** Protocol 28-29, with {@link #HLINKED}. */
    public static final int SAME_DEV_PRE30 = 1 << 10;
    /** Protocol 30+, incremental recursion only. */
    public static final int USER_NAME_FOLLOWS = 1 << 10;
    /** Protocol 28-29: the rdev minor fits in one byte. */
    public static final int RDEV_MINOR_8_PRE30 = 1 << 11;
    /** Protocol 30+, incremental recursion only. */
    public static final int GROUP_NAME_FOLLOWS = 1 << 11;
    public static final int HLINK_FIRST = 1 << 12;
    /** Only as the exact short value {@code EXTENDED_FLAGS | IO_ERROR_ENDLIST}: end of list with an error. */
    public static final int IO_ERROR_ENDLIST = 1 << 12;
    public static final int MOD_NSEC = 1 << 13;
    public static final int SAME_ATIME = 1 << 14;
    public static final int CRTIME_EQ_MTIME = 1 << 17;

    /** The end-of-list short that carries an I/O-error varint (byte/short flag mode). */
    public static final int END_WITH_IO_ERROR = EXTENDED_FLAGS | IO_ERROR_ENDLIST;
}
