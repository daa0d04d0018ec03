package dev.jrsync.ui;

import dev.jrsync.api.Stats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The end-of-run summary a client prints ({@code rsync/main.c:output_summary}). */
public final class StatsPrinter {
    private StatsPrinter() {}

    /** The {@code --stats} block; {@code humanReadable} is rsync's level (1 by default, one more per {@code -h}). */
    public static List<String> stats(Stats s, int humanReadable) {
        List<String> l = new ArrayList<>();
        l.add(counts("Number of files", s.listed()));
        l.add(counts("Number of created files", s.created()));
        l.add(counts("Number of deleted files", s.deleted()));
        l.add("Number of regular files transferred: " + comma(s.transferredFiles()));
        l.add("Total file size: " + num(s.totalSize(), humanReadable) + " bytes");
        l.add("Total transferred file size: " + num(s.transferredSize(), humanReadable) + " bytes");
        l.add("Literal data: " + num(s.literalBytes(), humanReadable) + " bytes");
        l.add("Matched data: " + num(s.matchedBytes(), humanReadable) + " bytes");
        l.add("File list size: " + num(s.fileListBytes(), humanReadable));
        l.add(String.format(Locale.ROOT, "File list generation time: %.3f seconds", s.fileListBuildTime().toMillis() / 1000.0));
        l.add(String.format(Locale.ROOT, "File list transfer time: %.3f seconds", s.fileListSendTime().toMillis() / 1000.0));
        l.add("Total bytes sent: " + num(s.bytesSent(), humanReadable));
        l.add("Total bytes received: " + num(s.bytesReceived(), humanReadable));
        return l;
    }

    /** The two closing lines {@code -v} and {@code --stats} print; a dry run's end in " (DRY RUN)". */
    public static List<String> summary(Stats s, Duration elapsed, boolean dryRun, int humanReadable) {
        long moved = s.bytesSent() + s.bytesReceived();
        double seconds = elapsed.toNanos() / 1e9;
        double rate = seconds > 0 ? moved / seconds : 0;
        double speedup = moved > 0 ? (double) s.totalSize() / moved : 0;
        return List.of(
                String.format(Locale.ROOT, "sent %s bytes  received %s bytes  %s bytes/sec",
                        num(s.bytesSent(), humanReadable), num(s.bytesReceived(), humanReadable),
                        humanReadable > 1 && rate >= unit(humanReadable) ? num((long) rate, humanReadable)
                                : humanReadable > 0 ? comma2(rate) : String.format(Locale.ROOT, "%.2f", rate)),
                String.format(Locale.ROOT, "total size is %s  speedup is %.2f%s", num(s.totalSize(), humanReadable),
                        speedup, dryRun ? " (DRY RUN)" : ""));
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

    /**
     * A byte count as rsync's {@code human_num} prints it at level {@code humanReadable}: 0 ({@code --no-h}) bare,
     * 1 (the default) with thousands' commas, 2 ({@code -h}) from a unit up in units of 1000 with two decimals and
     * K, M, G..., 3 ({@code -hh}) in units of 1024.
     */
    static String num(long v, int humanReadable) {
        if (humanReadable == 0) {
            return Long.toString(v);
        }
        int unit = unit(humanReadable);
        if (humanReadable == 1 || v < unit && v > -unit) {
            return comma(v);
        }
        double d = (double) v / unit;
        int power = 0;
        String units = "KMGTPEZY";
        while ((d >= unit || d <= -unit) && power < units.length() - 1) {
            d /= unit;
            power++;
        }
        return String.format(Locale.ROOT, "%.2f%c", d, units.charAt(power));
    }

    private static int unit(int humanReadable) {
        return humanReadable == 2 ? 1000 : 1024;
    }

    static String comma(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    private static String comma2(double v) {
        return String.format(Locale.ROOT, "%,.2f", v);
    }
}
