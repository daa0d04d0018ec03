package dev.jrsync.daemon;

import dev.jrsync.core.Escaped;
import dev.jrsync.core.ItemEvent;
import dev.jrsync.core.SessionLog;
import dev.jrsync.flist.FileEntry;
import dev.jrsync.fs.LocalStat;
import dev.jrsync.session.ItemLog;
import dev.jrsync.core.LogFormat;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * {@code transfer logging}: one {@code log format} line per file sent or received ({@code rsync/log.c:log_item}
 * with {@code FLOG}). A file's {@code %b} is what the protocol stream grew by while it travelled, so each
 * line is written when the next file starts or the transfer ends. On a pull the {@code %i} string comes from
 * the sender's {@link ItemLog}, which reports to this object as its {@link SessionLog}; on a push the
 * receiving roles hand each item to {@link #receivedItems}.
 */
final class TransferLogger implements SessionLog {
    private final DaemonLog log;
    private final String format;
    private final String operation;
    private final LogFormat.Session session;
    private final Path moduleRoot;
    private final LongSupplier bytesWritten;
    private final boolean preserveMtimes;
    private final boolean owners;
    private final boolean groups;
    private String receivingInto = "";
    private FileEntry pending;
    private String pendingItemize;
    private long pendingStart;

    /**
     * @param bytesWritten the stream position a file's {@code %b} is measured on (sent bytes for a pull,
     *                     received bytes for a push)
     */
    TransferLogger(DaemonLog log, String format, String operation, LogFormat.Session session, Path moduleRoot,
                   LongSupplier bytesWritten, boolean preserveMtimes, boolean owners, boolean groups) {
        this.log = log;
        this.format = format;
        this.operation = operation;
        this.session = session;
        this.moduleRoot = moduleRoot == null ? null : moduleRoot.toAbsolutePath().normalize();
        this.bytesWritten = bytesWritten;
        this.preserveMtimes = preserveMtimes;
        this.owners = owners;
        this.groups = groups;
    }

    static TransferLogger disabled() {
        return new TransferLogger(null, null, null, null, null, () -> 0, false, false, false);
    }

    /** The item log to hand the sender: it feeds {@code %i}. */
    ItemLog itemLog() {
        return log == null ? ItemLog.silent() : new ItemLog(this, true, preserveMtimes);
    }

    /**
     * The receiving roles' item log: a received file is logged once its data is in (the next item or the
     * end); an item that only changed attributes or was created is logged at once, with no bytes
     * ({@code rsync/log.c:maybe_log_item} on a server).
     */
    ItemLog receivedItems() {
        return log == null ? ItemLog.silent() : ItemLog.observing(this::received);
    }

    /**
     * The directory a push writes into, within the module: {@code %f} names a received file from the module's
     * root, as rsync joins its current directory past the module's path to the name.
     */
    synchronized void receivingInto(String dirInModule) {
        receivingInto = dirInModule;
    }

    private synchronized void received(FileEntry e, int iflags, boolean transferred, byte[] xname, ItemLog.Moved moved) {
        finished();
        String itemize = ItemLog.itemizeString(e, iflags, false, preserveMtimes);
        if (transferred) {
            pending = e;
            pendingItemize = itemize;
            pendingStart = bytesWritten.getAsLong();
        } else if ((iflags & ItemLog.SIGNIFICANT) != 0 || xname != null && xname.length > 0) {
            write(e, 0, itemize, xname != null && xname.length > 0 ? Escaped.of(xname) : null);
        }
    }

    /** A deletion's line: operation "del." and the itemize string "*deleting" ({@code rsync/log.c:log_delete}). */
    synchronized void deleted(String rel, boolean isDir) {
        if (log == null) {
            return;
        }
        finished();
        // a format that shows neither %o nor %i could not tell a deletion from a transfer
        String fmt = LogFormat.has(format, 'o') || LogFormat.has(format, 'i') ? format : "deleting %n";
        String name = Escaped.of(Escaped.raw(rel));
        int mode = isDir ? LocalStat.S_IFDIR : LocalStat.S_IFREG;
        log.log(LogFormat.expand(fmt, new LogFormat.Item("del.", name + (isDir ? "/" : ""),
                join(receivingInto, name), "*deleting  ", mode, 0, 0, owners ? 0 : null, groups ? 0 : null, null,
                null, 0, 0, "", session)));
    }

    synchronized void started(FileEntry e) {
        if (log == null) {
            return;
        }
        finished();
        pending = e;
        pendingItemize = null;
        pendingStart = bytesWritten.getAsLong();
    }

    synchronized void finished() {
        if (pending == null) {
            return;
        }
        write(pending, bytesWritten.getAsLong() - pendingStart, pendingItemize == null ? "" : pendingItemize, null);
        pending = null;
    }

    private void write(FileEntry e, long bytes, String itemize, String hardLinkTo) {
        String name = e.displayName();
        log.log(LogFormat.expand(format, new LogFormat.Item(operation, name + (e.isDirectory() ? "/" : ""),
                path(e), itemize, e.mode(), e.size(), e.mtime(), owners ? e.uid() : null, groups ? e.gid() : null,
                e.isSymlink() && e.linkTarget() != null ? Escaped.of(e.linkTarget()) : null, hardLinkTo, bytes, 0,
                "", session)));
    }

    // rsync/log.c's %f: a sent file's directory as the sender names it, a received one's from the module root
    private String path(FileEntry e) {
        Path root = operation.equals("send") ? ItemLog.sourceRoot(e) : null;
        if (root == null) {
            return join(receivingInto, e.displayName());
        }
        return join(root.startsWith(moduleRoot) ? moduleRoot.relativize(root).toString() : root.toString(),
                e.displayName());
    }

    private static String join(String dir, String name) {
        String joined = dir.isEmpty() ? name : dir.endsWith("/") ? dir + name : dir + "/" + name;
        return joined.startsWith("/") ? joined.substring(1) : joined;
    }

    /** The sender's item for the file being sent: its {@code %i}. */
    @Override
    public synchronized void item(ItemEvent item) {
        if (pending != null && pendingItemize == null) {
            pendingItemize = item.changes();
        }
    }

    @Override
    public void info(String line) {
        // the item log reports items only
    }

    @Override
    public void error(String line) {
        // the item log reports items only
    }
}
