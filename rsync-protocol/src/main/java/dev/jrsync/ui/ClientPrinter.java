package dev.jrsync.ui;

import dev.jrsync.api.FileItem;
import dev.jrsync.api.FileProgress;
import dev.jrsync.api.ListedFile;
import dev.jrsync.api.Message;
import dev.jrsync.api.TransferListener;
import dev.jrsync.core.LogFormat;
import dev.jrsync.core.SessionLog;
import dev.jrsync.options.Options;
import java.util.Locale;

/**
 * The lines a client prints from a transfer's events, chosen by the user's {@code -v}, {@code -i},
 * {@code --progress} and {@code -h}: items ({@code rsync/log.c:log_item}, {@code maybe_log_item}), deletions
 * ({@code log_delete}), progress ({@code rsync/progress.c:show_progress}, {@code end_progress}), listing entries
 * ({@code rsync/generator.c:list_file_entry}) and the messages of both sides.
 */
public final class ClientPrinter implements TransferListener {
    // %C: rsync's blanks for a file whose whole-file sum the client did not keep (an MD5's 32 hex digits)

    private final SessionLog lines;
    private final String format;
    private final int formatHasI;
    private final boolean deletions;
    private final int verbose;
    private final boolean owners;
    private final boolean groups;
    private final boolean progress;
    private final int humanReadable;

    private ClientPrinter(SessionLog lines, Options o) {
        this.lines = lines;
        this.format = o.stdoutFormat();
        this.formatHasI = o.stdoutFormatHasI();
        this.deletions = o.verbose() > 0 || format != null;
        this.verbose = o.verbose();
        this.owners = o.owner();
        this.groups = o.group();
        this.progress = o.progress();
        this.humanReadable = o.humanReadable();
    }

    /**
     * Prints to {@code lines} (its info, error and partial lines) what {@code options} ask for; {@code --progress}
     * also names each file, as -v does.
     */
    public static ClientPrinter of(SessionLog lines, Options options) {
        return new ClientPrinter(lines, options);
    }

    @Override
    public void message(Message m) {
        if (m.level() == Message.Level.INFO) {
            lines.info(m.text());
        } else {
            lines.error(m.text());
        }
    }

    @Override
    public void listed(ListedFile file) {
        lines.info(file.line(humanReadable));
    }

    @Override
    public void item(FileItem item) {
        if (shows(item)) {
            lines.info(itemLine(item));
        }
    }

    @Override
    public void deleted(String name) {
        if (deletions) {
            lines.info(LogFormat.deletion(format, name, owners, groups));
        }
    }

    @Override
    public void progress(FileProgress p) {
        if (progress) {
            lines.partial(progressLine(p));
        }
    }

    /**
     * A transferred item always shows ({@code log_item}); the rest only with something significant to say, as
     * {@code rsync/log.c:maybe_log_item} decides on a client.
     */
    private boolean shows(FileItem item) {
        if (format == null) {
            return false;
        }
        if (item.transferred() || item.hardLinkTo().isPresent()) {
            return true; // a hard link's "=> name" always makes a line
        }
        boolean seeItem = formatHasI > 0 && (item.significant() || formatHasI > 1 || verbose > 1);
        return seeItem || item.significant() && (item.localChange() || item.directory());
    }

    private String itemLine(FileItem item) {
        return itemLine(format, item, owners, groups);
    }

    /** An item as {@code format} shows it on a client ({@code rsync/log.c:log_formatted}). */
    static String itemLine(String format, FileItem item, boolean owners, boolean groups) {
        return LogFormat.expand(format, new LogFormat.Item(item.operation(), item.name(), item.path(),
                item.changes(), item.mode(), item.size(), item.mtime(), owners ? item.uid() : null,
                groups ? item.gid() : null, item.linkTarget().orElse(null), item.hardLinkTo().orElse(null),
                item.bytes(), 0, item.checksum().orElse(LogFormat.NO_CHECKSUM), LogFormat.Session.CLIENT));
    }

    /** The line that the next one overwrites while a file goes, and the one a finished file leaves. */
    static String progressLine(FileProgress p) {
        if (!p.done()) {
            return line(p.bytes(), p.size(), 0, 0, "  ");
        }
        long millis = Math.max(1, p.elapsed().toMillis());
        double kibPerSecond = p.bytes() * 1000.0 / millis / 1024.0;
        String eol = String.format(Locale.ROOT, " (xfr#%d, %s-chk=%d/%d)", p.transferNumber(),
                p.listsToCome() ? "ir" : "to", p.remaining(), p.listSize());
        return line(p.bytes(), p.size(), kibPerSecond, millis / 1000.0, eol) + "\n";
    }

    private static String line(long ofs, long size, double kibPerSecond, double seconds, String eol) {
        double rate = kibPerSecond;
        String units = "kB/s";
        if (rate > 1024 * 1024) {
            rate /= 1024.0 * 1024.0;
            units = "GB/s";
        } else if (rate > 1024) {
            rate /= 1024.0;
            units = "MB/s";
        }
        int pct = ofs == size ? 100 : (int) (100.0 * ofs / size);
        String remain = String.format(Locale.ROOT, "%4d:%02d:%02d", (int) (seconds / 3600), (int) (seconds / 60) % 60,
                (int) seconds % 60);
        return String.format(Locale.ROOT, "\r%15s %3d%% %7.2f%s %s%s", StatsPrinter.comma(ofs), pct, rate, units,
                remain, eol);
    }
}
