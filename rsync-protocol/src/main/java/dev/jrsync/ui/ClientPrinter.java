package dev.jrsync.ui;

import dev.jrsync.core.FileProgress;
import dev.jrsync.core.ItemEvent;
import dev.jrsync.core.ListedEntry;
import dev.jrsync.core.SessionLog;
import dev.jrsync.options.Options;
import java.util.Locale;

/**
 * The lines a client prints from its session's events, chosen by the user's {@code -v}, {@code -i} and
 * {@code --progress}: items ({@code rsync/log.c:log_item}, {@code maybe_log_item}), deletions ({@code log_delete})
 * and progress ({@code rsync/progress.c:show_progress}, {@code end_progress}). Lines and events both go on to the
 * log it wraps, so a caller that also collects events still gets them.
 */
public final class ClientPrinter implements SessionLog {
    private final SessionLog out;
    private final boolean names;
    private final int itemize;
    private final boolean progress;

    private ClientPrinter(SessionLog out, boolean names, int itemize, boolean progress) {
        this.out = out;
        this.names = names;
        this.itemize = itemize;
        this.progress = progress;
    }

    /** Prints to {@code out} what {@code options} ask for; {@code --progress} also names each file, as -v does. */
    public static SessionLog of(SessionLog out, Options options) {
        return new ClientPrinter(out, options.verbose() > 0 || options.progress(), options.itemizeChanges(),
                options.progress());
    }

    @Override
    public void info(String line) {
        out.info(line);
    }

    @Override
    public void error(String line) {
        out.error(line);
    }

    @Override
    public void partial(String text) {
        out.partial(text);
    }

    @Override
    public void listed(ListedEntry entry, int humanReadable) {
        out.listed(entry, humanReadable);
    }

    @Override
    public void item(ItemEvent item) {
        out.item(item);
        if (shows(item)) {
            out.info(itemLine(item));
        }
    }

    @Override
    public void deleted(String name) {
        out.deleted(name);
        if (itemize > 0) {
            out.info("*deleting   " + name);
        } else if (names) {
            out.info("deleting " + name);
        }
    }

    @Override
    public void progress(FileProgress p) {
        out.progress(p);
        if (progress) {
            out.partial(progressLine(p));
        }
    }

    /** Transferred items always show ({@code log_item}); the rest only with something significant to say. */
    private boolean shows(ItemEvent item) {
        if (!names && itemize == 0) {
            return false;
        }
        if (item.transferred()) {
            return true;
        }
        if (!item.significant()) {
            return itemize > 1;
        }
        return itemize > 0 || item.localChange() || item.directory();
    }

    private String itemLine(ItemEvent item) {
        String line = itemize > 0 ? item.changes() + " " + item.name() : item.name();
        return item.linkTarget() == null ? line : line + " -> " + item.linkTarget();
    }

    /** The line that the next one overwrites while a file goes, and the one a finished file leaves. */
    static String progressLine(FileProgress p) {
        if (!p.done()) {
            return line(p.bytes(), p.size(), 0, 0, "  ");
        }
        long millis = Math.max(1, p.elapsedNanos() / 1_000_000);
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
