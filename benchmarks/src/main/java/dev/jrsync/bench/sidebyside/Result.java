package dev.jrsync.bench.sidebyside;

import java.util.List;
import java.util.function.ToLongFunction;

/** All runs of one case, stock rsync's and jrsync's, alternated, and the load others put on the machine meanwhile. */
record Result(String name, String what, List<Measured> stock, List<Measured> jrsync, Load load) {

    /** jrsync's median over stock rsync's median of {@code f}: below 1.0 jrsync spends less. */
    double ratio(ToLongFunction<Measured> f) {
        return (double) median(jrsync, f) / Math.max(1, median(stock, f));
    }

    double wallRatio() {
        return ratio(Measured::wallMicros);
    }

    double cpuRatio() {
        return ratio(Measured::cpuMicros);
    }

    static long median(List<Measured> runs, ToLongFunction<Measured> f) {
        long[] v = runs.stream().mapToLong(f).sorted().toArray();
        return v.length == 0 ? -1 : v[v.length / 2];
    }
}
