package dev.jrsync.session;

/** Item flags sent with each file index ({@code rsync/rsync.h: ITEM_*}) and the basis types. */
public final class ItemFlags {
    private ItemFlags() {}

    public static final int REPORT_ATIME = 0x0001;
    public static final int REPORT_CHANGE = 0x0002;
    public static final int REPORT_SIZE = 0x0004;
    public static final int REPORT_TIMEFAIL = 0x0004;
    public static final int REPORT_TIME = 0x0008;
    public static final int REPORT_PERMS = 0x0010;
    public static final int REPORT_OWNER = 0x0020;
    public static final int REPORT_GROUP = 0x0040;
    public static final int REPORT_ACL = 0x0080;
    public static final int REPORT_XATTR = 0x0100;
    public static final int REPORT_CRTIME = 0x0400;
    public static final int BASIS_TYPE_FOLLOWS = 0x0800;
    public static final int XNAME_FOLLOWS = 0x1000;
    public static final int IS_NEW = 0x2000;
    public static final int LOCAL_CHANGE = 0x4000;
    public static final int TRANSFER = 0x8000;

    /** Bits that may legally travel on the wire. */
    public static final int WIRE_MASK = 0xFFFF;

    public static final int FNAMECMP_FNAME = 0x80;
    public static final int FNAMECMP_PARTIAL_DIR = 0x81;
    public static final int FNAMECMP_BACKUP = 0x82;
    public static final int FNAMECMP_FUZZY = 0x83;
}
