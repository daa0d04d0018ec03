package dev.jrsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.testing.OpenSshd;
import dev.jrsync.testing.StockDaemon;
import dev.jrsync.testing.StockRsync;
import dev.jrsync.testing.TestTrees;
import dev.jrsync.testing.TreeAssert;
import java.io.File;
import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The five jars as JPMS modules, as a Maven user would put them on the module path: each exports only its API
 * package to everyone, the rest only to jrsync's own modules by name, and the command runs as a module.
 */
class ModularJarsIT {
    /** Maven module directory to the module name its descriptor gives and the packages it exports to everyone. */
    private static final Map<String, Map.Entry<String, Set<String>>> MODULES = new LinkedHashMap<>();

    static {
        MODULES.put("rsync-protocol", Map.entry("dev.jrsync", Set.of("dev.jrsync.api")));
        MODULES.put("rsyncd-server", Map.entry("dev.jrsync.rsyncd", Set.of("dev.jrsync.api.daemon")));
        MODULES.put("watcher", Map.entry("dev.jrsync.watcher", Set.of()));
        MODULES.put("mirror", Map.entry("dev.jrsync.mirror", Set.of("dev.jrsync.api.mirror")));
        MODULES.put("cli", Map.entry("dev.jrsync.cli", Set.of()));
    }

    /** The jar {@code mvn package} built in {@code ../DIR/target}, not its tests jar. */
    private static Path jarOf(String dir) throws IOException {
        try (Stream<Path> files = Files.list(Path.of("..", dir, "target"))) {
            List<Path> jars = files.filter(p -> p.getFileName().toString().matches(dir + "-[0-9].*(?<!-tests)\\.jar"))
                    .toList();
            assertEquals(1, jars.size(), () -> "one jar in ../" + dir + "/target: " + jars);
            return jars.getFirst().toAbsolutePath();
        }
    }

    /** jrsync's jars, then the libraries they need, taken from this test's class path. */
    private static List<Path> modulePath() throws IOException {
        List<Path> path = new ArrayList<>();
        for (String dir : MODULES.keySet()) {
            path.add(jarOf(dir));
        }
        path.addAll(libraries());
        return path;
    }

