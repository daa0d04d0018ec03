package dev.jrsync.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.testing.StockDaemon;
import dev.jrsync.testing.StockRsync;
import dev.jrsync.testing.TestTrees;
import dev.jrsync.testing.TreeAssert;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/jrsync} as a user runs it: finds a JDK 25 even when PATH's java is older, runs the built jar. */
class LauncherIT {
    private static final Path LAUNCHER = Path.of("..", "bin", "jrsync").toAbsolutePath().normalize();

    /** Runs bin/jrsync to completion: exit code, stdout, stderr. */
    static String[] run(String... args) throws IOException, InterruptedException {
        return run(Map.of(), args);
    }

    /** Runs bin/jrsync to completion with {@code env} added to the environment: exit code, stdout, stderr. */
    static String[] run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = LAUNCHER.toString();
        System.arraycopy(args, 0, command, 1, args.length);
        return run(new ProcessBuilder(command), env);
    }

    /**
     * Runs {@code script} with sh, bin/jrsync as its {@code $0} and {@code params} as {@code $1...}: its printf
     * spells arguments as bytes, where Java passes a process only text in the locale's charset.
     */
    static String[] sh(String script, String... params) throws IOException, InterruptedException {
        return run(new ProcessBuilder(shCommand(script, params)), Map.of());
    }

    private static List<String> shCommand(String script, String... params) {
        List<String> command = new ArrayList<>(List.of("sh", "-c", script, LAUNCHER.toString()));
        command.addAll(List.of(params));
        return command;
    }

    private static String[] run(ProcessBuilder pb, Map<String, String> env) throws IOException, InterruptedException {
        // As on these machines: Maven may run on JDK 17, and JAVA_HOME may point at it.
        pb.environment().remove("JAVA_HOME");
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("bin/jrsync did not finish in 120 s");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new String[] {Integer.toString(p.exitValue()), out, err};
    }

    @Test
    void versionRunsThroughTheLauncher() throws Exception {
        assertTrue(Files.isExecutable(LAUNCHER), LAUNCHER + " is not executable");
        String[] r = run("--version");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("protocol version 32"), r[1]);
    }

    /** The README's live mirror: a change arrives, SIGTERM (as Ctrl-C) stops it cleanly through the shutdown hook. */
    @Test
    void watchMirrorsAChangeAndStopsCleanlyOnSigterm(@TempDir Path tmp) throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path dst = tmp.resolve("dst");
        Files.writeString(src.resolve("first.txt"), "there before\n");
        Path out = tmp.resolve("out.txt");
        ProcessBuilder pb = new ProcessBuilder(LAUNCHER.toString(), "-av", "--delete", "--watch", src + "/", dst + "/")
                .redirectOutput(out.toFile()).redirectErrorStream(true);
        pb.environment().remove("JAVA_HOME");
        Process p = pb.start();
        try {
            awaitTrue(() -> Files.readString(out).contains("jrsync: watching"), out);
            Files.writeString(src.resolve("arrives.txt"), "a change\n");
            awaitTrue(() -> "a change\n".equals(readOrNull(dst.resolve("arrives.txt"))), out);
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "jrsync --watch ignored SIGTERM");
            String text = Files.readString(out);
            assertTrue(text.contains("jrsync: watch stopped"), text);
            assertEquals(143, p.exitValue(), text); // 128 + SIGTERM, after the hook ran
        } finally {
            p.destroyForcibly();
        }
    }

    /**
     * The README's metrics: a watch started with {@code --metrics} serves its counters over HTTP, and SIGUSR1 makes
     * it print its one-line status, then carry on mirroring.
     */
    @Test
    void watchServesMetricsAndPrintsItsStatusOnSigusr1(@TempDir Path tmp) throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path dst = tmp.resolve("dst");
        Files.writeString(src.resolve("first.txt"), "there before\n");
        Path out = tmp.resolve("out.txt");
        ProcessBuilder pb = new ProcessBuilder(LAUNCHER.toString(), "-a", "--watch", "--metrics=127.0.0.1:0",
                src + "/", dst + "/").redirectOutput(out.toFile()).redirectErrorStream(true);
        pb.environment().remove("JAVA_HOME");
        Process p = pb.start();
        try {
            awaitTrue(() -> Files.readString(out).contains("jrsync: watching")
                    && Scrape.urlIn(Files.readString(out)).isPresent(), out);
            String url = Scrape.urlIn(Files.readString(out)).orElseThrow();
            Files.writeString(src.resolve("arrives.txt"), "a change\n");
            awaitTrue(() -> "a change\n".equals(readOrNull(dst.resolve("arrives.txt"))), out);
            String t = "target=\"" + dst + "/\"";
            awaitTrue(() -> Scrape.of(url).get("jrsync_mirror_batches_total", t) >= 1, out);
            Scrape s = Scrape.of(url);
            assertEquals(1, s.get("jrsync_mirror_full_syncs_total", t), s.text());
            assertTrue(s.get("jrsync_mirror_lag_seconds_count", t) >= 1, s.text());

            Process kill = new ProcessBuilder("kill", "-USR1", Long.toString(p.pid())).inheritIO().start();
            assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -USR1 failed");
            String status = "jrsync: mirror to " + dst + "/: watching, 0 pending, 0 in flight, last batch lag ";
            awaitTrue(() -> Files.readString(out).contains(status), out);
            String line = Files.readString(out).lines().filter(l -> l.startsWith(status)).findFirst().orElseThrow();
            assertTrue(line.matches(".* ms, [1-9][0-9]* batch\\(es\\), 1 full sync\\(s\\), [1-9][0-9]* bytes sent,"
                    + " 0 failure\\(s\\), 1 watches"), line);
            assertTrue(p.isAlive(), Files.readString(out));
            Files.writeString(src.resolve("after.txt"), "still mirroring\n");
            awaitTrue(() -> "still mirroring\n".equals(readOrNull(dst.resolve("after.txt"))), out);
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "jrsync --watch ignored SIGTERM");
        } finally {
            p.destroyForcibly();
        }
    }

    /**
     * Ctrl-C during a transfer ends it as rsync's sig_int does: exit code 20, rsync's line naming the signals, and
     * no temporary file left behind. The pull is held to 1 MiB/s by the stock daemon so that it is under way.
     */
    @Test
    void sigintEndsATransferWithCode20AndLeavesNoTemporaryFile(@TempDir Path tmp) throws Exception {
        Path module = Files.createDirectories(tmp.resolve("module"));
        TestTrees.writeRandom(module.resolve("big.bin"), 32 << 20, 3);
        Path dst = tmp.resolve("dst");
        Path out = tmp.resolve("out.txt");
        try (StockDaemon daemon = StockDaemon.builder(StockRsync.requireOnPath(), tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("mod", module).readOnly(true)).start()) {
            ProcessBuilder pb = new ProcessBuilder(LAUNCHER.toString(), "-a", "--bwlimit=1m", daemon.url("mod") + "/",
                    dst + "/").redirectOutput(out.toFile()).redirectErrorStream(true);
            pb.environment().remove("JAVA_HOME");
            Process p = pb.start();
            try {
                awaitTrue(() -> {
                    try (Stream<Path> files = Files.isDirectory(dst) ? Files.list(dst) : Stream.empty()) {
                        return files.anyMatch(f -> f.getFileName().toString().startsWith(".big.bin."));
                    }
                }, out);
                // the launcher execs the JVM, so the process is the JVM itself
                assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor());
                assertTrue(p.waitFor(30, TimeUnit.SECONDS), "jrsync ignored SIGINT");
                String text = Files.readString(out);
                assertEquals(20, p.exitValue(), text);
                assertTrue(text.contains("received SIGINT, SIGTERM, or SIGHUP (code 20)"), text);
                TreeAssert.assertNoTempFiles(dst);
                assertTrue(Files.notExists(dst.resolve("big.bin")), "a file that never finished is in place");
            } finally {
                p.destroyForcibly();
            }
        }
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void awaitTrue(Check check, Path out) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out; output:\n" + Files.readString(out));
            }
            Thread.sleep(50);
        }
    }

    private static String readOrNull(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Once built and trained, a run starts no program but bash and the JVM: each program the script started
     * cost about 10 ms of CPU, and twelve of them were a third of {@code --version}'s (benchmarks/STARTUP.md).
     * PATH then holds bash alone, so a sed, find or readlink on the way fails the run.
     */
    @Test
    void aTrainedLauncherStartsNoProgramButTheJvm(@TempDir Path tmp) throws Exception {
        assertEquals("0", run("--version")[0]); // the first run may build and train
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("bash"), Path.of(bashPath()));
        String[] r = run(Map.of("PATH", bin.toString()), "--version");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("protocol version 32"), r[1]);
    }

    /**
     * A client run (C1 only) and the daemon (full tiers, its own heap bound) both map the cache the training
     * run recorded: with {@code -XX:AOTMode=on} the JVM refuses to start when the cache does not fit its flags,
     * where it would otherwise start silently without it.
     */
    @Test
    void clientAndDaemonRunsMapTheTrainedCache() throws Exception {
        Map<String, String> strict = Map.of("JRSYNC_JAVA_OPTS", "-XX:AOTMode=on");
        String[] client = run(strict, "--version");
        assertEquals("0", client[0], client[2]);
        assertTrue(client[1].contains("protocol version 32"), client[1]);
        String[] daemon = run(strict, "--daemon", "--help");
        assertEquals("0", daemon[0], daemon[2]);
        assertTrue(daemon[1].contains("rsync daemons"), daemon[1]);
    }

    private static String bashPath() {
        for (String dir : System.getenv("PATH").split(":")) {
            if (Files.isExecutable(Path.of(dir, "bash"))) {
                return Path.of(dir, "bash").toString();
            }
        }
        throw new AssertionError("no bash on PATH");
    }

    /**
     * Rules and a --files-from list read from a pipe (a shell's {@code <(...)}, {@code /dev/stdin}): the opener that
     * refuses others' symlinks follows the descriptor's link, whose text ("pipe:[N]") names no path.
     */
    @Test
    void rulesAndListsComeFromAPipe(@TempDir Path tmp) throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("f"), "f\n");
        Files.writeString(src.resolve("g"), "g\n");
        String[] excluded = sh("printf 'f\\n' | exec \"$0\" -a --exclude-from=/dev/stdin \"$1/\" \"$2/\"",
                src.toString(), tmp.resolve("excluded").toString());
        assertEquals("0", excluded[0], excluded[2]);
        assertEquals(List.of(Path.of("g")), listed(tmp.resolve("excluded")));
        String[] listedOnly = sh("printf 'f\\n' | exec \"$0\" -a --files-from=/dev/stdin \"$1/\" \"$2/\"",
                src.toString(), tmp.resolve("listed").toString());
        assertEquals("0", listedOnly[0], listedOnly[2]);
        assertEquals(List.of(Path.of("f")), listed(tmp.resolve("listed")));
    }

    /**
     * A source and a destination argument that are not UTF-8 name their files byte for byte: the JVM decodes
     * {@code caf\xe9} to {@code caf\uFFFD} (under the build's C.UTF-8 locale), which named no file before.
     */
    @Test
    void latin1ArgumentsNameTheirFilesInALocalCopy(@TempDir Path tmp) throws Exception {
        Path src = tmp.resolve("src");
        TestTrees.buildLatin1Names(src);
        String[] r = sh("exec \"$0\" -a \"$1/$(printf 'caf\\351')\" \"$2/$(printf 'd\\351st')/\"",
                src.toString(), tmp.toString());
        assertEquals("0", r[0], r[2]);
        Path dest = tmp.resolve(TestTrees.latin1("d\u00e9st"));
        assertEquals(List.of(TestTrees.latin1("caf\u00e9")), listed(dest), r[2]);
        assertEquals(-1, Files.mismatch(src.resolve(TestTrees.latin1("caf\u00e9")),
                dest.resolve(TestTrees.latin1("caf\u00e9"))));
    }

    /** The same, pushing a Latin-1 source argument to the Java daemon and pulling a Latin-1 module path. */
    @Test
    void latin1ArgumentsNameTheirFilesInAPushAndAPull(@TempDir Path tmp) throws Exception {
        Path src = tmp.resolve("src");
        TestTrees.buildLatin1Names(src);
        Path module = Files.createDirectory(tmp.resolve("module"));
        Path pulled = tmp.resolve("pulled");
        try (ModuleDaemon daemon = ModuleDaemon.start(module, tmp.resolve("daemon.log"), 0, "")) {
            String[] push = sh("exec \"$0\" -a \"$1/$(printf 'caf\\351')\" \"$2\"", src.toString(), daemon.url());
            assertEquals("0", push[0], push[2]);
            assertEquals(List.of(TestTrees.latin1("caf\u00e9")), listed(module), push[2]);
            Files.copy(src.resolve(TestTrees.latin1("caf\u00e8")), module.resolve(TestTrees.latin1("caf\u00e8")));
            String[] pull = sh("exec \"$0\" -a \"$1$(printf 'caf\\350')\" \"$2/\"", daemon.url(), pulled.toString());
            assertEquals("0", pull[0], pull[2]);
        }
        assertEquals(List.of(TestTrees.latin1("caf\u00e8")), listed(pulled));
        for (String name : List.of("caf\u00e9", "caf\u00e8")) {
            Path copy = (name.endsWith("\u00e9") ? module : pulled).resolve(TestTrees.latin1(name));
            assertEquals(-1, Files.mismatch(src.resolve(TestTrees.latin1(name)), copy), name);
        }
    }

    /** {@code jrsync events} watches a directory named in Latin-1 and prints its events' names as their bytes. */
    @Test
    void eventsWatchALatin1DirectoryAndPrintItsBytes(@TempDir Path tmp) throws Exception {
        Path src = tmp.resolve("src");
        TestTrees.buildLatin1Names(src);
        Path out = tmp.resolve("events.out");
        Path err = tmp.resolve("events.err");
        ProcessBuilder pb = new ProcessBuilder(shCommand("exec \"$0\" events -e create --format '%w%f' -o \"$2\" "
                + "\"$1/$(printf 'd\\351j\\340')/\"", src.toString(), out.toString()))
                .redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().remove("JAVA_HOME");
        Process p = pb.start();
        try {
            awaitTrue(() -> Files.readString(err).contains("Watches established."), err);
            Path dir = src.resolve(TestTrees.latin1("d\u00e9j\u00e0"));
            Files.writeString(dir.resolve(TestTrees.latin1("caf\u00e9")), "new\n");
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "jrsync events saw no event");
            assertEquals(0, p.exitValue(), Files.readString(err));
            byte[] expected = (src + "/d\u00e9j\u00e0/caf\u00e9\n").getBytes(StandardCharsets.ISO_8859_1);
            assertArrayEquals(expected, Files.readAllBytes(out), Files.readString(err));
        } finally {
            p.destroyForcibly();
        }
    }

    private static List<Path> listed(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(Path::getFileName).toList();
        }
    }

    @Test
    void unknownOptionExitsWithRsyncsSyntaxCode() throws Exception {
        String[] r = run("--bogus");
        assertEquals("1", r[0], r[2]);
        assertTrue(r[2].contains("--bogus: unknown option"), r[2]);
    }
}
