package dev.jrsync.session;

import dev.jrsync.core.Escaped;
import dev.jrsync.core.SessionLog;
import dev.jrsync.flist.FileEntry;

/**
 * The per-file lines a client prints with {@code -v} ({@code %n%L}) or {@code -i} ({@code %i %n%L})
 * ({@code rsync/log.c:log_item}, {@code maybe_log_item}, the {@code %i} case of {@code log_formatted}).
 */
public final class ItemLog {
    /** Receives every item with its flags, for a log that formats items its own way (a daemon's). */
    @FunctionalInterface
    public interface Observer {
        void item(FileEntry e, int iflags, boolean transferred);
    }

    private final Observer observer;
    private final SessionLog log;
    private final boolean enabled;
    private final int itemize;
    private final boolean amSender;
    private final boolean preserveMtimes;

    /**
     * @param verbose {@code -v} count
     * @param itemize {@code -i} count
     */
    public ItemLog(SessionLog log, int verbose, int itemize, boolean amSender, boolean preserveMtimes) {
        this(null, log, verbose, itemize, amSender, preserveMtimes);
    }

    private ItemLog(Observer observer, SessionLog log, int verbose, int itemize, boolean amSender,
                    boolean preserveMtimes) {
        this.observer = observer;
        this.log = log;
        this.enabled = verbose > 0 || itemize > 0;
        this.itemize = itemize;
        this.amSender = amSender;
        this.preserveMtimes = preserveMtimes;
    }

    /** A log that hands each item, unfiltered, to {@code observer}. */
    public static ItemLog observing(Observer observer) {
        return new ItemLog(observer, null, 0, 0, false, true);
    }

    /** A log that prints nothing. */
    public static ItemLog silent() {
        return new ItemLog(null, 0, 0, true, true);
    }

    /**
     * Reports an item: {@code transferred} items always print (rsync's log_item); the others only
     * when something about them is significant (maybe_log_item).
     */
    public void item(FileEntry e, int iflags, boolean transferred) {
        if (observer != null) {
            observer.item(e, iflags, transferred);
            return;
        }
        if (log != null && log.wantsItems()) {
            log.item(e.displayName() + (e.isDirectory() ? "/" : ""),
                    itemizeString(e, iflags, amSender, preserveMtimes), transferred);
        }
        if (!enabled) {
            return;
        }
        if (!transferred) {
            int significant = iflags & ~(ItemFlags.BASIS_TYPE_FOLLOWS | ItemFlags.XNAME_FOLLOWS | ItemFlags.LOCAL_CHANGE);
            boolean seeItem = itemize > 0 && (significant != 0 || itemize > 1);
            boolean localChange = (iflags & ItemFlags.LOCAL_CHANGE) != 0 && significant != 0;
            if (!seeItem && !localChange && !(e.isDirectory() && significant != 0)) {
                return;
            }
        }
        log.info(format(e, iflags));
    }

    public String format(FileEntry e, int iflags) {
        StringBuilder sb = new StringBuilder();
        if (itemize > 0) {
            sb.append(itemizeString(e, iflags, amSender, preserveMtimes)).append(' ');
        }
        sb.append(e.displayName());
        if (e.isDirectory()) {
            sb.append('/');
        }
        if (e.isSymlink() && e.linkTarget() != null) {
            sb.append(" -> ").append(Escaped.of(e.linkTarget()));
        }
        return sb.toString();
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
            c[4] = (iflags & ItemFlags.REPORT_TIME) == 0 ? '.' : 'T';
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