    /** The jars of the libraries jrsync's modules require, from this test's class path. */
    static List<Path> libraries() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(Path::of)
                .filter(p -> p.getFileName().toString()
                        .matches("(netty-|bcprov-|lz4-java-|zstd-jni-|hash4j-|sshd-osgi-|slf4j-|micrometer-"
                                + "|prometheus-metrics-|HdrHistogram-).*\\.jar"))
                .toList();
    }

    @Test
    void eachJarExportsOnlyItsApiToEveryone() throws IOException {
        for (Map.Entry<String, Map.Entry<String, Set<String>>> m : MODULES.entrySet()) {
            ModuleDescriptor d = ModuleFinder.of(jarOf(m.getKey())).findAll().iterator().next().descriptor();
            assertEquals(m.getValue().getKey(), d.name(), m.getKey());
            Set<String> open = d.exports().stream().filter(e -> !e.isQualified()).map(ModuleDescriptor.Exports::source)
                    .collect(Collectors.toSet());
            assertEquals(m.getValue().getValue(), open, d.name() + " exports to everyone");
            for (ModuleDescriptor.Exports e : d.exports()) {
                assertTrue(e.targets().stream().allMatch(t -> t.startsWith("dev.jrsync")),
                        () -> d.name() + " exports " + e.source() + " outside jrsync: " + e.targets());
            }
            assertTrue(d.packages().size() > open.size(), d.name() + " holds internals");
        }
    }

    @Test
    void theModulesResolveAndHideTheirInternals() throws IOException {
        ModuleFinder finder = ModuleFinder.of(modulePath().toArray(Path[]::new));
        Configuration conf = ModuleLayer.boot().configuration().resolve(finder, ModuleFinder.of(),
                Set.of("dev.jrsync.cli"));
        ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(conf, ClassLoader.getSystemClassLoader());
        Module core = layer.findModule("dev.jrsync").orElseThrow();
        Module cli = layer.findModule("dev.jrsync.cli").orElseThrow();
        assertTrue(core.isExported("dev.jrsync.api"));
        assertFalse(core.isExported("dev.jrsync.session"), "the transfer roles are internal");
        assertTrue(core.isExported("dev.jrsync.session", cli), "the command reaches them by name");
        assertFalse(core.isExported("dev.jrsync.session", getClass().getModule()), "an unnamed module does not");
    }

    /** The in-process ssh client as a module: MINA's sshd-osgi (automatic) and slf4j resolve beside jrsync's. */
    @Test
    void theCommandPushesOverSshAsAModule(@TempDir Path tmp) throws Exception {
        StockRsync rsync = StockRsync.requireOnPath();
        Path src = tmp.resolve("src");
        TestTrees.buildVaried(src, TestTrees.Omit.SPECIALS);
        try (OpenSshd sshd = OpenSshd.start(tmp.resolve("sshd"))) {
            String out = runAsModule("-a", "-e", sshd.rsh(), "--rsync-path=" + rsync.binary(), src + "/",
                    "127.0.0.1:" + tmp.resolve("dest") + "/");
            assertFalse(out.contains("SLF4J"), out);
            TreeAssert.assertIdentical(src, tmp.resolve("dest"), TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));
        }
    }

    /** Runs the command from the module path; it must succeed, and its output (stdout and stderr) is returned. */
    private static String runAsModule(String... args) throws Exception {
        String modulePath = modulePath().stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(),
                "--enable-native-access=dev.jrsync,dev.jrsync.watcher", "-p", modulePath, "-m",
                "dev.jrsync.cli/dev.jrsync.cli.Main"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the command did not finish in 120 s");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertFalse(out.contains("WARNING"), out);
        return out;
    }

    @Test
    void theCommandPushesAsAModule(@TempDir Path tmp) throws Exception {
        StockRsync rsync = StockRsync.requireOnPath();
        Path src = tmp.resolve("src");
        Path module = Files.createDirectories(tmp.resolve("module"));
        TestTrees.buildVaried(src, TestTrees.Omit.SPECIALS);
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("mod", module)).start()) {
            runAsModule("-a", "--stats", src + "/", daemon.url("mod") + "/");
            TreeAssert.assertIdentical(src, module, TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));
        }
    }

    /** {@code --watch --metrics} on the module path: Micrometer and the Prometheus client as automatic modules. */
    @Test
    void theMirrorServesItsMetricsAsAModule(@TempDir Path tmp) throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("f"), "mirrored\n");
        Path dst = tmp.resolve("dst");
        Path out = tmp.resolve("out.txt");
        String modulePath = modulePath().stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "--enable-native-access=dev.jrsync,dev.jrsync.watcher",
                "-p", modulePath, "-m", "dev.jrsync.cli/dev.jrsync.cli.Main", "-a", "--watch",
                "--metrics=127.0.0.1:0", src + "/", dst + "/").redirectOutput(out.toFile()).redirectErrorStream(true)
                .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!(Files.readString(out).contains("jrsync: watching") && Scrape.urlIn(Files.readString(out)).isPresent())
                    && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            String started = Files.readString(out);
            String url = Scrape.urlIn(started).orElseThrow(() -> new AssertionError("no metrics URL:\n" + started));
            Scrape s = Scrape.of(url);
            String t = "target=\"" + dst + "/\"";
            assertEquals(1, s.get("jrsync_mirror_full_syncs_total", t), s.text());
            assertTrue(s.value("jrsync_mirror_lag_seconds", t + ",quantile=\"0.99\"").isPresent(), s.text());
            assertFalse(Files.readString(out).contains("WARNING"), Files.readString(out));
        } finally {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
