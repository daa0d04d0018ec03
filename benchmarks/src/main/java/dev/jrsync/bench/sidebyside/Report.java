package dev.jrsync.bench.sidebyside;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** RESULTS.md and its chart, written from one harness run. */
final class Report {
    private Report() {}

    static void write(Path dir, String header, List<Result> results, DaemonMemory daemonMemory,
                      List<LiveMirror.Outcome> live, List<String> notes) throws IOException {
        Files.createDirectories(dir);
        StringBuilder md = new StringBuilder(header);
        md.append("\n![jrsync / stock rsync per case, wall time and CPU time](results.svg)\n\n");
        md.append("| case | what | wall stock / jrsync | ratio | CPU stock / jrsync | ratio | peak RSS stock / jrsync "
                + "| wire bytes stock / jrsync | others |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Result r : results) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s / %s | **%.2f** | %s / %s | **%.2f** | %s / %s "
                            + "| %s / %s | %.2f |%n",
                    r.name(), r.what(),
                    ms(Result.median(r.stock(), Measured::wallMicros)),
                    ms(Result.median(r.jrsync(), Measured::wallMicros)), r.wallRatio(),
                    ms(Result.median(r.stock(), Measured::cpuMicros)),
                    ms(Result.median(r.jrsync(), Measured::cpuMicros)), r.cpuRatio(),
                    mib(Result.median(r.stock(), Measured::peakRssKib)),
                    mib(Result.median(r.jrsync(), Measured::peakRssKib)),
                    bytes(Result.median(r.stock(), Measured::wireBytes)),
                    bytes(Result.median(r.jrsync(), Measured::wireBytes)), r.load().otherCores()));
        }
        md.append("\nThe client's Netty layer against a plain blocking socket, before and after issue 12's bridge "
                + "change: [NETTY.md](NETTY.md).\n");
        if (daemonMemory != null) {
            md.append("\n## Daemon memory\n\n").append(daemonMemory.table());
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
        md.append(HOW_TO_RUN);
        Files.writeString(dir.resolve("RESULTS.md"), md.toString());
        Files.writeString(dir.resolve("results.svg"), chart(results));
    }

    private static final String HOW_TO_RUN = """

            ## How to run

            `benchmarks/run` builds the harness and runs every case with the default sizes, then rewrites this file
            and results.svg. Run it on a quiet machine: the header states how much CPU other processes took during
            the run, and the "others" column says it per case. The defaults (1024 MiB large file, 100,000 small
            files, a 200 MiB push, no-ops of 10,000 files, 64 concurrent clients, 3 runs per tool, 10 for
            `--version`, at most 90 s per case and 600 s for all cases, 20 rewrites per live mirror) keep the whole
            of benchmarks/run under 15 minutes on two cores: the 100,000-file pushes get one pair of runs, and a
            case that would pass its budget gets fewer runs, named in the notes. Small sizes check the harness
            itself in two minutes (three or four with the build, on a busy machine):

                benchmarks/run --size-mib=16 --files=2000 --push-mib=8 --noop-files=1000 --clients=8 --runs=1 \\
                    --version-runs=3 --rewrites=3 --out=/tmp/bench-check

            `--rewrites=0` skips the live mirrors; `--out` leaves this file and the chart as they are.
            """;

    static String ms(long micros) {
        if (micros < 0) {
            return "–";
        }
        return micros < 10_000 ? String.format(Locale.ROOT, "%.1f ms", micros / 1000.0)
                : String.format(Locale.ROOT, "%d ms", micros / 1000);
    }

    static String mib(long kib) {
        return kib <= 0 ? "–" : String.format(Locale.ROOT, "%.0f MiB", kib / 1024.0);
    }

    private static String bytes(long b) {
        return b < 0 ? "–" : String.format(Locale.ROOT, "%,d", b);
    }

    /**
     * Two bars per case, jrsync/stock for wall time (dark) and CPU time (light), from the 1.0 line on a log scale:
     * left is jrsync spending less, right more, and a ratio of 20 still leaves the ratios near 1 readable.
     */
    static String chart(List<Result> results) {
        int rowHeight = 30;
        int left = 280;
        int width = 860;
        int plot = width - left - 60;
        double lo = -2;
        double hi = 2;
        for (Result r : results) {
            for (double v : new double[] {r.wallRatio(), r.cpuRatio()}) {
                if (v > 0) {
                    lo = Math.min(lo, Math.floor(log2(v)));
                    hi = Math.max(hi, Math.ceil(log2(v)));
                }
            }
        }
        lo = Math.max(lo, -6);
        hi = Math.min(hi, 7);
        int top = 52;
        int height = top + 12 + rowHeight * results.size();
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", width, height));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append("<text x=\"10\" y=\"18\" font-size=\"14\">jrsync / stock rsync, medians: dark = wall time, "
                + "light = CPU time; log scale, left of 1 jrsync spends less</text>\n");
        for (double e = lo; e <= hi; e++) {
            double x = left + plot * (e - lo) / (hi - lo);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" "
                    + "%s/>%n", x, top - 8, x, height - 6, e == 0 ? "black" : "#ccc",
                    e == 0 ? "stroke-dasharray=\"4 3\" " : ""));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">"
                    + "%s</text>%n", x, top - 12, tick(e)));
        }
        double one = left + plot * (0 - lo) / (hi - lo);
        for (int i = 0; i < results.size(); i++) {
            Result r = results.get(i);
            int y = top + i * rowHeight;
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                    left - 8, y + 17, escape(r.name())));
            bar(svg, r.wallRatio(), y + 2, one, left, plot, lo, hi, "#2e7d32", "#c62828");
            bar(svg, r.cpuRatio(), y + 14, one, left, plot, lo, hi, "#81c784", "#e57373");
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static void bar(StringBuilder svg, double ratio, int y, double one, int left, int plot, double lo,
                            double hi, String less, String more) {
        if (ratio <= 0) {
            return;
        }
        double e = Math.max(lo, Math.min(hi, log2(ratio)));
        double x = left + plot * (e - lo) / (hi - lo);
        svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"11\" fill=\"%s\"/>%n",
                Math.min(x, one), y, Math.max(1, Math.abs(x - one)), ratio <= 1.0 ? less : more));
        // The figure goes right of the bar's far end, or right of the 1.0 line for a bar that points left: there it
        // never runs into the case names, even for a bar clipped at the edge.
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\">%.2f</text>%n",
                Math.max(x, one) + 3, y + 10, ratio));
    }

    private static String tick(double exponent) {
        return exponent >= 0 ? Long.toString(1L << (long) exponent) : "1/" + (1L << (long) -exponent);
    }

    private static double log2(double v) {
        return Math.log(v) / Math.log(2);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
