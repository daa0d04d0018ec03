package dev.jrsync.bench.sidebyside;

import java.util.Locale;

/**
 * The machine's load over a stretch of the run: the CPU that processes outside the harness took meanwhile (all
 * busy ticks in /proc/stat minus those of the harness's own process tree), and the load average at both ends.
 * On two cores another process's CPU second is a second the measured tools may wait for, so a reader needs it
 * to judge the figures.
 */
record Load(double seconds, double ourCpuSeconds, double otherCpuSeconds, String loadBefore, String loadAfter) {

    /** A point to measure from. */
    record Mark(long nanos, long busyTicks, long ourTicks, String load) {
        static Mark now() {
            // Our tree: the harness JVM with every child it reaped (the measured commands), and every live child
            // (the daemons) with the children each of them reaped (their sessions).
            long ours = ProcFs.treeCpuTicks(ProcessHandle.current().pid());
            return new Mark(System.nanoTime(), ProcFs.busyTicks(), ours, ProcFs.loadAverage());
        }

        Load since() {
            Mark end = now();
            double ours = (double) (end.ourTicks - ourTicks) / ProcFs.TICKS_PER_SECOND;
            double all = (double) (end.busyTicks - busyTicks) / ProcFs.TICKS_PER_SECOND;
            return new Load((end.nanos - nanos) / 1e9, ours, Math.max(0, all - ours), load, end.load);
        }
    }

    /** How many cores other processes kept busy on average. */
    double otherCores() {
        return seconds <= 0 ? 0 : otherCpuSeconds / seconds;
    }

    /** The sentence RESULTS.md's header gives. */
    String describe(int cores) {
        return String.format(Locale.ROOT, "Load during the run: load average %s before and %s after; over the "
                + "%.0f s of measurements (%.0f CPU-s on %d cores) the harness and the tools it ran took %.0f CPU-s "
                + "and other processes %.0f CPU-s, %.2f cores on average", loadBefore, loadAfter, seconds,
                seconds * cores, cores, ourCpuSeconds, otherCpuSeconds, otherCores());
    }
}
