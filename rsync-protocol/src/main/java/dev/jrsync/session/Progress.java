package dev.jrsync.session;

import dev.jrsync.core.SessionLog;
import java.util.Locale;

/**
 * The {@code --progress} lines of one file ({@code rsync/progress.c:print_progress}): each update
 * starts with a carriage return so the next overwrites it; the last one ends with the transfer count
 * and how many list entries are left to check.
 */
public final class Progress {
    private final SessionLog log;
    private final boolean enabled;
    private int transferred;
    private long startNanos;

    public Progress(SessionLog log, boolean enabled) {
        this.log = log;
        this.enabled = enabled;
    }

    /** A file's transfer begins. */
    public void start(long size) {
        if (!enabled) {
            return;
        }
        startNanos = System.nanoTime();
        log.partial(line(0, size, 0, 0, "  "));
    }

    /**
     * A file's transfer ended with {@code bytes} of {@code size}; {@code ndx} of {@code listSize} entries, more
     * of which may still come ({@code listsToCome}: incremental recursion's "ir-chk").
     */
    public void end(long bytes, long size, int ndx, int listSize, boolean listsToCome) {
        if (!enabled) {
            return;
        }
        transferred++;
        long millis = Math.max(1, (System.nanoTime() - startNanos) / 1_000_000);
        double kibPerSecond = bytes * 1000.0 / millis / 1024.0;
        String eol = String.format(Locale.ROOT, " (xfr#%d, %s-chk=%d/%d)", transferred, listsToCome ? "ir" : "to",
                listSize - ndx - 1, listSize);
        log.partial(line(bytes, size, kibPerSecond, millis / 1000.0, eol) + "\n");
    }

    static String line(long ofs, long size, double kibPerSecond, double seconds, String eol) {
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
