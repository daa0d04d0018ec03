package dev.jrsync.session;

import dev.jrsync.checksum.ChecksumChoice;
import dev.jrsync.core.Escaped;
import dev.jrsync.core.ItemEvent;
import dev.jrsync.core.SessionLog;
import dev.jrsync.flist.FileEntry;
import java.nio.file.Path;

/**
 * The items of a session ({@code rsync/log.c:log_item} and {@code maybe_log_item}): each file a role looked at and
 * found transferred or changed, reported to the session's log as an {@link ItemEvent} with its {@code %i} string.
 * Whether an item makes a line is decided where lines are printed ({@code dev.jrsync.ui}).
 */
public final class ItemLog {
    /** Receives every item with its flags, for a log that formats items its own way (a daemon's). */
    @FunctionalInterface
    public interface Observer {
        /**
         * {@code xname}: what rsync's {@code ITEM_XNAME_FOLLOWS} carried (a hard link's leader), or null;
         * {@code moved}: what its data cost, for an item reported once its data moved, else null.
         */
        void item(FileEntry e, int iflags, boolean transferred, byte[] xname, Moved moved);
    }

    /**
     * A file's data once it moved ({@code rsync/log.c:log_item} after {@code match_sums} or {@code receive_data}):
     * the bytes its transfer took on the wire ({@code %b}) and the transfer's whole-file checksum ({@code %C}
     * without {@code -c}).
     */
    public record Moved(long bytes, byte[] fileSum) {}

    /** The item flags that make an untransferred item worth a line ({@code SIGNIFICANT_ITEM_FLAGS}). */
    public static final int SIGNIFICANT = ~(ItemFlags.BASIS_TYPE_FOLLOWS | ItemFlags.XNAME_FOLLOWS
            | ItemFlags.LOCAL_CHANGE) & 0xFFFF;

    private final Observer observer;
    private final boolean afterData;
    private final boolean asSender;

    /**
     * @param amSender       whether this side sends: its transfers are {@code <}, a receiver's {@code >}
     * @param preserveMtimes {@code -t}: a time change is {@code t}, else {@code T}
     */
    public ItemLog(SessionLog log, boolean amSender, boolean preserveMtimes) {
        this(log, amSender, preserveMtimes, null, false);
    }

    /**
     * As {@link #ItemLog(SessionLog, boolean, boolean)}; {@code checksums} gives the types of the list's checksums
     * (-c) and of a transfer's; {@code afterData}: a transferred file is reported once its data moved, with what
     * that cost, as rsync does for a format that shows it ({@code log_before_transfer} false).
     */
    public ItemLog(SessionLog log, boolean amSender, boolean preserveMtimes, ChecksumChoice checksums,
                   boolean afterData) {
        this((e, iflags, transferred, xname, moved) -> log.item(event(e, iflags, transferred, xname, moved, amSender,
                false, preserveMtimes, checksums)), afterData, false);
    }

    private ItemLog(Observer observer, boolean afterData, boolean asSender) {
        this.observer = observer;
        this.afterData = afterData;
        this.asSender = asSender;
    }

    /**
     * A local copy's items, which its receiving half reports as rsync's client, the sending half, does: "send"
     * ({@code %o}), the source's path ({@code %f}) and its bytes counted from the index, but transfers as {@code >}
     * ({@code rsync/log.c}: {@code local_server}).
     */
    public static ItemLog localCopy(SessionLog log, boolean preserveMtimes, ChecksumChoice checksums,
                                    boolean afterData) {
        return new ItemLog((e, iflags, transferred, xname, moved) -> log.item(event(e, iflags, transferred, xname,
                moved, true, true, preserveMtimes, checksums)), afterData, true);
    }

    /** Whether the items are reported as a sender reports them, though this side receives. */
    boolean asSender() {
        return asSender;
    }

    /** A log that hands each item, with its raw flags, to {@code observer}. */
    public static ItemLog observing(Observer observer) {
        return new ItemLog(observer, false, false);
    }

    /** A log that reports nothing. */
    public static ItemLog silent() {
        return new ItemLog((e, iflags, transferred, xname, moved) -> { }, false, false);
    }

    /** Reports an item: one whose data moved, or one the generator found changed or new. */
    public void item(FileEntry e, int iflags, boolean transferred) {
        observer.item(e, iflags, transferred, null, null);
    }

    /** As {@link #item(FileEntry, int, boolean)}, with the name that followed the flags ({@code ITEM_XNAME_FOLLOWS}). */
    public void item(FileEntry e, int iflags, boolean transferred, byte[] xname) {
        observer.item(e, iflags, transferred, xname, null);
    }

    /** A file whose data is about to move: reported now, unless it is reported once its data moved. */
    public void dataStarts(FileEntry e, int iflags) {
        if (!afterData) {
            observer.item(e, iflags, true, null, null);
        }
    }

    /** The same file once its data moved, {@code bytes} on the wire with {@code fileSum} last among them. */
    public void dataMoved(FileEntry e, int iflags, long bytes, byte[] fileSum) {
        if (afterData) {
            observer.item(e, iflags, true, null, new Moved(bytes, fileSum));
        }
    }

