package dev.jrsync.ui;

import dev.jrsync.api.FileItem;
import dev.jrsync.api.FileProgress;
import dev.jrsync.api.ListedFile;
import dev.jrsync.api.Message;
import dev.jrsync.api.TransferListener;
import dev.jrsync.client.LogFileWriter;
import dev.jrsync.options.Options;
import java.util.List;

/**
 * A client's {@code --log-file} as a transfer listener: each event goes on to the listener it wraps and into the
 * log ({@link LogFileWriter}), as rsync's client logs it.
 */
public final class LogFile implements TransferListener, AutoCloseable {
    private final TransferListener inner;
    private final LogFileWriter log;

    private LogFile(TransferListener inner, LogFileWriter log) {
        this.inner = inner;
        this.log = log;
    }

    /** Opens the log ({@link LogFileWriter#open}) in front of {@code inner}. */
    public static LogFile open(TransferListener inner, Options options, boolean sending) {
        return new LogFile(inner, LogFileWriter.open(options, sending));
    }

    @Override
    public void item(FileItem item) {
        inner.item(item);
        log.item(item.transferred() || item.significant() || item.hardLinkTo().isPresent(),
                (format, owners, groups) -> ClientPrinter.itemLine(format, item, owners, groups));
    }

    @Override
    public void deleted(String name) {
        inner.deleted(name);
        log.deleted(name);
    }

    @Override
    public void message(Message m) {
        inner.message(m);
        log.message(m.text());
    }

    @Override
    public void progress(FileProgress p) {
        inner.progress(p);
    }

    @Override
    public void listed(ListedFile f) {
        inner.listed(f);
    }

    /** The run's closing lines ({@link LogFileWriter#summary}). */
    public void summary(List<String> printed, long sent, long received, long totalSize) {
        log.summary(printed, sent, received, totalSize);
    }

    @Override
    public void close() {
        log.close();
    }
}
