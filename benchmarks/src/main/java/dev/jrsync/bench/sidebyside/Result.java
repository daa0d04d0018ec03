package dev.jrsync.bench.sidebyside;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToLongFunction;

/** All runs of one case: stock rsync's and jrsync's, alternated. */
record Result(String name, String what, List<Measured> stock, List<Measured> jrsync) {

    long medianMillis(List<Measured> runs) {
        return median(runs, Measured::millis);
    }

    double ratio() {
        return (double) medianMillis(jrsync) / Math.max(1, medianMillis(stock));
    }

    static long median(List<Measured> runs, ToLongFunction<Measured> f) {
        long[] v = runs.stream().mapToLong(f).sorted().toArray();
        return v.length == 0 ? -1 : v[v.length / 2];
    }

    static long max(List<Measured> runs, ToLongFunction<Measured> f) {
        return Arrays.stream(runs.stream().mapToLong(f).toArray()).max().orElse(-1);
    }
}
