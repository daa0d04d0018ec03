package dev.jrsync.bench.sidebyside;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs client commands (one, or a batch at once) and measures them: wall time, CPU time and peak memory of the
 * commands' own processes, or of the daemon serving them when one is named.
 */
final class Runner {
    private static final Pattern SENT = Pattern.compile("Total bytes sent: ([\\d,]+)");
    private static final Pattern RECEIVED = Pattern.compile("Total bytes received: ([\\d,]+)");
    private static final long TIMEOUT_MINUTES = 10;
    /**
     * GNU time, when installed, gives the peak RSS of a run too short for sampling: its ru_maxrss covers a process
     * to its last millisecond. Our own wait4's cannot stand in: the child of posix_spawn shares the harness JVM's
     * memory until it execs, and exec folds that memory's high-water mark (hundreds of MiB) into the child's
     * ru_maxrss, while GNU time's child starts from GNU time's small image (about 1 MiB, below any rsync's). GNU
     * time is not in the timed runs: its own fork and exec cost several milliseconds of CPU on a loaded machine,
     * as much as all of rsync --version.
     */
    private static final Path GNU_TIME = Path.of("/usr/bin/time");
    /** A run shorter than this saw fewer than 20 memory samples: its peak is taken again under GNU time. */
    private static final long SHORT_RUN_MICROS = 100_000;
    /** How long a stock daemon may take to reap its sessions after the last client ended. */
    private static final long SETTLE_MILLIS = 10_000;

