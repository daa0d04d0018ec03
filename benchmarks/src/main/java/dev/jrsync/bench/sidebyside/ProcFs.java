package dev.jrsync.bench.sidebyside;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What Linux's /proc says about a process tree (memory high-water marks, CPU ticks) and about the machine (busy
 * ticks, load average). A process that ends between two reads counts as zero: callers sample again.
 */
final class ProcFs {
    /** USER_HZ: the unit of every tick count in /proc, 100 on every Linux architecture's ABI. */
    static final long TICKS_PER_SECOND = 100;
    private static final Path PROC = Path.of("/proc");

    private ProcFs() {}

    /**
     * {@code pid} and its descendants, from each thread's children file: much cheaper than scanning all of /proc
     * (as {@link ProcessHandle#descendants()} does) when sampled every few milliseconds.
     */
    static List<Long> tree(long pid) {
        List<Long> all = new ArrayList<>();
        all.add(pid);
        for (int i = 0; i < all.size() && i < 10_000; i++) {
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(PROC.resolve(all.get(i) + "/task"))) {
                for (Path task : tasks) {
                    String children = Files.readString(task.resolve("children")).trim();
                    if (!children.isEmpty()) {
                        for (String c : children.split("\\s+")) {
                            all.add(Long.parseLong(c));
                        }
                    }
                }
            } catch (IOException | NumberFormatException gone) {
                // the process or thread ended while we read it
            }
        }
        return all;
    }

    /** The sum over {@code pid}'s tree of a /proc/PID/status field in KiB ("VmHWM", "VmRSS"). */
    static long treeKib(long pid, String field) {
        long sum = 0;
        for (long p : tree(pid)) {
            sum += kib(p, field);
        }
        return sum;
    }

    static long kib(long pid, String field) {
        try {
            for (String line : Files.readAllLines(PROC.resolve(pid + "/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | NumberFormatException gone) {
            // ended
        }
        return 0;
    }

    /** Resets the peak RSS (VmHWM) of {@code pid}'s tree to its current RSS: a long-lived daemon's peak per run. */
    static void resetPeak(long pid) {
        for (long p : tree(pid)) {
            try {
                Files.writeString(PROC.resolve(p + "/clear_refs"), "5");
            } catch (IOException gone) {
                // ended, or a kernel without clear_refs: the peak then spans the daemon's life so far
            }
        }
    }

    /** CPU ticks of {@code pid}: its own user and system time plus that of the children it has reaped. */
    static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(pid + "/stat"));
            // Fields after the command name, which is in parentheses and may hold spaces: state is field 3,
            // utime, stime, cutime and cstime are fields 14 to 17.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    /** CPU ticks of {@code pid}'s whole tree: every live process, each with the children it reaped. */
    static long treeCpuTicks(long pid) {
        long sum = 0;
        for (long p : tree(pid)) {
            sum += cpuTicks(p);
        }
        return sum;
    }

    /** Ticks all CPUs spent busy since boot: user, nice, system, irq, softirq and steal (guest time is in user). */
    static long busyTicks() {
        try {
            String[] f = Files.readAllLines(PROC.resolve("stat")).getFirst().trim().split("\\s+");
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                busy += i < f.length ? Long.parseLong(f[i]) : 0;
            }
            return busy;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The 1, 5 and 15 minute load averages. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(PROC.resolve("loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