    /**
     * The event for an item as this side reports it. A non-empty {@code xname} on a local change is the name the
     * entry was hard-linked to (rsync/log.c:log_item's {@code hlink}); an empty one an unchanged link.
     */
    private static ItemEvent event(FileEntry e, int iflags, boolean transferred, byte[] xname, Moved moved,
                                  boolean amSender, boolean localServer, boolean preserveMtimes,
                                  ChecksumChoice checksums) {
        boolean hardLink = xname != null && xname.length > 0
                && (iflags & (ItemFlags.LOCAL_CHANGE | ItemFlags.XNAME_FOLLOWS)) == (ItemFlags.LOCAL_CHANGE | ItemFlags.XNAME_FOLLOWS);
        return new ItemEvent(e.displayName() + (e.isDirectory() ? "/" : ""),
                itemizeString(e, iflags, amSender && !localServer, preserveMtimes), transferred, (iflags & SIGNIFICANT) != 0,
                (iflags & ItemFlags.LOCAL_CHANGE) != 0,
                e.isSymlink() && e.linkTarget() != null ? Escaped.of(e.linkTarget()) : null,
                hardLink ? Escaped.of(xname) : null, amSender ? "send" : "recv", amSender ? sentPath(e) : e.displayName(), e.mode(), e.size(),
                e.mtime(), e.uid(), e.gid(), moved == null ? 0 : moved.bytes(), checksumHex(e, moved, checksums));
    }

    // rsync/log.c's %C: the list's checksum with -c, else the transfer's
    private static String checksumHex(FileEntry e, Moved moved, ChecksumChoice checksums) {
        if (checksums == null) {
            return null;
        }
        if (e.checksum() != null) {
            return checksums.file().canonicalHex(e.checksum());
        }
        return moved != null && moved.fileSum() != null ? checksums.transfer().canonicalHex(moved.fileSum()) : null;
    }

    // rsync/log.c's %f on a sender: the source argument's directory, then the name
    private static String sentPath(FileEntry e) {
        Path root = sourceRoot(e);
        if (root == null) {
            return e.displayName();
        }
        Path cwd = Path.of("").toAbsolutePath();
        String dir = root.startsWith(cwd) ? cwd.relativize(root).toString() : root.toString();
        String joined = dir.isEmpty() ? e.displayName() : dir + "/" + e.displayName();
        return joined.startsWith("/") ? joined.substring(1) : joined;
    }

    /**
     * The directory a sent entry's name starts in ({@code F_PATHNAME}, the source argument's directory), which a
     * sender's {@code %f} puts before the name; null for an entry not read from this machine.
     */
    public static Path sourceRoot(FileEntry e) {
        Path dir = e.localDir();
        if (dir == null) {
            return null;
        }
        dir = dir.toAbsolutePath().normalize();
        // the entry's own directory: step up once for each directory in its name
        byte[] name = e.name();
        for (int i = 0; i < name.length && dir != null; i++) {
            if (name[i] == '/') {
                dir = dir.getParent();
            }
        }
        return dir;
    }

    /** The eleven-letter {@code %i} code, e.g. {@code <f.st......} or {@code cd+++++++++}. */
    public static String itemizeString(FileEntry e, int iflags, boolean amSender, boolean preserveMtimes) {
        char[] c = new char[11];
        c[0] = (iflags & ItemFlags.LOCAL_CHANGE) != 0 ? ((iflags & ItemFlags.XNAME_FOLLOWS) != 0 ? 'h' : 'c')
                : (iflags & ItemFlags.TRANSFER) == 0 ? '.'
                : amSender ? '<' : '>';
        if (e.isSymlink()) {
            c[1] = 'L';
            c[3] = '.';
            // rsync/log.c: 't' where the receiver keeps a link's time (Linux can), 'T' where it could not
            c[4] = (iflags & ItemFlags.REPORT_TIME) == 0 ? '.'
                    : preserveMtimes && (iflags & ItemFlags.REPORT_TIMEFAIL) == 0 ? 't' : 'T';
        } else {
            c[1] = e.isDirectory() ? 'd' : e.isSpecial() ? 'S' : e.isDevice() ? 'D' : 'f';
            c[3] = (iflags & ItemFlags.REPORT_SIZE) == 0 ? '.' : 's';
            c[4] = (iflags & ItemFlags.REPORT_TIME) == 0 ? '.' : preserveMtimes ? 't' : 'T';
        }
        c[2] = (iflags & ItemFlags.REPORT_CHANGE) == 0 ? '.' : 'c';
        c[5] = (iflags & ItemFlags.REPORT_PERMS) == 0 ? '.' : 'p';
        c[6] = (iflags & ItemFlags.REPORT_OWNER) == 0 ? '.' : 'o';
        c[7] = (iflags & ItemFlags.REPORT_GROUP) == 0 ? '.' : 'g';
        c[8] = (iflags & (ItemFlags.REPORT_ATIME | ItemFlags.REPORT_CRTIME)) == 0 ? '.'
                : (iflags & ItemFlags.REPORT_ATIME) != 0 && (iflags & ItemFlags.REPORT_CRTIME) != 0 ? 'b'
                : (iflags & ItemFlags.REPORT_ATIME) != 0 ? 'u' : 'n';
        c[9] = (iflags & ItemFlags.REPORT_ACL) == 0 ? '.' : 'a';
        c[10] = (iflags & ItemFlags.REPORT_XATTR) == 0 ? '.' : 'x';
        if ((iflags & ItemFlags.IS_NEW) != 0) {
            for (int i = 2; i < c.length; i++) {
                c[i] = '+';
            }
        } else if (c[0] == '.' || c[0] == 'h' || c[0] == 'c') {
            boolean allDots = true;
            for (int i = 2; i < c.length; i++) {
                allDots &= c[i] == '.';
            }
            if (allDots) {
                for (int i = 2; i < c.length; i++) {
                    c[i] = ' ';
                }
            }
        }
        return new String(c);
    }
}