    static {
        // The first spawn in a JVM links the native calls, a third of a second that no measurement should hold.
        try {
            Spawn.start(List.of("true"), Path.of("/dev/null")).waitFor();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Runner() {}

    /**
     * Runs {@code command}; CPU and memory are those of its process tree. A run too short for sampling runs again,
     * untimed, under GNU time for its peak RSS: the command must leave the stage as it found it or be harmless to
     * repeat (a no-op, {@code --version}).
     */
    static Measured client(List<String> command, Path log) throws IOException, InterruptedException {
        Measured m = run(List.of(command), List.of(log), 0, false);
        if ((m.wallMicros() >= SHORT_RUN_MICROS && m.peakRssKib() > 0) || !timesShortPeaks()) {
            return m;
        }
        Path rss = log.resolveSibling(log.getFileName() + ".rss");
        List<String> timed = new ArrayList<>(List.of(GNU_TIME.toString(), "-f", "%M", "-o", rss.toString()));
        timed.addAll(command);
        Measured again = run(List.of(timed), List.of(log), 0, true);
        List<String> lines = Files.readAllLines(rss);
        long kib = lines.isEmpty() ? 0 : Long.parseLong(lines.getLast().trim());
        return new Measured(m.wallMicros(), m.cpuMicros(), Math.max(m.peakRssKib(), Math.max(again.peakRssKib(), kib)),
                m.wireBytes());
    }

    /** Whether short runs get their peak RSS from GNU time (see {@link #GNU_TIME}). */
    static boolean timesShortPeaks() {
        return Files.isExecutable(GNU_TIME);
    }

    /** Runs {@code command} against daemon {@code daemonPid}; CPU and memory are the daemon's, sessions included. */
    static Measured served(List<String> command, Path log, long daemonPid) throws IOException, InterruptedException {
        return run(List.of(command), List.of(log), daemonPid, false);
    }

    /**
     * Starts all {@code commands} at once against daemon {@code daemonPid}; the wall time is the whole batch's,
     * CPU and memory the daemon's. Each command's output goes to its own log in {@code logDir}.
     */
    static Measured batch(List<List<String>> commands, Path logDir, long daemonPid)
            throws IOException, InterruptedException {
        List<Path> logs = new ArrayList<>();
        for (int i = 0; i < commands.size(); i++) {
            logs.add(logDir.resolve("client-" + i + ".log"));
        }
        return run(commands, logs, daemonPid, false);
    }

    /**
     * Each command is reaped by a thread of its own blocked in wait4, which stamps the exit time exactly, while
     * this thread samples memory: every 5 ms for one command, every 50 ms for a batch, whose sampling (a stock
     * daemon's tree is a process per session) would otherwise take a good part of a core from the processes it
     * measures; a session lives far longer than that, and VmHWM keeps its peak between samples. A command
     * {@code underTime} runs under GNU time, whose own process is left out of the samples.
     */
    private static Measured run(List<List<String>> commands, List<Path> logs, long daemonPid, boolean underTime)
            throws IOException, InterruptedException {
        long daemonTicks = 0;
        if (daemonPid > 0) {
            ProcFs.resetPeak(daemonPid);
            daemonTicks = ProcFs.cpuTicks(daemonPid);
        }
        int n = commands.size();
        Spawn[] spawns = new Spawn[n];
        Spawn.Exit[] exits = new Spawn.Exit[n];
        long[] ends = new long[n];
        IOException[] failures = new IOException[n];
        CountDownLatch done = new CountDownLatch(n);
        List<Thread> reapers = new ArrayList<>();
        long start = System.nanoTime();
        long peak = 0;
        try {
            for (int i = 0; i < n; i++) {
                Spawn s = Spawn.start(commands.get(i), logs.get(i));
                spawns[i] = s;
                int k = i;
                reapers.add(Thread.ofPlatform().daemon().name("reaper-" + s.pid()).start(() -> {
                    try {
                        exits[k] = s.waitFor();
                    } catch (IOException e) {
                        failures[k] = e;
                    } finally {
                        ends[k] = System.nanoTime();
                        done.countDown();
                    }
                }));
            }
            long sampleMillis = n == 1 ? 5 : 50;
            while (!done.await(sampleMillis, TimeUnit.MILLISECONDS)) {
                peak = Math.max(peak, sample(spawns, exits, daemonPid, underTime));
                if (System.nanoTime() - start > TimeUnit.MINUTES.toNanos(TIMEOUT_MINUTES)) {
                    throw new IOException("timed out after " + TIMEOUT_MINUTES + " min: " + commands.getFirst());
                }
            }
        } finally {
            if (done.getCount() > 0) {
                for (Spawn s : spawns) {
                    if (s != null) {
                        s.kill();
                    }
                }
            }
            for (Thread t : reapers) {
                t.join(TimeUnit.SECONDS.toMillis(10));
            }
        }
        long end = 0;
        long cpu = 0;
        long wire = -1;
        for (int i = 0; i < n; i++) {
            if (failures[i] != null) {
                throw failures[i];
            }
            String out = Files.readString(logs.get(i), StandardCharsets.UTF_8);
            if (exits[i].code() != 0) {
                throw new IOException("exit " + exits[i].code() + ": " + String.join(" ", commands.get(i)) + "\n"
                        + out);
            }
            end = Math.max(end, ends[i]);
            cpu += exits[i].cpuMicros();
            long w = wireBytes(out);
            wire = w < 0 ? wire : Math.max(wire, 0) + w;
        }
        long wallMicros = (end - start) / 1_000;
        if (daemonPid > 0) {
            peak = Math.max(peak, ProcFs.treeKib(daemonPid, "VmHWM"));
            settle(daemonPid);
            cpu = (ProcFs.cpuTicks(daemonPid) - daemonTicks) * (1_000_000 / ProcFs.TICKS_PER_SECOND);
        }
        return new Measured(wallMicros, cpu, peak, wire);
    }

    /** The summed VmHWM of the daemon's tree, or of the live commands' trees (without GNU time's own process). */
    private static long sample(Spawn[] spawns, Spawn.Exit[] exits, long daemonPid, boolean underTime) {
        if (daemonPid > 0) {
            return ProcFs.treeKib(daemonPid, "VmHWM");
        }
        long sum = 0;
        for (int i = 0; i < spawns.length; i++) {
            if (spawns[i] != null && exits[i] == null) {
                List<Long> tree = ProcFs.tree(spawns[i].pid());
                for (long pid : underTime ? tree.subList(1, tree.size()) : tree) {
                    sum += ProcFs.kib(pid, "VmHWM");
                }
            }
        }
        return sum;
    }

    /**
     * Waits (bounded) until the daemon has reaped every session it forked, so their CPU time is in its own
     * /proc counters; a daemon that serves sessions on threads has none to wait for.
     */
    private static void settle(long daemonPid) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MILLIS);
        while (ProcFs.tree(daemonPid).size() > 1 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    static long wireBytes(String stats) {
        Matcher s = SENT.matcher(stats);
        Matcher r = RECEIVED.matcher(stats);
        if (!s.find() || !r.find()) {
            return -1;
        }
        return Long.parseLong(s.group(1).replace(",", "")) + Long.parseLong(r.group(1).replace(",", ""));
    }
}
