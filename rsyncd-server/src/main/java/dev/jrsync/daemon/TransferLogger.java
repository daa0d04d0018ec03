package dev.jrsync.daemon;

import dev.jrsync.core.ItemEvent;
import dev.jrsync.core.SessionLog;
import dev.jrsync.flist.FileEntry;
import dev.jrsync.fs.LocalStat;
import dev.jrsync.session.ItemLog;
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
    private final LogFormat.Item template;
    private final LongSupplier bytesWritten;
    private final boolean preserveMtimes;
    private FileEntry pending;
    private String pendingItemize;
    private long pendingStart;

    /**
     * @param template the session's fields; entry, bytes and itemize are filled in per file. Null logs nothing.
     * @param bytesWritten the stream position a file's {@code %b} is measured on (sent bytes for a pull,
     *                     received bytes for a push)
     */
    TransferLogger(DaemonLog log, String format, LogFormat.Item template, LongSupplier bytesWritten,
                   boolean preserveMtimes) {
        this.log = log;
        this.format = format;
        this.template = template;
        this.bytesWritten = bytesWritten;
        this.preserveMtimes = preserveMtimes;
    }

    static TransferLogger disabled() {
        return new TransferLogger(null, null, null, () -> 0, false);
    }

    /** The item log to hand the sender: it feeds {@code %i}. */
    ItemLog itemLog() {
        return template == null ? ItemLog.silent() : new ItemLog(this, true, preserveMtimes);
    }

    /**
     * The receiving roles' item log: a received file is logged once its data is in (the next item or the
     * end); an item that only changed attributes or was created is logged at once, with no bytes
     * ({@code rsync/log.c:maybe_log_item} on a server).
     */
    ItemLog receivedItems() {
        return template == null ? ItemLog.silent() : ItemLog.observing(this::received);
    }

    private synchronized void received(FileEntry e, int iflags, boolean transferred, byte[] xname) {
        finished();
        String itemize = ItemLog.itemizeString(e, iflags, false, preserveMtimes);
        if (transferred) {
            pending = e;
            pendingItemize = itemize;
            pendingStart = bytesWritten.getAsLong();
        } else if ((iflags & ItemLog.SIGNIFICANT) != 0) {
            write(e, 0, itemize);
        }
    }

    /** A deletion's line: operation "del." and the itemize string "*deleting" ({@code rsync/log.c:log_delete}). */
    synchronized void deleted(String rel, boolean isDir) {
        if (template == null) {
            return;
        }
        finished();
        FileEntry e = FileEntry.builder(rel, isDir ? LocalStat.S_IFDIR | 0755 : LocalStat.S_IFREG | 0644).build();
        LogFormat.Item t = template;
        // a format that shows neither %o nor %i could not tell a deletion from a transfer
        String fmt = format.matches("(?s).*%[-'0-9]*[oi].*") ? format : "deleting %n";
        log.log(LogFormat.expand(fmt, new LogFormat.Item("del.", e, 0, "*deleting  ", t.host(), t.addr(),
                t.module(), t.modulePath(), t.user())));
    }

    synchronized void started(FileEntry e) {
        if (template == null) {
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
        write(pending, bytesWritten.getAsLong() - pendingStart, pendingItemize == null ? "" : pendingItemize);
        pending = null;
    }

    private void write(FileEntry e, long bytes, String itemize) {
        LogFormat.Item t = template;
        log.log(LogFormat.expand(format, new LogFormat.Item(t.operation(), e, bytes, itemize, t.host(), t.addr(),
                t.module(), t.modulePath(), t.user())));
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
