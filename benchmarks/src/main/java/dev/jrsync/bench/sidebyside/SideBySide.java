package dev.jrsync.bench.sidebyside;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The side-by-side harness: stock rsync and jrsync, alternated, on the same work over loopback, with medians and
 * ratios of wall time, CPU time and peak memory, wire bytes, and the load other processes put on the machine
 * meanwhile. JVM start-up is included in every jrsync figure, as a user running the command pays it. Usage (see
 * benchmarks/run): {@code SideBySide --jrsync=bin/jrsync --out=benchmarks [--size-mib=1024] [--files=100000]
 * [--push-mib=200] [--noop-files=10000] [--clients=64] [--runs=3] [--version-runs=10] [--rewrites=20]
 * [--case-budget-s=90] [--deadline-s=600]}; jrsync runs through its launcher, as a user runs it.
 *
 * <p>Run plan: each case runs up to {@code --runs} alternated pairs (stock, jrsync), but stops once another pair
 * would take it past {@code --case-budget-s}, or once the side-by-side cases together have passed
 * {@code --deadline-s}; every case gets at least one pair, and RESULTS.md's notes name each case cut short. With
 * the default sizes on two cores the 100,000-file pushes (a pair takes 60 to 90 s) get one pair, the other cases
 * all their runs (about 8 minutes together), the live mirrors take 2 to 3 minutes (a lost update waits 5 s), and
 * with the data written first and the build the whole of benchmarks/run stays under 15 minutes.
 */
public final class SideBySide {
    private final Path work;
    private final List<String> jrsync;
    private final List<String> rsync = List.of("rsync");
    private final int runs;
    private final long caseBudgetMillis;
    private final long deadlineNanos;
    /** When the first case started: the deadline counts from here. */
    private long casesStart = System.nanoTime();
    private final List<Result> results = new ArrayList<>();
    private final List<LiveMirror.Outcome> live = new ArrayList<>();
    private DaemonMemory daemonMemory;
    private final List<String> notes = new ArrayList<>(List.of(
            "ratio = jrsync median / stock rsync median: below 1.0 jrsync spends less.",
            "wall = first process start to last exit; CPU = user + system time from wait4's rusage, which "
                    + "covers the command and every process it waited for (rsync's forked generator/receiver, all "
                    + "of the JVM's threads); peak RSS = the highest sum of VmHWM over the command's live processes, "
                    + "sampled every 5 ms" + (Runner.timesShortPeaks()
                    ? "; a run under 100 ms (rsync --version) runs once more, untimed, under /usr/bin/time, whose "
                            + "ru_maxrss covers its last milliseconds."
                    : " (no /usr/bin/time here: a run under 5 ms, such as rsync --version, may show none)."),
            "daemon rows (\"daemon …\" and the concurrent clients): the stock client talks to a jrsync daemon or to "
                    + "a stock daemon, and CPU and RSS are the daemon's: its /proc CPU ticks (10 ms each) including "
                    + "the sessions it forked and reaped, and its tree's VmHWM, reset through clear_refs before each "
                    + "run so that it is that run's peak (a stock daemon's sum counts the pages its forked sessions "
                    + "share, once per process); wire bytes are the clients' own --stats.",
            "push/pull rows: both clients talk to the same stock rsync daemon; wire bytes = the client's own "
                    + "--stats (total bytes sent + received).",
            "others = the CPU other processes took during the case (busy ticks in /proc/stat minus those of the "
                    + "harness's process tree), in cores on average."));

    private SideBySide(Path work, List<String> jrsync, int runs, long caseBudgetMillis, long deadlineSeconds) {
        this.work = work;
        this.jrsync = jrsync;
        this.runs = runs;
        this.caseBudgetMillis = caseBudgetMillis;
        this.deadlineNanos = TimeUnit.SECONDS.toNanos(deadlineSeconds);
    }

    /** What one timed run does: set the stage (untimed), then the command for stock rsync or jrsync. */
    private interface Case {
        void prepare() throws IOException;

        List<String> command(List<String> client);
    }

    /** The sizes of one harness run. */
    private record Sizes(long largeBytes, int files, long pushBytes, int noopFiles, int clients, int versionRuns) {
    }

