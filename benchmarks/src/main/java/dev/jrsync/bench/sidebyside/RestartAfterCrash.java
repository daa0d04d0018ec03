package dev.jrsync.bench.sidebyside;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A live mirror restarted after SIGKILL on a tree that did not change while it was down (issue 14): with its tree
 * index ({@code --watch-state}) it compares the tree with the index and sends nothing; without one
 * ({@code --no-watch-state}, what every start did before) it runs the full initial transfer. The target is a
 * stock rsync daemon's module on loopback. Each run is timed from the mirror's start to its "jrsync: watching"
 * line (the start-up decision done, the target up to date), then the mirror is killed with SIGKILL and reaped
 * for its CPU time; peak RSS is VmHWM over its processes just before the kill. Usage (after
 * {@code mvn -pl benchmarks -am package}):
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar \
 *     dev.jrsync.bench.sidebyside.RestartAfterCrash --jrsync=bin/jrsync --files=100000 --runs=3 --work=/tmp/restart
 * </pre>
 * The figures are in benchmarks/RESTART.md.
 */
public final class RestartAfterCrash {
    private static final Pattern FULL = Pattern.compile("mirror: full sync done in \\d+ ms, (\\d+) bytes sent");
    private static final Pattern BATCH =
            Pattern.compile("mirror: \\d+ queued, 0 in flight, \\d+ synced, (\\d+) bytes sent");
    private static final long TIMEOUT_MILLIS = 600_000;

    private RestartAfterCrash() {}

    /** One restart: wall time to "watching", CPU time, peak RSS, bytes the mirror sent. */
    record Run(long wallMicros, long cpuMicros, long peakKib, long sent) {}

    public static void main(String[] args) throws Exception {
        String jrsync = "bin/jrsync";
        int files = 100_000;
        int runs = 3;
        Path work = Path.of("/tmp/jrsync-restart");
        for (String a : args) {
            String v = a.substring(a.indexOf('=') + 1);
            if (a.startsWith("--jrsync=")) {
                jrsync = v;
            } else if (a.startsWith("--files=")) {
                files = Integer.parseInt(v);
            } else if (a.startsWith("--runs=")) {
                runs = Integer.parseInt(v);
            } else if (a.startsWith("--work=")) {
                work = Path.of(v);
            } else {
                throw new IllegalArgumentException("unknown argument " + a);
            }
        }
        Path src = work.resolve("src");
        Path dst = work.resolve("dst");
        Path state = work.resolve("state");
        if (Files.exists(work)) {
            throw new IllegalArgumentException(work + " exists: give a new --work directory");
        }
        tree(src, files);
        Files.createDirectories(dst);
        try (Daemon daemon = Daemon.start(List.of("rsync"), work.resolve("daemon"), dst)) {
            String url = daemon.url("");
            List<String> indexed = List.of(jrsync, "-a", "--delete", "-v", "--watch", "--watch-state=" + state,
                    src + "/", url);
            List<String> full = List.of(jrsync, "-a", "--delete", "-v", "--watch", "--no-watch-state", src + "/", url);
            Run first = run(indexed, work.resolve("first.log"));
            System.out.printf(Locale.ROOT, "first start (no index yet): %s%n", first);
            List<Run> withIndex = new ArrayList<>();
            List<Run> without = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                withIndex.add(run(indexed, work.resolve("index-" + i + ".log")));
                without.add(run(full, work.resolve("full-" + i + ".log")));
                System.out.printf(Locale.ROOT, "run %d: index %s, full %s%n", i + 1, withIndex.getLast(),
                        without.getLast());
            }
            System.out.println("| restart after SIGKILL, " + files
                    + " unchanged files | wall | CPU | peak RSS | bytes sent |");
            System.out.println("|---|---|---|---|---|");
            System.out.println(row("tree index (--watch-state)", withIndex));
            System.out.println(row("full initial sync (--no-watch-state)", without));
        }
    }

    /** {@code files} files of 100 bytes, 100 to a directory, last changed a day ago. */
    private static void tree(Path src, int files) throws IOException {
        byte[] data = new byte[100];
        for (int i = 0; i < files; i++) {
            Path dir = src.resolve(String.format(Locale.ROOT, "d%04d", i / 100));
            if (i % 100 == 0) {
                Files.createDirectories(dir);
            }
            Arrays.fill(data, (byte) i);
            Files.write(dir.resolve(String.format(Locale.ROOT, "f%06d", i)), data);
        }
        FileTime dayAgo = FileTime.fromMillis(System.currentTimeMillis() - 86_400_000L);
        try (Stream<Path> all = Files.walk(src)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Files.setLastModifiedTime(p, dayAgo);
            }
        }
    }

    private static Run run(List<String> command, Path log) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Spawn mirror = Spawn.start(command, log);
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS);
        String out = "";
        while (!out.contains("jrsync: watching")) {
            if (System.nanoTime() > deadline) {
                mirror.kill();
                mirror.waitFor();
                throw new IOException("no \"watching\" line within " + TIMEOUT_MILLIS + " ms; see " + log);
            }
            Thread.sleep(2);
            out = Files.readString(log);
        }
        long wall = (System.nanoTime() - start) / 1000;
        long peak = ProcFs.treeKib(mirror.pid(), "VmHWM");
        mirror.kill();
        Spawn.Exit exit = mirror.waitFor();
        return new Run(wall, exit.cpuMicros(), peak, sent(Files.readString(log)));
    }

    /** The bytes of the full sync, or of the batches, the mirror reported. */
    private static long sent(String out) {
        Matcher full = FULL.matcher(out);
        if (full.find()) {
            return Long.parseLong(full.group(1));
        }
        Matcher batch = BATCH.matcher(out);
        long sent = 0;
        while (batch.find()) {
            sent = Long.parseLong(batch.group(1));
        }
        return sent;
    }

    private static String row(String name, List<Run> runs) {
        return String.format(Locale.ROOT, "| %s | %.2f s | %.2f s | %d MiB | %d |", name,
                median(runs.stream().mapToLong(Run::wallMicros).toArray()) / 1e6,
                median(runs.stream().mapToLong(Run::cpuMicros).toArray()) / 1e6,
                median(runs.stream().mapToLong(Run::peakKib).toArray()) / 1024,
                median(runs.stream().mapToLong(Run::sent).toArray()));
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
