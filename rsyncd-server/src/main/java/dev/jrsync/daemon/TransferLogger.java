package dev.jrsync.daemon;

import dev.jrsync.flist.FileEntry;
import dev.jrsync.session.ItemLog;
import dev.jrsync.session.SessionLog;
import java.util.function.LongSupplier;

/**
 * {@code transfer logging}: one {@code log format} line per file sent ({@code rsync/log.c:log_item} with
 * {@code FLOG}). A file's {@code %b} is what the protocol stream grew by while it was sent, so each line
 * is written when the next file starts or the transfer ends. The {@code %i} string comes from the
 * sender's {@link ItemLog}, which reports to this object as its {@link SessionLog}.
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

    /** @param template the session's fields; entry, bytes and itemize are filled in per file. Null logs nothing. */
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
        return template == null ? ItemLog.silent() : new ItemLog(this, 0, 1, true, preserveMtimes);
    }

    void started(FileEntry e) {
        if (template == null) {
            return;
        }
        finished();
        pending = e;
        pendingItemize = null;
        pendingStart = bytesWritten.getAsLong();
    }

    void finished() {
        if (pending == null) {
            return;
        }
        long bytes = bytesWritten.getAsLong() - pendingStart;
        LogFormat.Item t = template;
        log.log(LogFormat.expand(format, new LogFormat.Item(t.operation(), pending, bytes,
                pendingItemize == null ? "" : pendingItemize, t.host(), t.addr(), t.module(), t.modulePath(), t.user())));
        pending = null;
    }

    /** The ItemLog's line for the file being sent: "%i %n"; only the itemize part is kept. */
    @Override
    public void info(String line) {
        if (pending != null && pendingItemize == null) {
            int space = line.indexOf(' ');
            pendingItemize = space < 0 ? line : line.substring(0, space);
        }
    }

    @Override
    public void error(String line) {
        // ItemLog never reports errors.
    }
}