    /** The data the cases move, written once before the first measurement. */
    private record Data(Path v0, Path edited, Path shifted, Path push, Path tree, Path noopTree) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new java.util.HashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            opts.put(eq < 0 ? a : a.substring(0, eq), eq < 0 ? "" : a.substring(eq + 1));
        }
        long sizeMib = Long.parseLong(opts.getOrDefault("--size-mib", "1024"));
        Sizes sizes = new Sizes(sizeMib << 20, Integer.parseInt(opts.getOrDefault("--files", "100000")),
                Long.parseLong(opts.getOrDefault("--push-mib", "200")) << 20,
                Integer.parseInt(opts.getOrDefault("--noop-files", "10000")),
                Integer.parseInt(opts.getOrDefault("--clients", "64")),
                Integer.parseInt(opts.getOrDefault("--version-runs", "10")));
        int runs = Integer.parseInt(opts.getOrDefault("--runs", "3"));
        int rewrites = Integer.parseInt(opts.getOrDefault("--rewrites", "20"));
        long budgetSeconds = Long.parseLong(opts.getOrDefault("--case-budget-s", "90"));
        long deadlineSeconds = Long.parseLong(opts.getOrDefault("--deadline-s", "600"));
        Path out = Path.of(opts.getOrDefault("--out", "benchmarks"));
        Path launcher = Path.of(opts.getOrDefault("--jrsync", "bin/jrsync")).toAbsolutePath();
        Path work = Files.createTempDirectory("jrsync-bench");
        List<String> jrsync = List.of(launcher.toString());
        SideBySide h = new SideBySide(work, jrsync, runs, budgetSeconds * 1000, deadlineSeconds);
        try {
            long started = System.nanoTime();
            Data data = h.writeData(sizes);
            Load.Mark whole = Load.Mark.now();
            h.casesStart = System.nanoTime();
            h.clientRows(data, sizes);
            h.daemonRows(data, sizes.files());
            h.concurrentClients(data.noopTree(), sizes.clients());
            if (rewrites > 0) {
                h.liveMirrors(rewrites);
            }
            Load load = whole.since();
            String header = header(sizes, runs, budgetSeconds, deadlineSeconds, rewrites,
                    (System.nanoTime() - started) / 60e9, load);
            Report.write(out, header, h.results, h.daemonMemory, h.live, h.notes);
            System.out.println(Files.readString(out.resolve("RESULTS.md")));
        } finally {
            deleteTree(work);
        }
    }

    private static String header(Sizes sizes, int runs, long budgetSeconds, long deadlineSeconds, int rewrites,
                                 double minutes, Load load) {
        return "# Side-by-side results\n\n"
                + "Generated by `benchmarks/run` on " + LocalDate.now() + ": " + machine() + ". "
                + "Stock rsync " + version(List.of("rsync", "--version")) + "; jrsync on "
                + System.getProperty("java.vm.name") + " " + System.getProperty("java.version") + ". "
                + String.format(java.util.Locale.ROOT, "Large file %d MiB, %d small files, push %d MiB, no-op "
                        + "of %d files, %d concurrent clients; up to %d runs per tool (%d for --version; at most "
                        + "%d s per case and %d s for all cases, see the notes), alternated; figures are "
                        + "medians; wall and CPU include process (JVM) start; loopback only. From writing the "
                        + "data to the last case the harness took %.1f minutes, %.1f of them measuring%s.",
                        sizes.largeBytes() >> 20, sizes.files(), sizes.pushBytes() >> 20, sizes.noopFiles(),
                        sizes.clients(), runs, sizes.versionRuns(), budgetSeconds, deadlineSeconds, minutes,
                        load.seconds() / 60,
                        rewrites > 0 ? " (" + rewrites + " rewrites per live mirror)" : "; no live mirrors")
                + "\n\n" + load.describe(Runtime.getRuntime().availableProcessors()) + ".\n";
    }

    private Data writeData(Sizes sizes) throws IOException {
        Path data = Files.createDirectories(work.resolve("data"));
        Path whole = Files.createDirectories(data.resolve("whole"));
        Path edited = Files.createDirectories(data.resolve("edited"));
        Path shifted = Files.createDirectories(data.resolve("shifted"));
        Path push = Files.createDirectories(data.resolve("push"));
        Workload.writeRandom(whole.resolve("big.bin"), sizes.largeBytes(), 1);
        Files.copy(whole.resolve("big.bin"), edited.resolve("big.bin"));
        Workload.scatterEdits(edited.resolve("big.bin"), 16, 2);
        Workload.insertAtStart(whole.resolve("big.bin"), shifted.resolve("big.bin"));
        Workload.writeRandom(push.resolve("push.bin"), sizes.pushBytes(), 4);
        Workload.smallFiles(data.resolve("small/tree"), sizes.files(), 3);
        Workload.smallFiles(data.resolve("noop/tree"), sizes.noopFiles(), 5);
        return new Data(whole.resolve("big.bin"), edited.resolve("big.bin"), shifted.resolve("big.bin"),
                push.resolve("push.bin"), data.resolve("small/tree"), data.resolve("noop/tree"));
    }

    /** Both clients against the same stock daemon, then the local and start-up cases. */
    private void clientRows(Data data, Sizes sizes) throws Exception {
        Path v0 = data.v0();
        Path module = Files.createDirectories(work.resolve("module"));
        Path local = Files.createDirectories(work.resolve("local"));
        try (Daemon stockDaemon = Daemon.start(rsync, work.resolve("stock-daemon"), module)) {
            String big = stockDaemon.url("big.bin");
            measure("push, new large file", "whole file into an empty module", new Case() {
                public void prepare() throws IOException {
                    Files.deleteIfExists(module.resolve("big.bin"));
                }

                public List<String> command(List<String> c) {
                    return cmd(c, "-a", "--stats", v0.toString(), stockDaemon.url(""));
                }
            });
            measure("push, scattered edits", "16 edits of 100 bytes over the large file", restoring(v0, module,
                    c -> cmd(c, "-a", "--stats", data.edited().toString(), stockDaemon.url(""))));
            measure("push, shifted data", "7 bytes inserted at the start", restoring(v0, module,
                    c -> cmd(c, "-a", "--stats", data.shifted().toString(), stockDaemon.url(""))));
            Files.copy(v0, module.resolve("big.bin"), StandardCopyOption.REPLACE_EXISTING);
            measure("pull, new large file", "whole file into an empty folder", new Case() {
                public void prepare() throws IOException {
                    Files.deleteIfExists(local.resolve("big.bin"));
                }

                public List<String> command(List<String> c) {
                    return cmd(c, "-a", "--stats", big, local + "/");
                }
            });
            Files.copy(data.edited(), module.resolve("big.bin"), StandardCopyOption.REPLACE_EXISTING);
            measure("pull, scattered edits", "the module has the edited version", restoring(v0, local,
                    c -> cmd(c, "-a", "--stats", big, local + "/")));
            Files.delete(module.resolve("big.bin"));
            measure("push, new " + (sizes.pushBytes() >> 20) + " MiB file", "whole file into an empty module",
                    new Case() {
                        public void prepare() throws IOException {
                            Files.deleteIfExists(module.resolve("push.bin"));
                        }

                        public List<String> command(List<String> c) {
                            return cmd(c, "-a", "--stats", data.push().toString(), stockDaemon.url(""));
                        }
                    });
            measure("push, " + sizes.files() + " small files", "initial copy of the tree", new Case() {
                public void prepare() throws IOException {
                    deleteTree(module.resolve("tree"));
                }

                public List<String> command(List<String> c) {
                    return cmd(c, "-a", "--stats", data.tree().toString(), stockDaemon.url(""));
                }
            });
            measure("push, no-op re-sync", "the same " + sizes.files() + " files, nothing changed",
                    unchanged(c -> cmd(c, "-a", "--stats", data.tree().toString(), stockDaemon.url(""))));
            deleteTree(module.resolve("tree"));
            String noopUrl = stockDaemon.url("noop/");
            untimed(cmd(rsync, "-a", data.noopTree() + "/", noopUrl));
            measure("push, no-op of " + sizes.noopFiles() + " files", "a module holding the same tree",
                    unchanged(c -> cmd(c, "-a", "--stats", data.noopTree() + "/", noopUrl)));
        }
        Path copy = work.resolve("local-noop");
        untimed(cmd(rsync, "-a", data.noopTree() + "/", copy + "/"));
        measure("local, no-op of " + sizes.noopFiles() + " files", "a local folder holding the same tree",
                unchanged(c -> cmd(c, "-a", "--stats", data.noopTree() + "/", copy + "/")));
        deleteTree(copy);
        measure("--version", "print the version and exit: start-up alone", sizes.versionRuns(),
                unchanged(c -> cmd(c, "--version")));
    }

    /** The stock client against a jrsync daemon ("jrsync" column) and a stock daemon ("stock" column). */
    private void daemonRows(Data data, int files) throws Exception {
        Path v0 = data.v0();
        Path jModule = Files.createDirectories(work.resolve("jmodule"));
        Path sModule = Files.createDirectories(work.resolve("smodule"));
        Path local = Files.createDirectories(work.resolve("dlocal"));
        try (Daemon ours = Daemon.start(jrsync, work.resolve("jrsync-daemon"), jModule);
             Daemon stock = Daemon.start(rsync, work.resolve("stock-daemon2"), sModule)) {
            daemonRow("daemon receives large file", "stock client pushes to each daemon", ours, stock, (d, m) -> {
                Files.deleteIfExists(m.resolve("big.bin"));
                return cmd(rsync, "-a", "--stats", v0.toString(), d.url(""));
            }, jModule, sModule);
            Files.copy(v0, jModule.resolve("big.bin"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(v0, sModule.resolve("big.bin"), StandardCopyOption.REPLACE_EXISTING);
            daemonRow("daemon serves large file", "stock client pulls from each daemon", ours, stock, (d, m) -> {
                Files.deleteIfExists(local.resolve("big.bin"));
                return cmd(rsync, "-a", "--stats", d.url("big.bin"), local + "/");
            }, jModule, sModule);
            Files.delete(jModule.resolve("big.bin"));
            Files.delete(sModule.resolve("big.bin"));
            daemonRow("daemon receives " + files + " files", "stock client pushes the tree", ours, stock, (d, m) -> {
                deleteTree(m.resolve("tree"));
                return cmd(rsync, "-a", "--stats", data.tree().toString(), d.url(""));
            }, jModule, sModule);
        }
        deleteTree(jModule);
        deleteTree(sModule);
    }

    /** Prepares (untimed) and returns the stock client's command against daemon {@code d} with module {@code m}. */
    private interface DaemonRun {
        List<String> prepare(Daemon d, Path m) throws IOException;
    }

    private void daemonRow(String name, String what, Daemon ours, Daemon stock, DaemonRun run, Path jModule,
                           Path sModule) throws Exception {
        List<Measured> s = new ArrayList<>();
        List<Measured> j = new ArrayList<>();
        Load.Mark mark = Load.Mark.now();
        try {
            RunPlan plan = new RunPlan(name, runs);
            for (int i = 0; plan.another(i); i++) {
                for (boolean jrsyncTurn : order(i)) {
                    Daemon d = jrsyncTurn ? ours : stock;
                    List<String> command = run.prepare(d, jrsyncTurn ? jModule : sModule);
                    (jrsyncTurn ? j : s).add(Runner.served(command, lastLog(), d.pid()));
                }
            }
        } catch (IOException e) {
            notes.add(name + ": not measured, a run failed: " + e.getMessage().lines().findFirst().orElse(""));
            return;
        }
        report(new Result(name, what, s, j, mark.since()));
    }

    /**
     * {@code clients} stock clients at once, each pushing a directory of 100 small files into a directory of its
     * own, against fresh daemons: the wall time of the whole batch, and the daemon's CPU and peak memory. The
     * fresh daemons' idle memory is taken first. Each batch writes into directories no batch used before, and
     * nothing is deleted until the case is over: on an ext4 without a journal, every inode created within half a
     * minute of deletions is found only after a scan past the inodes just deleted (ext4's recently_deleted), which
     * took more than half of both daemons' CPU when each batch replaced the one before. The modules are on tmpfs
     * when there is one, for the same reason: the row measures the daemons, not the filesystem.
     */
    private void concurrentClients(Path tree, int clients) throws Exception {
        String name = clients + " concurrent clients";
        Path base = scratchOnTmpfs();
        Path jModule = Files.createDirectories(base.resolve("cjmodule"));
        Path sModule = Files.createDirectories(base.resolve("csmodule"));
        Path logs = Files.createDirectories(work.resolve("batch-logs"));
        notes.add(name + ": the modules are on " + (base.equals(work)
                ? "the harness's work directory (" + Files.getFileStore(work).type() + "; no tmpfs at /dev/shm)"
                : "tmpfs (" + base + ")") + "; each batch writes into fresh directories, deleted after the case.");
        List<Path> dirs;
        try (Stream<Path> list = Files.list(tree)) {
            dirs = list.sorted().toList();
        }
        List<Measured> s = new ArrayList<>();
        List<Measured> j = new ArrayList<>();
        try (Daemon ours = Daemon.start(jrsync, work.resolve("jrsync-daemon3"), jModule);
             Daemon stock = Daemon.start(rsync, work.resolve("stock-daemon3"), sModule)) {
            // Idle: greeted the start-up probe, then left alone long enough for the JVM's start-up compiles.
            Thread.sleep(2000);
            long stockIdle = ProcFs.treeKib(stock.pid(), "VmRSS");
            long jrsyncIdle = ProcFs.treeKib(ours.pid(), "VmRSS");
            Load.Mark mark = Load.Mark.now();
            RunPlan plan = new RunPlan(name, runs);
            for (int i = 0; plan.another(i); i++) {
                for (boolean jrsyncTurn : order(i)) {
                    Daemon d = jrsyncTurn ? ours : stock;
                    // rsync creates only the last directory of a destination
                    Files.createDirectories((jrsyncTurn ? jModule : sModule).resolve("r" + i));
                    List<List<String>> commands = new ArrayList<>();
                    for (int k = 0; k < clients; k++) {
                        String dir = dirs.get(k % dirs.size()) + "/";
                        commands.add(cmd(rsync, "-a", "--stats", dir, d.url("r" + i + "/c" + k + "/")));
                    }
                    (jrsyncTurn ? j : s).add(Runner.batch(commands, logs, d.pid()));
                }
            }
            daemonMemory = new DaemonMemory(clients, stockIdle, jrsyncIdle, Result.median(s, Measured::peakRssKib),
                    Result.median(j, Measured::peakRssKib));
            report(new Result(name, "each pushes 100 small files into its own directory of the module; wall of the "
                    + "whole batch, the daemon's CPU and RSS", s, j, mark.since()));
        } catch (IOException e) {
            notes.add(name + ": not measured, a run failed: " + e.getMessage().lines().findFirst().orElse(""));
        } finally {
            deleteTree(jModule);
            deleteTree(sModule);
            if (!base.equals(work)) {
                Files.delete(base);
            }
        }
    }

    /** A fresh directory on tmpfs (/dev/shm) if there is one, else the harness's work directory. */
    private Path scratchOnTmpfs() throws IOException {
        Path shm = Path.of("/dev/shm");
        if (Files.isDirectory(shm) && Files.isWritable(shm) && "tmpfs".equals(Files.getFileStore(shm).type())) {
            return Files.createTempDirectory(shm, "jrsync-bench");
        }
        return work;
    }

    /**
     * The same rewrites through jrsync --watch, lsyncd (delay = 1) and an inotifywait | rsync script, each into a
     * local folder and into a stock rsync daemon (a directory of its module, watched on disk for the versions).
     */
    private void liveMirrors(int rewrites) throws Exception {
        Path base = Files.createDirectories(work.resolve("live"));
        Path module = Files.createDirectories(base.resolve("module"));
        try (Daemon daemon = Daemon.start(rsync, base.resolve("stock-daemon"), module)) {
            for (boolean intoDaemon : new boolean[] {false, true}) {
                String where = intoDaemon ? " → stock daemon" : " → local folder";
                for (String tool : List.of("jrsync", "lsyncd", "script")) {
                    String id = tool + (intoDaemon ? "-daemon" : "-local");
                    Path src = Files.createDirectories(base.resolve(id + "-src"));
                    Path dst = intoDaemon ? module.resolve(id) : base.resolve(id + "-dst");
                    String target = intoDaemon ? daemon.url(id + "/") : dst + "/";
                    List<String> command = switch (tool) {
                        case "jrsync" -> cmd(jrsync, "-a", "--delete", "--watch", src + "/", target);
                        case "lsyncd" -> LiveMirror.lsyncd(base.resolve(id + ".conf"), src, target);
                        default -> LiveMirror.inotifyScript(src, target);
                    };
                    String name = switch (tool) {
                        case "jrsync" -> "jrsync --watch";
                        case "lsyncd" -> "lsyncd (delay = 1)";
                        default -> "inotifywait + rsync script";
                    } + where;
                    try {
                        LiveMirror.Outcome o = LiveMirror.measure(name, command, src, dst, rewrites,
                                base.resolve(id + ".log"));
                        System.err.println(o.row());
                        live.add(o);
                    } catch (IOException e) {
                        notes.add(name + ": not measured: " + e.getMessage().lines().findFirst().orElse(""));
                    }
                }
            }
        }
    }

    /** A case whose destination copy of big.bin is put back to the original version before each run. */
    private Case restoring(Path v0, Path dir, java.util.function.Function<List<String>, List<String>> command) {
        return new Case() {
            public void prepare() throws IOException {
                Path basis = dir.resolve("big.bin");
                Files.copy(v0, basis, StandardCopyOption.REPLACE_EXISTING);
                // An old mtime: the quick check must see a change even when both copies are made in one second.
                Files.setLastModifiedTime(basis, java.nio.file.attribute.FileTime.fromMillis(1_600_000_000_000L));
            }

            public List<String> command(List<String> c) {
                return command.apply(c);
            }
        };
    }

    /** A case that changes nothing between runs: a no-op re-sync, or a command that only prints. */
    private static Case unchanged(java.util.function.Function<List<String>, List<String>> command) {
        return new Case() {
            public void prepare() {
            }

            public List<String> command(List<String> c) {
                return command.apply(c);
            }
        };
    }

    /** Sets the stage with stock rsync, outside any measurement. */
    private void untimed(List<String> command) throws Exception {
        Runner.client(command, lastLog());
    }

    private void measure(String name, String what, Case c) throws Exception {
        measure(name, what, runs, c);
    }

    private void measure(String name, String what, int maxRuns, Case c) throws Exception {
        List<Measured> s = new ArrayList<>();
        List<Measured> j = new ArrayList<>();
        Load.Mark mark = Load.Mark.now();
        RunPlan plan = new RunPlan(name, maxRuns);
        for (int i = 0; plan.another(i); i++) {
            for (boolean jrsyncTurn : order(i)) {
                c.prepare();
                (jrsyncTurn ? j : s).add(Runner.client(c.command(jrsyncTurn ? jrsync : rsync), lastLog()));
            }
        }
        report(new Result(name, what, s, j, mark.since()));
    }

    /**
     * Whether a case runs another pair: up to {@code maxRuns}, while the pairs so far say the next one still ends
     * within {@link #caseBudgetMillis} and all cases so far within {@link #deadlineNanos}. A case cut short is
     * named in the notes.
     */
    private final class RunPlan {
        private final String name;
        private final int maxRuns;
        private final long start = System.nanoTime();

        RunPlan(String name, int maxRuns) {
            this.name = name;
            this.maxRuns = maxRuns;
        }

        boolean another(int done) {
            if (done == 0) {
                return true;
            }
            long elapsed = (System.nanoTime() - start) / 1_000_000;
            boolean late = System.nanoTime() - casesStart > deadlineNanos;
            if (done < maxRuns && elapsed + elapsed / done <= caseBudgetMillis && !late) {
                return true;
            }
            if (done < maxRuns) {
                notes.add(String.format(java.util.Locale.ROOT, "%s: %d run%s per tool, not %d (%s)", name, done,
                        done == 1 ? "" : "s", maxRuns, late
                                ? "the cases had taken their " + deadlineNanos / 1_000_000_000 + " s"
                                : String.format(java.util.Locale.ROOT, "a pair took %.0f s; the harness gives each "
                                        + "case %d s", elapsed / 1000.0 / done, caseBudgetMillis / 1000)));
            }
            return false;
        }
    }

    private void report(Result r) {
        System.err.printf(java.util.Locale.ROOT, "%-34s wall %s / %s (%.2f)  CPU %s / %s (%.2f)  RSS %s / %s  "
                        + "others %.2f cores%n", r.name(),
                Report.ms(Result.median(r.stock(), Measured::wallMicros)),
                Report.ms(Result.median(r.jrsync(), Measured::wallMicros)), r.wallRatio(),
                Report.ms(Result.median(r.stock(), Measured::cpuMicros)),
                Report.ms(Result.median(r.jrsync(), Measured::cpuMicros)), r.cpuRatio(),
                Report.mib(Result.median(r.stock(), Measured::peakRssKib)),
                Report.mib(Result.median(r.jrsync(), Measured::peakRssKib)), r.load().otherCores());
        results.add(r);
    }

    /** Alternates who goes first, so neither always meets a warmer page cache. */
    private static boolean[] order(int run) {
        return run % 2 == 0 ? new boolean[] {false, true} : new boolean[] {true, false};
    }

    private Path lastLog() {
        return work.resolve("last-run.log");
    }

    private static List<String> cmd(List<String> client, String... args) {
        List<String> c = new ArrayList<>(client);
        c.addAll(List.of(args));
        return c;
    }

    private static String machine() {
        String cpu = "unknown CPU";
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            cpu = lines.filter(l -> l.startsWith("model name")).findFirst().map(l -> l.replaceAll(".*:\\s*", ""))
                    .orElse(cpu);
        } catch (IOException ignored) {
            // not Linux: the header just says so
        }
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + ")";
    }

    private static String version(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String first = new String(p.getInputStream().readAllBytes()).lines().findFirst().orElse("");
            p.waitFor();
            return first.replaceAll("^.*?version\\s+(\\S+).*", "$1");
        } catch (IOException | InterruptedException e) {
            return "unknown";
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
