package dev.jrsync.client;

import dev.jrsync.core.ExitCode;
import dev.jrsync.core.ItemEvent;
import dev.jrsync.core.ListedEntry;
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
 * as {@code --log-file-format} (default "%i %n%L") shows it, deletions, every message but the client-only ones, and
 * the closing summary. A server tees its session's log into it ({@link #teeing}); a client's listener feeds it.
 */
public final class LogFileWriter implements AutoCloseable {
    /** rsync's FCLIENT lines, which stay off the log. */
    private static final Set<String> CLIENT_ONLY = Set.of("sending incremental file list",
            "receiving incremental file list", "sending file list", "receiving file list", "building file list",
            "building file list ... done", "receiving file list ... done");

    /** How a caller's own kind of item becomes a line, given the log's format and whether owners and groups show. */
    public interface ItemLine {
        String of(String format, boolean owners, boolean groups);
    }

    private final PrintStream file;
    private final String format;
    private final boolean owners;
    private final boolean groups;
    private final String prefix = " [" + ProcessHandle.current().pid() + "] ";

    private LogFileWriter(PrintStream file, Options o) {
        this.file = file;
        this.format = o.logFileFormatOrDefault();
        this.owners = o.owner();
        this.groups = o.group();
    }

    /**
     * Opens (appends to) {@code options.logFile()} and logs the run's start: "building file list" for a side that
     * sends, "receiving file list" for one that receives. rsync's "failed to open log-file" (exit 11) when it cannot.
     */
    public static LogFileWriter open(Options options, boolean sending) {
        try {
            PrintStream file = new PrintStream(appending(options.logFile(), options.insecureLinks()), true,
                    StandardCharsets.UTF_8);
            LogFileWriter log = new LogFileWriter(file, options);
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

    /** A message, unless it is one of rsync's client-only lines. */
    public void message(String text) {
        if (!CLIENT_ONLY.contains(text.strip())) {
            line(text);
        }
    }

    /** An item, logged as rsync's log_item does for what {@code changed} (changed, went, or was linked). */
    public void item(boolean changed, ItemLine item) {
        if (changed && !format.isEmpty()) {
            line(item.of(format, owners, groups));
        }
    }

    public void deleted(String name) {
        line(LogFormat.deletion(format, name, owners, groups));
    }

    /**
     * The run's closing lines: those the client printed ({@code -v}, {@code --stats}), else rsync's own summary line
     * for the log ({@code log_exit}: "sent N bytes  received N bytes  total size N").
     */
    public void summary(List<String> printed, long sent, long received, long totalSize) {
        if (printed.isEmpty()) {
            line("sent " + ListedEntry.bigNumber(sent, 1) + " bytes  received " + ListedEntry.bigNumber(received, 1)
                    + " bytes  total size " + ListedEntry.bigNumber(totalSize, 1));
        } else {
            printed.stream().filter(l -> !l.isEmpty()).forEach(this::line);
        }
    }

    /** A server's log: everything goes on to {@code messages} (the client) as before, and into this file. */
    public SessionLog teeing(SessionLog messages) {
        return new SessionLog() {
            @Override
            public void info(String line) {
                messages.info(line);
                message(line);
            }

            @Override
            public void error(String line) {
                messages.error(line);
                message(line);
            }

            @Override
            public void warning(String line) {
                messages.warning(line);
                message(line);
            }

            @Override
            public void item(ItemEvent item) {
                messages.item(item);
                LogFileWriter.this.item(item.transferred() || item.significant() || item.hardLinkTo() != null,
                        (format, owners, groups) -> LogFormat.item(format, item, owners, groups));
            }

            @Override
            public void deleted(String name) {
                messages.deleted(name);
                LogFileWriter.this.deleted(name);
            }

            @Override
            public void progress(dev.jrsync.core.FileProgress progress) {
                messages.progress(progress);
            }
        };
    }

    @Override
    public void close() {
        file.close();
    }
}
