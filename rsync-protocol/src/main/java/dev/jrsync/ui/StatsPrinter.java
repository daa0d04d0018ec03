package dev.jrsync.ui;

import dev.jrsync.api.Stats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The end-of-run summary a client prints ({@code rsync/main.c:output_summary}). */
public final class StatsPrinter {
    private StatsPrinter() {}

    /** The {@code --stats} block. */
    public static List<String> stats(Stats s) {
        List<String> l = new ArrayList<>();
        l.add(counts("Number of files", s.listed()));
        l.add(counts("Number of created files", s.created()));
        l.add(counts("Number of deleted files", s.deleted()));
        l.add("Number of regular files transferred: " + comma(s.transferredFiles()));
        l.add("Total file size: " + comma(s.totalSize()) + " bytes");
        l.add("Total transferred file size: " + comma(s.transferredSize()) + " bytes");
        l.add("Literal data: " + comma(s.literalBytes()) + " bytes");
        l.add("Matched data: " + comma(s.matchedBytes()) + " bytes");
        l.add("File list size: " + comma(s.fileListBytes()));
        l.add(String.format(Locale.ROOT, "File list generation time: %.3f seconds", s.fileListBuildTime().toMillis() / 1000.0));
        l.add(String.format(Locale.ROOT, "File list transfer time: %.3f seconds", s.fileListSendTime().toMillis() / 1000.0));
        l.add("Total bytes sent: " + comma(s.bytesSent()));
        l.add("Total bytes received: " + comma(s.bytesReceived()));
        return l;
    }

    /** The two closing lines {@code -v} and {@code --stats} print; a dry run's end in " (DRY RUN)". */
    public static List<String> summary(Stats s, Duration elapsed, boolean dryRun) {
        long moved = s.bytesSent() + s.bytesReceived();
        double seconds = elapsed.toNanos() / 1e9;
        double rate = seconds > 0 ? moved / seconds : 0;
        double speedup = moved > 0 ? (double) s.totalSize() / moved : 0;
        return List.of(
                String.format(Locale.ROOT, "sent %s bytes  received %s bytes  %s bytes/sec", comma(s.bytesSent()),
                        comma(s.bytesReceived()), comma2(rate)),
                String.format(Locale.ROOT, "total size is %s  speedup is %.2f%s", comma(s.totalSize()), speedup,
                        dryRun ? " (DRY RUN)" : ""));
    }

    private static String counts(String label, Stats.Counts c) {
        StringBuilder sb = new StringBuilder(label).append(": ").append(comma(c.total()));
        List<String> parts = new ArrayList<>();
        part(parts, "reg", c.regular());
        part(parts, "dir", c.directories());
        part(parts, "link", c.symlinks());
        part(parts, "dev", c.devices());
        part(parts, "special", c.specials());
        if (!parts.isEmpty()) {
            sb.append(" (").append(String.join(", ", parts)).append(')');
        }
        return sb.toString();
    }

    private static void part(List<String> parts, String kind, long count) {
        if (count > 0) {
            parts.add(kind + ": " + comma(count));
        }
    }

    static String comma(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    private static String comma2(double v) {
        return String.format(Locale.ROOT, "%,.2f", v);
    }
}
