package dev.jrsync.bench.sidebyside;

import java.util.Locale;

/**
 * A daemon's memory, stock rsync's against jrsync's: resident when idle (started, greeted one probe, then left
 * alone), at its peak while serving a batch of concurrent sessions, and what each session added on average.
 */
record DaemonMemory(int sessions, long stockIdleKib, long jrsyncIdleKib, long stockPeakKib, long jrsyncPeakKib) {

    String table() {
        return "| daemon | idle RSS | peak RSS, " + sessions + " sessions | per session |\n|---|---:|---:|---:|\n"
                + row("stock rsync", stockIdleKib, stockPeakKib) + row("jrsync", jrsyncIdleKib, jrsyncPeakKib);
    }

    private String row(String who, long idle, long peak) {
        return String.format(Locale.ROOT, "| %s | %.1f MiB | %.1f MiB | %.2f MiB |%n", who, idle / 1024.0,
                peak / 1024.0, Math.max(0, peak - idle) / 1024.0 / Math.max(1, sessions));
    }
}
