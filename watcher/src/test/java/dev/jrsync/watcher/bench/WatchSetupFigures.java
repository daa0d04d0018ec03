package dev.jrsync.watcher.bench;

import dev.jrsync.watcher.TreeWatcher;
import dev.jrsync.watcher.WatchOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Set-up time and memory of watching a large tree (1000 directories below the root, the rest evenly below those)
 * with inotify and fanotify, and inotifywait on the same tree: wall time to established watches, the growth of
 * the process's RSS (inotifywait's: its whole RSS) and of its live heap, the kernel's inotify watches (from
 * /proc/PID/fdinfo), and the growth of the kernel's slab (/proc/meminfo; the machine's other activity adds
 * noise). Each run is a fresh JVM, so the heap starts alike. Figures and how to run: benchmarks/WATCH-SETUP.md.
 */
public final class WatchSetupFigures {
    private static final int PER_LEVEL = 1000;

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("child")) {
            child(WatchOptions.Backend.valueOf(args[1]), Path.of(args[2]));
            return;
        }
        if (args[0].equals("delivery")) {
            delivery(args.length > 1 ? Integer.parseInt(args[1]) : 3);
            return;
        }
        int dirs = Integer.parseInt(args[0]);
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path tree = Files.createTempDirectory(Path.of("/tmp"), "jrsync-watch-setup");
        try {
            long t0 = System.nanoTime();
            int made = build(tree, dirs - 1);
            System.out.printf(Locale.ROOT, "tree: %,d directories in %s (made in %.1f s)%n", made + 1, tree,
                    (System.nanoTime() - t0) / 1e9);
            Path empty = Files.createDirectory(tree.resolve("empty"));
            for (String who : List.of("INOTIFY", "FANOTIFY")) {
                double[] row = inChild(who, empty);
                System.out.printf(Locale.ROOT, "%s on an empty directory (the fixed cost): %.0f ms, RSS +%.1f MiB%n",
                        who, row[0], row[1]);
            }
            for (String who : List.of("INOTIFY", "FANOTIFY", "inotifywait")) {
                List<double[]> rows = new ArrayList<>();
                for (int r = 0; r < runs; r++) {
                    double[] row = who.equals("inotifywait") ? inotifywait(tree) : inChild(who, tree);
                    rows.add(row);
                    System.out.printf(Locale.ROOT, "  %s run %d: %.0f ms, RSS +%.1f MiB, heap +%.1f MiB,"
                            + " %,.0f inotify watches, slab +%.1f MiB%n", who, r + 1, row[0], row[1], row[4], row[2],
                            row[3]);
                }
                System.out.printf(Locale.ROOT, "%s median: %.0f ms, RSS +%.1f MiB, heap +%.1f MiB,"
                        + " %,.0f inotify watches, slab +%.1f MiB%n", who, median(rows, 0), median(rows, 1),
                        median(rows, 4), median(rows, 2), median(rows, 3));
            }
        } finally {
            long t0 = System.nanoTime();
            try (Stream<Path> walk = Files.walk(tree)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            System.out.printf(Locale.ROOT, "tree deleted in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        }
    }

    /**
     * How long the files of 100 new directories (100 files each, written as fast as one thread can) take to reach
     * the listener as MODIFIED, from the first mkdir to the last report: inotify adds a watch and scans each new
     * directory, fanotify resolves each new directory's handle once.
     */
    private static void delivery(int runs) throws Exception {
        int dirs = 100;
        int files = 100;
        for (WatchOptions.Backend backend : List.of(WatchOptions.Backend.INOTIFY, WatchOptions.Backend.FANOTIFY)) {
            List<double[]> rows = new ArrayList<>();
            for (int r = 0; r < runs + 1; r++) {
                Path root = Files.createTempDirectory(Path.of("/tmp"), "jrsync-delivery");
                java.util.Set<Path> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
                WatchOptions o = WatchOptions.defaults().withBackend(backend);
                try (TreeWatcher w = TreeWatcher.start(root, o, batch -> batch.stream()
                        .filter(c -> c.kind() == dev.jrsync.watcher.PathChange.Kind.MODIFIED)
                        .forEach(c -> seen.add(c.path())))) {
                    long t0 = System.nanoTime();
                    for (int d = 0; d < dirs; d++) {
                        Path dir = Files.createDirectories(root.resolve("d" + d + "/sub"));
                        for (int f = 0; f < files; f++) {
                            Files.writeString(dir.resolve("f" + f), "x");
                        }
                    }
                    double written = (System.nanoTime() - t0) / 1e6;
                    long end = System.nanoTime() + 60_000_000_000L;
                    while (seen.size() < dirs * files && System.nanoTime() < end) {
                        Thread.sleep(1);
                    }
                    double done = (System.nanoTime() - t0) / 1e6;
                    if (r > 0) {
                        // The first run warms the JIT up and is not counted.
                        rows.add(new double[] {written, done, seen.size(), readerCpuMillis()});
                    }
                } finally {
                    try (Stream<Path> walk = Files.walk(root)) {
                        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                    }
                }
            }
            System.out.printf(Locale.ROOT, "%s: %,d files in %d new directories written in %.0f ms, all %,.0f"
                    + " reported after %.0f ms, the reader thread used %.0f ms of CPU (medians of %d)%n", backend,
                    dirs * files, dirs, median(rows, 0), median(rows, 2), median(rows, 1), median(rows, 3), runs);
        }
    }

    /** CPU time of the watcher's reader thread so far. */
    private static double readerCpuMillis() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("jrsync-watcher"))
                .mapToLong(t -> threads.getThreadCpuTime(t.threadId())).sum() / 1e6;
    }

    /** Root, PER_LEVEL directories below it, the rest spread evenly below those. */
    private static int build(Path tree, int dirs) throws IOException {
        int top = Math.min(PER_LEVEL, dirs - 1);
        int rest = dirs - 1 - top;
        int made = 1;
        for (int i = 0; i < top; i++) {
            Path d = Files.createDirectory(tree.resolve("d" + i));
            made++;
            int here = rest / top + (i < rest % top ? 1 : 0);
            for (int j = 0; j < here; j++) {
                Files.createDirectory(d.resolve("e" + j));
                made++;
            }
        }
        return made;
    }

    private static double median(List<double[]> rows, int col) {
        double[] v = rows.stream().mapToDouble(r -> r[col]).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double[] inChild(String backend, Path tree) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), WatchSetupFigures.class.getName(), "child", backend,
                tree.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(backend + " run failed: " + line);
        }
        String[] f = line.split(" ");
        return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                Double.parseDouble(f[3]), Double.parseDouble(f[4])};
    }

    /** Prints: milliseconds, RSS growth in MiB, inotify watches, slab growth in MiB, live heap growth in MiB. */
    private static void child(WatchOptions.Backend backend, Path tree) throws Exception {
        settle();
        long rss0 = status("self", "VmRSS:");
        long heap0 = liveHeap();
        long slab0 = meminfo("Slab:");
        long t0 = System.nanoTime();
        WatchOptions o = WatchOptions.defaults().withBackend(backend)
                .withWarnings(m -> System.err.println("warning: " + m));
        try (TreeWatcher w = TreeWatcher.start(tree, o, batch -> {})) {
            double ms = (System.nanoTime() - t0) / 1e6;
            if (w.backend() != backend) {
                throw new IllegalStateException("fell back to " + w.backend());
            }
            settle();
            long rss1 = status("self", "VmRSS:");
            long slab1 = meminfo("Slab:");
            System.out.printf(Locale.ROOT, "%.1f %.2f %d %.2f %.2f%n", ms, (rss1 - rss0) / 1024.0,
                    inotifyWatches("self"), (slab1 - slab0) / 1024.0, (liveHeap() - heap0) / 1048576.0);
        }
    }

    /** From process start to "Watches established." (includes its exec, a few milliseconds). */
    private static double[] inotifywait(Path tree) throws Exception {
        long slab0 = meminfo("Slab:");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder("inotifywait", "-m", "-r", "-e", "create,close_write,delete,move,attrib,modify",
                tree.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream()))) {
            for (String line = err.readLine(); line != null; line = err.readLine()) {
                if (line.startsWith("Watches established")) {
                    double ms = (System.nanoTime() - t0) / 1e6;
                    String pid = Long.toString(p.pid());
                    return new double[] {ms, status(pid, "VmRSS:") / 1024.0, inotifyWatches(pid),
                            (meminfo("Slab:") - slab0) / 1024.0, 0};
                }
            }
            throw new IllegalStateException("inotifywait did not establish its watches");
        } finally {
            p.destroy();
            p.waitFor();
        }
    }

    /** Heap in use after a collection: what the watcher keeps, where RSS also holds what the scan left behind. */
    private static long liveHeap() throws InterruptedException {
        settle();
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    private static void settle() throws InterruptedException {
        System.gc();
        Thread.sleep(200);
    }

    /** A kB field of /proc/PID/status. */
    private static long status(String pid, String field) throws IOException {
        return kb(Path.of("/proc/" + pid + "/status"), field);
    }

    private static long meminfo(String field) throws IOException {
        return kb(Path.of("/proc/meminfo"), field);
    }

    private static long kb(Path file, String field) throws IOException {
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
            }
        }
        throw new IOException(field + " not in " + file);
    }

    /** The "inotify wd:" lines of every inotify descriptor the process holds. */
    private static long inotifyWatches(String pid) throws IOException {
        long n = 0;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/" + pid + "/fdinfo"))) {
            for (Path fd : fds) {
                try {
                    n += Files.readAllLines(fd).stream().filter(l -> l.startsWith("inotify wd:")).count();
                } catch (IOException gone) {
                    // Closed meanwhile.
                }
            }
        }
        return n;
    }
}
