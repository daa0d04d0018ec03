package dev.jrsync.bench.sidebyside;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** RESULTS.md and its chart, written from one harness run. */
final class Report {
    private Report() {}

    static void write(Path dir, String header, List<Result> results, List<LiveMirror.Outcome> live, List<String> notes)
            throws IOException {
        StringBuilder md = new StringBuilder(header);
        md.append("\n![jrsync time / stock rsync time per case](results.svg)\n\n");
        md.append("| case | what | stock rsync | jrsync | ratio | wire bytes stock / jrsync | peak RSS stock / jrsync |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|\n");
        for (Result r : results) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %d ms | %d ms | **%.2f** | %s / %s | %s / %s |%n",
                    r.name(), r.what(), r.medianMillis(r.stock()), r.medianMillis(r.jrsync()), r.ratio(),
                    bytes(Result.median(r.stock(), Measured::wireBytes)),
                    bytes(Result.median(r.jrsync(), Measured::wireBytes)),
                    mib(Result.max(r.stock(), Measured::peakRssKib)), mib(Result.max(r.jrsync(), Measured::peakRssKib))));
        }
        if (!live.isEmpty()) {
            md.append("\n## Live mirror: change-to-replica latency\n\n"
                    + "One small file rewritten in place again and again (same size each time), each version waited "
                    + "for in the replica (a local folder, or the module directory of a stock rsync daemon on loopback); "
                    + "a version not there within 5 s is a lost update.\n\n"
                    + "| mirror | rewrites | p50 | p99 | lost |\n|---|---:|---:|---:|---:|\n");
            live.forEach(o -> md.append(o.row()).append('\n'));
        }
        md.append('\n');
        for (String n : notes) {
            md.append("- ").append(n).append('\n');
        }
        Files.writeString(dir.resolve("RESULTS.md"), md.toString());
        Files.writeString(dir.resolve("results.svg"), chart(results));
    }

    private static String bytes(long b) {
        return b < 0 ? "–" : String.format(Locale.ROOT, "%,d", b);
    }

    private static String mib(long kib) {
        return kib <= 0 ? "–" : String.format(Locale.ROOT, "%.0f MiB", kib / 1024.0);
    }

    /** Horizontal bars of jrsync/stock per case, with the 1.0 line a reader compares against. */
    static String chart(List<Result> results) {
        int rowHeight = 26;
        int left = 260;
        int width = 760;
        int plot = width - left - 70;
        double maxRatio = Math.max(2.0, results.stream().mapToDouble(Result::ratio).max().orElse(1));
        int height = 50 + rowHeight * results.size();
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", width, height));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"14\">jrsync time / stock rsync time "
                + "(median; below 1.0 jrsync is faster)</text>%n", 10));
        for (int i = 0; i < results.size(); i++) {
            Result r = results.get(i);
            int y = 34 + i * rowHeight;
            double w = plot * r.ratio() / maxRatio;
            String color = r.ratio() <= 1.0 ? "#2e7d32" : "#c62828";
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                    left - 8, y + 15, r.name()));
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"18\" fill=\"%s\"/>%n",
                    left, y + 2, w, color));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%.2f</text>%n", left + w + 4, y + 15,
                    r.ratio()));
        }
        double one = left + plot / maxRatio;
        svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"28\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\" "
                + "stroke-dasharray=\"4 3\"/>%n", one, one, height - 8));
        svg.append("</svg>\n");
        return svg.toString();
    }
}
