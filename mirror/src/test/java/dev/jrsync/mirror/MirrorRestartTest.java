package dev.jrsync.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.daemon.DaemonLog;
import dev.jrsync.daemon.RsyncDaemon;
import dev.jrsync.daemon.RsyncdConfig;
import dev.jrsync.testing.CurrentUser;
import dev.jrsync.testing.StockDaemon;
import dev.jrsync.testing.StockRsync;
import dev.jrsync.testing.TreeAssert;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A mirror killed with SIGKILL and started again (issue 14): with its tree index it sends only what changed while
 * it was down; with the index damaged or missing it sends the whole tree again, saying why. The mirror runs as a
 * process of its own ({@link MirrorChild}) into a stock rsync daemon's module, the Java daemon's (in this JVM)
 * or a local folder.
 */
class MirrorRestartTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int DIRS = 10;
    private static final int FILES_PER_DIR = 30;
    private static final int FILE_SIZE = 8192;

    @TempDir
    Path tmp;
    private Path src;
    private Path dst;
    private Path state;
    private StockDaemon daemon;
    private RsyncDaemon javaDaemon;
    private DaemonLog javaDaemonLog;
    private final List<Child> children = new ArrayList<>();

    @AfterEach
    void stop() {
        children.forEach(c -> c.process.destroyForcibly());
        if (daemon != null) {
            daemon.close();
        }
        if (javaDaemon != null) {
            javaDaemon.close();
            javaDaemonLog.close();
        }
    }

    /** A tree last changed an hour ago, as a tree a mirror restarts on usually is. */
    private String setUp(String kind) throws IOException, InterruptedException {
        src = Files.createDirectories(tmp.resolve("src"));
        dst = Files.createDirectories(tmp.resolve("dst"));
        state = tmp.resolve("state");
        byte[] data = new byte[FILE_SIZE];
        for (int d = 0; d < DIRS; d++) {
            Path dir = Files.createDirectory(src.resolve("d" + d));
            for (int f = 0; f < FILES_PER_DIR; f++) {
                Arrays.fill(data, (byte) (d * FILES_PER_DIR + f));
                Files.write(dir.resolve("f" + f), data);
            }
        }
        FileTime hourAgo = FileTime.fromMillis(System.currentTimeMillis() - 3_600_000);
        try (Stream<Path> all = Files.walk(src)) {
            for (Path p : all.toList()) {
                Files.setLastModifiedTime(p, hourAgo);
            }
        }
        if (kind.equals("local")) {
            return dst.toString();
        }
        if (kind.equals("java-daemon")) {
            String config = "use chroot = no\n" + (CurrentUser.isRoot() ? "uid = 0\ngid = 0\n" : "")
                    + "[mod]\npath = " + dst + "\nread only = no\n";
            javaDaemonLog = new DaemonLog(tmp.resolve("java-daemon.log"), null);
            javaDaemon = new RsyncDaemon(RsyncdConfig.parse(config, "test.conf"), javaDaemonLog);
            return "rsync://127.0.0.1:" + javaDaemon.start(new InetSocketAddress("127.0.0.1", 0)) + "/mod/";
        }
        daemon = StockDaemon.builder(StockRsync.requireOnPath(), tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("mod", dst)).start();
        return daemon.url("mod");
    }

    /** A mirror of the source to {@code dest}, once it watches. */
    private Child startWatching(String dest) throws IOException, InterruptedException {
        Child c = new Child(List.of("-a", "--delete", "--watch-state=" + state, src + "/", dest));
        children.add(c);
        c.await(l -> l.equals("watching"));
        return c;
    }

    private Path indexFile() throws IOException {
        try (Stream<Path> files = Files.list(state)) {
            List<Path> index = files.filter(p -> p.toString().endsWith(".index")).toList();
            assertEquals(1, index.size(), index::toString);
            return index.getFirst();
        }
    }

    private void awaitIdentical(Child c) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        List<String> diff = differences();
        while (!diff.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            diff = differences();
        }
        List<String> last = diff;
        assertTrue(last.isEmpty(), () -> "not converged: " + last + "\n" + c.transcript());
    }

    private List<String> differences() {
        try {
            return TreeAssert.differences(src, dst, TreeAssert.Option.NANOSECONDS);
        } catch (UncheckedIOException e) {
            return List.of("changing during the comparison: " + e.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"daemon", "java-daemon", "local"})
    void aRestartAfterKillSendsOnlyWhatChangedWhileTheMirrorWasDown(String kind) throws Exception {
        String dest = setUp(kind);
        Child first = startWatching(dest);
        assertTrue(first.has(l -> l.startsWith("message INFO jrsync: watch: no index for ")), first::transcript);
        long fullBytes = first.fullBytes();
        assertTrue(fullBytes > DIRS * FILES_PER_DIR * FILE_SIZE, first::transcript);
        // A change while it runs: the index goes, and comes back once the changes pause.
        Files.writeString(src.resolve("d6/live"), "while running\n");
        first.await(l -> l.startsWith("batch ") && l.contains("d6/live"));
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!Files.exists(state) || Files.list(state).noneMatch(p -> p.toString().endsWith(".index"))) {
            assertTrue(System.nanoTime() < deadline, "the index was not saved again\n" + first.transcript());
            Thread.sleep(50);
        }
        first.kill();

        Files.write(src.resolve("d1/f1"), new byte[FILE_SIZE]); // same size, other bytes
        Files.writeString(src.resolve("d2/f2"), "appended", java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(src.resolve("d3/new"), "new file\n");
        Files.delete(src.resolve("d4/f4"));
        Files.setPosixFilePermissions(src.resolve("d5/f5"), PosixFilePermissions.fromString("rw-------"));
        Files.createDirectories(src.resolve("newdir"));
        Files.writeString(src.resolve("newdir/inside"), "in a new directory\n");
        Path index = indexFile();

        Child second = startWatching(dest);
        awaitIdentical(second);
        Thread.sleep(300); // anything else it would send
        assertTrue(second.has(l -> l.startsWith("message INFO jrsync: watch: index " + index)
                && l.endsWith("; sending what changed since")), second::transcript);
        assertTrue(second.lines().stream().noneMatch(l -> l.startsWith("full ") || l.contains("full sync")),
                second::transcript);
        Set<String> sentPaths = new TreeSet<>();
        long sentSum = 0;
        for (String l : second.lines()) {
            if (l.startsWith("batch ")) {
                String[] f = l.split(" ", 3);
                sentSum += Long.parseLong(f[1]);
                sentPaths.addAll(List.of(f[2].split("\\|")));
            }
        }
        long sent = sentSum;
        assertEquals(Set.of("d1/f1", "d2/f2", "d3", "d3/new", "d4", "d4/f4", "d5/f5", "newdir", "newdir/inside"),
                sentPaths, second::transcript);
        Set<String> items = new TreeSet<>();
        second.lines().stream().filter(l -> l.startsWith("item ")).forEach(l -> items.add(l.substring(5)));
        assertEquals(Set.of("d1/f1", "d2/f2", "d3/new", "newdir/inside"), items, second::transcript);
        System.out.printf("restart after kill -9 (%s): %d bytes sent for what changed, %d for the full sync%n",
                kind, sent, fullBytes);
        assertTrue(sent < fullBytes / 10, () -> sent + " bytes sent\n" + second.transcript());
        TreeAssert.assertIdentical(src, dst, TreeAssert.Option.NANOSECONDS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"daemon", "java-daemon", "local"})
    void aCorruptIndexFallsBackToTheFullPassAndSaysWhy(String kind) throws Exception {
        String dest = setUp(kind);
        Child first = startWatching(dest);
        first.kill();
        Path index = indexFile();
        byte[] bytes = Files.readAllBytes(index);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(index, bytes);
        Files.writeString(src.resolve("d0/new"), "new file\n");

        Child second = startWatching(dest);
        assertTrue(second.has(l -> l.equals("message ERROR jrsync: watch: index " + index
                + " is corrupt (checksum mismatch (truncated or damaged)); full sync")), second::transcript);
        assertTrue(second.has(l -> l.startsWith("full ")), second::transcript);
        awaitIdentical(second);
    }

    /**
     * No index: the first start, and a mirror killed while its index was stale (something was sent since the
     * last save), which must not trust the older index.
     */
    @ParameterizedTest
    @ValueSource(strings = {"daemon", "java-daemon", "local"})
    void aMissingIndexMeansTheFullPass(String kind) throws Exception {
        String dest = setUp(kind);
        Child first = startWatching(dest);
        assertTrue(first.has(l -> l.startsWith("full ")), first::transcript);
        Files.writeString(src.resolve("d0/sent-then-deleted"), "x\n");
        first.await(l -> l.startsWith("batch ") && l.contains("d0/sent-then-deleted"));
        first.kill(); // within the save delay: the index was removed when the batch went
        Files.delete(src.resolve("d0/sent-then-deleted"));

        Child second = startWatching(dest);
        assertTrue(second.has(l -> l.equals("message INFO jrsync: watch: no index for " + src.toAbsolutePath()
                + " -> " + (kind.equals("local") ? dst.toAbsolutePath() + "/" : dest) + " in "
                + state.toAbsolutePath() + "; full sync")), second::transcript);
        assertTrue(second.has(l -> l.startsWith("full ")), second::transcript);
        awaitIdentical(second);
    }

    /** A mirror in a JVM of its own, its event lines collected as they come. */
    private static final class Child {
        final Process process;
        private final List<String> lines = new ArrayList<>();

        Child(List<String> args) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    MirrorChild.class.getName()));
            cmd.addAll(args);
            process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            process.getOutputStream().close();
            Thread.ofVirtual().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String l = r.readLine(); l != null; l = r.readLine()) {
                        synchronized (lines) {
                            lines.add(l);
                        }
                    }
                } catch (IOException ended) {
                    // killed
                }
            });
        }

        List<String> lines() {
            synchronized (lines) {
                return List.copyOf(lines);
            }
        }

        boolean has(Predicate<String> line) {
            return lines().stream().anyMatch(line);
        }

        void await(Predicate<String> line) throws InterruptedException {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!has(line)) {
                assertTrue(process.isAlive() || has(line), () -> "the mirror ended\n" + transcript());
                assertTrue(System.nanoTime() < deadline, () -> "not seen within " + TIMEOUT + "\n" + transcript());
                Thread.sleep(10);
            }
        }

        long fullBytes() {
            return lines().stream().filter(l -> l.startsWith("full ")).mapToLong(l -> Long.parseLong(l.substring(5)))
                    .findFirst().orElseThrow(() -> new AssertionError("no full sync\n" + transcript()));
        }

        /** SIGKILL: no shutdown hook, no clean stop, no last save. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            assertTrue(process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(137, process.exitValue());
        }

        String transcript() {
            return String.join("\n", lines());
        }
    }
}
