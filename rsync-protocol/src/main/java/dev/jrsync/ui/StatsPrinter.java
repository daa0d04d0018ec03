package dev.jrsync.ui;

import dev.jrsync.session.TransferStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The end-of-run summary a client prints ({@code rsync/main.c:output_summary}). */
public final class StatsPrinter {
    private StatsPrinter() {}

    /** The {@code --stats} block. */
    public static List<String> stats(TransferStats s, long totalWritten, long totalRead) {
        List<String> l = new ArrayList<>();
        l.add(counts("Number of files", s.numFiles + s.numDirs + s.numSymlinks + s.numDevices + s.numSpecials,
                s.numFiles, s.numDirs, s.numSymlinks, s.numDevices, s.numSpecials));
        l.add(counts("Number of created files", s.createdFiles, s.createdFiles - s.createdDirs - s.createdSymlinks
                - s.createdDevices - s.createdSpecials, s.createdDirs, s.createdSymlinks, s.createdDevices, s.createdSpecials));
        l.add(counts("Number of deleted files", s.deletedTotal(), s.deletedFiles, s.deletedDirs, s.deletedSymlinks,
                s.deletedDevices, s.deletedSpecials));
        l.add("Number of regular files transferred: " + comma(s.transferredFiles));
        l.add("Total file size: " + comma(s.totalSize) + " bytes");
        l.add("Total transferred file size: " + comma(s.totalTransferredSize) + " bytes");
        l.add("Literal data: " + comma(s.literalData) + " bytes");
        l.add("Matched data: " + comma(s.matchedData) + " bytes");
        l.add("File list size: " + comma(s.flistSize));
        l.add(String.format(Locale.ROOT, "File list generation time: %.3f seconds", s.flistBuildMillis / 1000.0));
        l.add(String.format(Locale.ROOT, "File list transfer time: %.3f seconds", s.flistXferMillis / 1000.0));
        l.add("Total bytes sent: " + comma(totalWritten));
        l.add("Total bytes received: " + comma(totalRead));
        return l;
    }

    /** The two closing lines {@code -v} and {@code --stats} print. */
    public static List<String> summary(TransferStats s, long totalWritten, long totalRead, double seconds) {
        double rate = seconds > 0 ? (totalWritten + totalRead) / seconds : 0;
        double speedup = totalWritten + totalRead > 0 ? (double) s.totalSize / (totalWritten + totalRead) : 0;
        return List.of(
                String.format(Locale.ROOT, "sent %s bytes  received %s bytes  %s bytes/sec", comma(totalWritten),
                        comma(totalRead), comma2(rate)),
                String.format(Locale.ROOT, "total size is %s  speedup is %.2f", comma(s.totalSize), speedup));
    }

    private static String counts(String label, long total, long reg, long dir, long link, long dev, long special) {
        StringBuilder sb = new StringBuilder(label).append(": ").append(comma(total));
        List<String> parts = new ArrayList<>();
        if (reg > 0) {
            parts.add("reg: " + comma(reg));
        }
        if (dir > 0) {
            parts.add("dir: " + comma(dir));
        }
        if (link > 0) {
            parts.add("link: " + comma(link));
        }
        if (dev > 0) {
            parts.add("dev: " + comma(dev));
        }
        if (special > 0) {
            parts.add("special: " + comma(special));
        }
        if (!parts.isEmpty()) {
            sb.append(" (").append(String.join(", ", parts)).append(')');
        }
        return sb.toString();
    }

    static String comma(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    private static String comma2(double v) {
        return String.format(Locale.ROOT, "%,.2f", v);
    }
}
