package dev.jrsync.api;

import dev.jrsync.core.ItemEvent;
import dev.jrsync.core.ListedEntry;
import dev.jrsync.core.SessionLog;
import java.time.Duration;
import java.util.Optional;

/** A session's reports (rsync's {@code rprintf} lines, {@code log_item} items, deletions, progress) as a listener's events. */
final class ListenerLog implements SessionLog {
    private final TransferListener listener;
    private volatile String lastError;

    ListenerLog(TransferListener listener) {
        this.listener = listener;
    }

    /** The peer's last error line: what a remote exit's outcome names, rather than only its code. */
    String lastError(String otherwise) {
        return lastError != null ? lastError : otherwise;
    }

    @Override
    public void info(String line) {
        listener.message(new Message(Message.Level.INFO, line));
    }

    @Override
    public void error(String line) {
        lastError = line;
        listener.message(new Message(Message.Level.ERROR, line));
    }

    @Override
    public void item(ItemEvent item) {
        listener.item(new FileItem(item.name(), item.changes(), item.transferred(), item.significant(),
                item.localChange(), Optional.ofNullable(item.linkTarget()),
                Optional.ofNullable(item.hardLinkTo()), item.operation(), item.path(), item.mode(), item.size(), item.mtime(),
                item.uid(), item.gid(), item.bytes(), Optional.ofNullable(item.checksum())));
    }

    @Override
    public void progress(dev.jrsync.core.FileProgress p) {
        listener.progress(new FileProgress(p.name(), p.bytes(), p.size(), Duration.ofNanos(p.elapsedNanos()),
                p.done(), p.transferNumber(), p.remaining(), p.listSize(), p.listsToCome()));
    }

    @Override
    public void deleted(String name) {
        listener.deleted(name);
    }

    @Override
    public void listed(ListedEntry entry, int humanReadable) {
        listener.listed(ListedFile.of(entry));
    }
}
