package dev.jrsync.ui;

import dev.jrsync.api.FileItem;
import dev.jrsync.api.FileProgress;
import dev.jrsync.api.ListedFile;
import dev.jrsync.api.Message;
import dev.jrsync.api.TransferListener;
import dev.jrsync.core.ExitCode;
import dev.jrsync.core.ItemEvent;
import dev.jrsync.core.LogFormat;
import dev.jrsync.core.RsyncException;
import dev.jrsync.core.SessionLog;
import dev.jrsync.fs.OperatorPath;
import dev.jrsync.fs.Posix;
import dev.jrsync.options.Options;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Set;

/**
 * {@code --log-file} of a client or of a {@code --server} ({@code rsync/log.c:logit}, {@code log_item} with FLOG,
 * {@code log_exit}): each line "YYYY/MM/DD HH:MM:SS [PID] " and what rsync logs: the file list's start, each item
 * as {@code --log-file-format} (default "%i %n%L") shows it, deletions, every message but the client-only ones,
 * and the closing summary. Everything also goes on to the listener it wraps, or to the server's log it tees.
 */
public final class LogFile implements TransferListener, AutoCloseable {
    /** rsync's FCLIENT lines, which stay off the log. */
    private static final Set<String> CLIENT_ONLY = Set.of("sending incremental file list",
            "receiving incremental file list", "sending file list", "receiving file list", "building file list",
            "building file list ... done", "receiving file list ... done");

    private final TransferListener inner;
    private final PrintStream file;
    private final String format;
    private final boolean owners;
    private final boolean groups;
    private final String prefix = " [" + ProcessHandle.current().pid() + "] ";

    private LogFile(TransferListener inner, PrintStream file, Options o) {
        this.inner = inner;
        this.file = file;
        this.format = o.logFileFormatOrDefault();
        this.owners = o.owner();
        this.groups = o.group();
    }

    /**
     * Opens (appends to) {@code options.logFile()} and logs the run's start: "building file list" for a side that
     * sends, "receiving file list" for a pull. rsync's "failed to open log-file" (exit 11) when it cannot.
     */
    public static LogFile open(TransferListener inner, Options options, boolean sending) {
        try {
            PrintStream file = new PrintStream(appending(options.logFile(), options.insecureLinks()), true, StandardCharsets.UTF_8);
            LogFile log = new LogFile(inner, file, options);
            log.line(sending ? "building file list" : "receiving file list");
            return log;
        } catch (IOException e) {
            throw new RsyncException(ExitCode.FILE_IO, "rsync: failed to open log-file " + options.logFile() + ": "
                    + Posix.describe(e));
        }
    }

    /**
     * The log file opened to append, as rsync 3.5 opens it ({@code open_no_attacker_symlinks}): through root's and
     * this user's symlinks only, at the leaf and on the way, so that a symlink someone else planted cannot make a
     * privileged run write its log into a file of the planter's choosing. A missing file is created beneath its
     * directory, or where a symlink that may be followed leads. {@code --insecure-links} follows anyone's.
     */
    private static OutputStream appending(String name, boolean insecureLinks) throws IOException {
        int fd = OperatorPath.createFile(Path.of(""), name, insecureLinks);
        try {
            return Files.newOutputStream(OperatorPath.pinned(fd), StandardOpenOption.APPEND);
        } finally {
            Posix.close(fd);
        }
    }

    private synchronized void line(String text) {
        file.println(LogFormat.STAMP.format(LocalDateTime.now()) + prefix + text);
    }

    @Override
    public void item(FileItem item) {
        inner.item(item);
        if (logs(item.transferred() || item.significant() || item.hardLinkTo().isPresent())) {
            line(ClientPrinter.itemLine(format, item, owners, groups));
        }
    }

    @Override
    public void deleted(String name) {
        inner.deleted(name);
        deletionLogged(name);
    }

    @Override
    public void message(Message m) {
        inner.message(m);
        logged(m.text());
    }

    @Override
    public void progress(FileProgress p) {
        inner.progress(p);
    }

    @Override
    public void listed(ListedFile f) {
        inner.listed(f);
    }

    /**
     * The run's closing lines: those the client printed ({@code -v}, {@code --stats}), else rsync's own summary line
     * for the log ({@code log_exit}: "sent N bytes  received N bytes  total size N").
     */
    public void summary(List<String> printed, long sent, long received, long totalSize) {
        if (printed.isEmpty()) {
            line("sent " + StatsPrinter.comma(sent) + " bytes  received " + StatsPrinter.comma(received)
                    + " bytes  total size " + StatsPrinter.comma(totalSize));
        } else {
            printed.stream().filter(l -> !l.isEmpty()).forEach(this::line);
        }
    }

    /**
     * A server's log: everything goes on to {@code messages} (the client) as before, and into this file as a
     * client's would. A server opens it with {@link TransferListener#NONE} inside.
     */
    public SessionLog teeing(SessionLog messages) {
        return new SessionLog() {
            @Override
            public void info(String line) {
                messages.info(line);
                logged(line);
            }

            @Override
            public void error(String line) {
                messages.error(line);
                logged(line);
            }

            @Override
            public void warning(String line) {
                messages.warning(line);
                logged(line);
            }

            @Override
            public void item(ItemEvent item) {
                messages.item(item);
                if (logs(item.transferred() || item.significant() || item.hardLinkTo() != null)) {
                    line(ClientPrinter.itemLine(format, item, owners, groups));
                }
            }

            @Override
            public void deleted(String name) {
                messages.deleted(name);
                deletionLogged(name);
            }

            @Override
            public void progress(dev.jrsync.core.FileProgress progress) {
                messages.progress(progress);
            }
        };
    }

    /** Whether an item is logged: rsync's log_item for what changed or went, when the format is not empty. */
    private boolean logs(boolean changed) {
        return changed && !format.isEmpty();
    }

    private void deletionLogged(String name) {
        line(ClientPrinter.deletionLine(format, name, owners, groups));
    }

    private void logged(String text) {
        if (!CLIENT_ONLY.contains(text.strip())) {
            line(text);
        }
    }

    @Override
    public void close() {
        file.close();
    }
}
