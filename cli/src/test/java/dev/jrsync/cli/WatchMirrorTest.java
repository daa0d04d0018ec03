package dev.jrsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.testing.StockDaemon;
import dev.jrsync.testing.StockRsync;
import dev.jrsync.testing.TestTrees;
import dev.jrsync.testing.TransferLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code jrsync -a --delete --watch SRC/ DEST} into a stock rsync daemon and into a local folder. */
class WatchMirrorTest {
    private static final Duration CONVERGE = Duration.ofSeconds(30);

    @TempDir
    Path tmp;
    private StockDaemon daemon;
    private ModuleDaemon javaDaemon;

    @AfterEach
    void stopDaemon() {
        if (daemon != null) {
            daemon.close();
        }
        if (javaDaemon != null) {
            javaDaemon.close();
        }
    }

    /**
     * The destination argument: a stock daemon's module (skipped without a stock rsync), the Java daemon's
     * module (in this JVM), or a local folder.
     */
    private String target(String kind, Path dst) throws Exception {
        if (kind.equals("local")) {
            return dst.toString();
        }
        if (kind.equals("java-daemon")) {
            return "rsync://127.0.0.1:" + startJavaDaemon(dst, 0, "") + "/mod/";
        }
        daemon = startDaemon(StockRsync.requireOnPath(), dst, 0);
        return daemon.url("mod");
    }

    /** Starts the Java daemon on {@code port} (0: a free one) with module "mod" at {@code dst}; returns the port. */
    private int startJavaDaemon(Path dst, int port, String moduleLines) throws Exception {
        javaDaemon = ModuleDaemon.start(dst, tmp.resolve("java-daemon.log"), port, moduleLines);
        return javaDaemon.port();
    }

    private StockDaemon startDaemon(StockRsync rsync, Path dst, int port) {
        return StockDaemon.builder(rsync, tmp.resolve("daemon")).port(port)
                .module(StockDaemon.Module.of("mod", dst)).start();
    }

    private static RunningMirror mirror(Path src, String dest) {
        return RunningMirror.start("-a", "--delete", "-v", "--watch", src + "/", dest);
    }

    private static void awaitIdentical(Path src, Path dst, RunningMirror m) throws InterruptedException {
        m.awaitIdentical(src, dst, CONVERGE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"daemon", "java-daemon", "local"})
    void smallFileRewrittenFortyTimesArrivesEachTime(String kind) throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src/notes"));
        Path dst = Files.createDirectory(tmp.resolve("dst"));
        Path file = src.resolve("today.txt");
        Files.writeString(file, "rewrite 00 of 40\n");
        String dest = target(kind, dst);
        Path replica = dst.resolve("notes/today.txt");
        try (RunningMirror m = mirror(src.getParent(), dest)) {
            awaitIdentical(src.getParent(), dst, m);
            List<Long> micros = new ArrayList<>();
            for (int i = 1; i <= 40; i++) {
                String content = String.format("rewrite %02d of 40\n", i);
                Files.writeString(file, content);
                long t0 = System.nanoTime();
                long deadline = t0 + 5_000_000_000L;
                while (!content.equals(readQuietly(replica)) && System.nanoTime() < deadline) {
                    LockSupport.parkNanos(100_000);
                }
                long took = System.nanoTime() - t0;
                assertTrue(content.equals(readQuietly(replica)), () -> "rewrite lost\n" + m.transcript());
                micros.add(took / 1000);
            }
            micros.sort(Comparator.naturalOrder());
            long median = micros.get(micros.size() / 2);
            long p99 = micros.get((int) Math.ceil(micros.size() * 0.99) - 1);
            System.out.printf("watch latency (%s): median %.1f ms, p99 %.1f ms, max %.1f ms over %d rewrites%n",
                    kind, median / 1000.0, p99 / 1000.0, micros.getLast() / 1000.0, micros.size());
            assertTrue(median < 100_000, () -> "median " + median + " us\n" + m.transcript());
            awaitIdentical(src.getParent(), dst, m);
        }
    }

    /**
     * {@code --watch-target} adds destinations to the one of rsync's syntax; each line names its destination, a
     * transfer's (here {@code -v}'s names) in brackets.
     */
    @Test
    void watchTargetsAddDestinationsAndTheLinesNameThem() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path dst = Files.createDirectory(tmp.resolve("dst"));
        Path dst2 = Files.createDirectory(tmp.resolve("dst2"));
        Files.writeString(src.resolve("a.txt"), "there at the start\n");
        try (RunningMirror m = RunningMirror.start("-a", "--delete", "-v", "--watch", src + "/", dst.toString(),
                "--watch-target=" + dst2)) {
            awaitIdentical(src, dst, m);
            awaitIdentical(src, dst2, m);
            Files.writeString(src.resolve("b.txt"), "came while watching\n");
            awaitIdentical(src, dst, m);
            awaitIdentical(src, dst2, m);
            long deadline = System.nanoTime() + CONVERGE.toNanos();
            while (!(m.stdout().contains("mirror to " + dst + ": 0 queued")
                    && m.stdout().contains("mirror to " + dst2 + ": 0 queued")) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(m.stdout().contains("mirror to " + dst2 + ": 0 queued"), m::transcript);
            assertTrue(m.stdout().contains("mirror to " + dst + ": 0 queued"), m::transcript);
            assertTrue(m.stdout().contains("jrsync: watching " + src + " to " + dst2 + " ("), m::transcript);
            List<String> lines = m.stdout().lines().toList();
            assertTrue(lines.contains("[" + dst + "] b.txt") && lines.contains("[" + dst2 + "] b.txt"), m::transcript);
        }
    }

    /**
     * {@code --watch-backend=fanotify}: one filesystem mark instead of a watch per directory, the same mirror
     * (skipped unless root: fanotify needs CAP_SYS_ADMIN, and elsewhere the mirror falls back to inotify).
     */
    @ParameterizedTest
    @ValueSource(strings = {"daemon", "local"})
    void theFanotifyBackendMirrorsTheSameChanges(String kind) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.jrsync.fs.Posix.geteuid() == 0,
                "fanotify needs CAP_SYS_ADMIN: run as root");
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path dst = Files.createDirectory(tmp.resolve("dst"));
        Files.createDirectories(src.resolve("old/deep"));
        Files.writeString(src.resolve("old/deep/f"), "0\n");
        String dest = target(kind, dst);
        try (RunningMirror m = RunningMirror.start("-a", "--delete", "-v", "--watch", "--watch-backend=fanotify",
                src + "/", dest)) {
            awaitIdentical(src, dst, m);
            Path c = Files.createDirectories(src.resolve("new/a/b/c"));
            Files.writeString(c.resolve("g"), "1\n");
            Files.move(src.resolve("old"), src.resolve("renamed"));
            Files.writeString(src.resolve("renamed/deep/f"), "2\n");
            Files.delete(src.resolve("renamed/deep/f"));
            Files.writeString(src.resolve("renamed/h"), "3\n");
            awaitIdentical(src, dst, m);
            assertTrue(!m.stderr().contains("watching with inotify instead"), m::transcript);
            // One mark, where inotify would have had a watch on each of the three directories.
            assertTrue(m.stdout().contains("(1 watched directory"), m::transcript);
        }
    }

    /** A daemon's motd is printed once, by the first connection, not again by each batch's (issue 14). */
    @Test
    void aDaemonsMotdIsPrintedOnce() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path dst = Files.createDirectory(tmp.resolve("dst"));
        Files.writeString(src.resolve("f"), "0\n");
        Path motd = Files.writeString(tmp.resolve("motd"), "Welcome to the mirror target\n");
        daemon = StockDaemon.builder(StockRsync.requireOnPath(), tmp.resolve("daemon")).globalLine("motd file = " + motd)
                .module(StockDaemon.Module.of("mod", dst)).start();
        try (RunningMirror m = mirror(src, daemon.url("mod"))) {
            awaitIdentical(src, dst, m);
            for (int i = 1; i <= 3; i++) {
                Files.writeString(src.resolve("f"), i + "\n");
                awaitIdentical(src, dst, m);
                m.awaitIdle(Duration.ofMillis(200), CONVERGE);
            }
            long shown = m.stdout().lines().filter(l -> l.equals("Welcome to the mirror target")).count();
            assertEquals(1L, shown, m::transcript);
            assertTrue(m.stdout().split("mirror: \\d+ queued").length > 3, m::transcript); // batches ran
        }
    }

    /** With two daemons as destinations, each one's motd is printed once. */
    @Test
    void eachTargetDaemonsMotdIsPrintedOnce() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path dst = Files.createDirectory(tmp.resolve("dst"));
        Path dst2 = Files.createDirectory(tmp.resolve("dst2"));
        Files.writeString(src.resolve("f"), "0\n");
        StockRsync rsync = StockRsync.requireOnPath();
        daemon = StockDaemon.builder(rsync, tmp.resolve("daemon")).globalLine("motd file = "
                + Files.writeString(tmp.resolve("motd"), "Welcome to the first target\n"))
                .module(StockDaemon.Module.of("mod", dst)).start();
        try (StockDaemon second = StockDaemon.builder(rsync, tmp.resolve("daemon2")).globalLine("motd file = "
                + Files.writeString(tmp.resolve("motd2"), "Welcome to the second target\n"))
                .module(StockDaemon.Module.of("mod", dst2)).start();
             RunningMirror m = RunningMirror.start("-a", "--watch", src + "/", daemon.url("mod"),
                     "--watch-target=" + second.url("mod"))) {
            for (int i = 1; i <= 3; i++) {
                Files.writeString(src.resolve("f"), i + "\n");
                awaitIdentical(src, dst, m);
                awaitIdentical(src, dst2, m);
            }
            for (String motd : List.of("[" + daemon.url("mod") + "] Welcome to the first target",
                    "[" + second.url("mod") + "] Welcome to the second target")) {
                assertEquals(1L, m.stdout().lines().filter(motd::equals).count(), m::transcript);
            }
        }
    }

    /** A log kept open and appended to every 2 ms never settles; --watch-max-delay still brings it over. */
    @ParameterizedTest
    @ValueSource(strings = {"daemon", "java-daemon", "local"})
    void aFileWrittenContinuouslyArrivesWithinTheMaximumDelay(String kind) throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path dst = Files.createDirectory(tmp.resolve("dst"));
        String dest = target(kind, dst);
        try (RunningMirror m = RunningMirror.start("-a", "-v", "--watch", "--watch-max-delay=200", src + "/", dest)) {
            awaitIdentical(src, dst, m);
            Path replica = dst.resolve("app.log");
            long t0 = System.nanoTime();
            long arrived = -1;
            try (java.io.OutputStream log = Files.newOutputStream(src.resolve("app.log"))) {
                for (int i = 0; i < 2000 && arrived < 0; i++) {
                    log.write(("line " + i + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    log.flush();
                    String seen = readQuietly(replica);
                    if (seen != null && seen.startsWith("line 0\n")) {
                        arrived = System.nanoTime() - t0;
                    }
                    LockSupport.parkNanos(2_000_000);
                }
            }
            long took = arrived;
            System.out.printf("continuously written file (%s): first copy after %.0f ms while still open%n",
                    kind, took / 1e6);
            assertTrue(took > 0 && took < 2_000_000_000L, () -> "never arrived while open\n" + m.transcript());
            awaitIdentical(src, dst, m);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"daemon", "java-daemon", "local"})
    void everyKindOfChangeConverges(String kind) throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path dst = Files.createDirectory(tmp.resolve("dst"));
        Files.createDirectories(src.resolve("ren"));
        Files.writeString(src.resolve("ren/old-name.txt"), "renamed within its directory\n");
        Files.createDirectories(src.resolve("del"));
        Files.writeString(src.resolve("del/gone.txt"), "deleted\n");
        Files.writeString(src.resolve("del/stays.txt"), "stays\n");
        Files.createDirectories(src.resolve("mode"));
        Files.writeString(src.resolve("mode/x.sh"), "#!/bin/sh\n");
        Files.createDirectories(src.resolve("touch"));
        Files.writeString(src.resolve("touch/t.txt"), "touched\n");
        for (int i = 0; i < 10; i++) {
            Files.createDirectories(src.resolve("subtree/a/b" + i));
            Files.writeString(src.resolve("subtree/a/b" + i + "/f"), "leaf " + i);
        }
        Files.createDirectories(src.resolve("dirA/inner"));
        Files.writeString(src.resolve("dirA/inner/f.txt"), "moves with its directory\n");
        Files.createDirectories(src.resolve("hot"));
        TestTrees.writeRandom(src.resolve("hot/hot.bin"), 4096, 0);
        String dest = target(kind, dst);
        try (RunningMirror m = mirror(src, dest)) {
            awaitIdentical(src, dst, m);

            Path fresh = Files.createDirectories(src.resolve("new/n1/n2"));
            for (int i = 0; i < 20; i++) {
                Files.writeString(fresh.resolve("f" + i), "new file " + i);
            }
            Files.move(src.resolve("ren/old-name.txt"), src.resolve("ren/new-name.txt"));
            Files.delete(src.resolve("del/gone.txt"));
            Files.setPosixFilePermissions(src.resolve("mode/x.sh"), PosixFilePermissions.fromString("rwxr-x---"));
            TestTrees.setMtime(src.resolve("touch/t.txt"), Instant.parse("2019-05-06T07:08:09.123456789Z"));
            try (Stream<Path> walk = Files.walk(src.resolve("subtree"))) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
            Files.move(src.resolve("dirA"), src.resolve("dirB"));
            for (int i = 1; i <= 200; i++) {
                Files.write(src.resolve("hot/hot.bin"), TestTrees.randomBytes(4096, i));
            }
            awaitIdentical(src, dst, m);
            assertTrue(Files.notExists(dst.resolve("subtree")) && Files.notExists(dst.resolve("dirA")));
        }
    }

    /**
     * An 8 MiB file renamed in its directory, then moved to another directory, then its directory renamed: every
     * target gets each from its old copy (a fuzzy basis for the rename, --copy-dest for the moves), so only a few
     * kilobytes cross. Moved back under another name, jrsync's receivers find it with -yy in the basis directory.
     * Moved into a directory made just before, it is still a move (under 1 % of the file is sent).
     */
    @ParameterizedTest
    @ValueSource(strings = {"daemon", "java-daemon", "local"})
    void renamesAndMovesOfAnEightMebibyteFileMoveOnlyAFewKilobytes(String kind) throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src/big"));
        Path dst = Files.createDirectory(tmp.resolve("dst"));
        Files.createDirectories(src.resolveSibling("elsewhere"));
        TestTrees.writeRandom(src.resolve("data.bin"), TestTrees.BIG_SIZE, 8);
        Files.writeString(src.resolve("other.txt"), "neighbour\n");
        String dest = target(kind, dst);
        Path root = src.getParent();
        try (RunningMirror m = mirror(root, dest)) {
            awaitIdentical(root, dst, m);
            long renamed = sentFor(m, root, dst, () -> Files.move(src.resolve("data.bin"), src.resolve("renamed.bin")));
            long moved = sentFor(m, root, dst,
                    () -> Files.move(src.resolve("renamed.bin"), root.resolve("elsewhere/renamed.bin")));
            long dirMoved = sentFor(m, root, dst, () -> Files.move(root.resolve("elsewhere"), root.resolve("moved-dir")));
            long movedRenamed = sentFor(m, root, dst,
                    () -> Files.move(root.resolve("moved-dir/renamed.bin"), src.resolve("back.bin")));
            // issue 14: a move into a directory made just before ("mkdir d; mv f d/") is a move too
            long intoNew = sentFor(m, root, dst, () -> {
                Files.createDirectories(root.resolve("new-dir/deeper"));
                Files.move(src.resolve("back.bin"), root.resolve("new-dir/deeper/back.bin"));
            });
            System.out.printf("8 MiB (%s): rename in place %d bytes, move to another directory %d bytes, "
                    + "directory renamed %d bytes, moved back under a new name %d bytes, moved into a new directory "
                    + "%d bytes sent%n", kind, renamed, moved, dirMoved, movedRenamed, intoNew);
            assertTrue(intoNew < TestTrees.BIG_SIZE / 100, () -> intoNew + " bytes sent\n" + m.transcript());
            assertTrue(renamed < 16 * 1024, () -> renamed + " bytes sent\n" + m.transcript());
            assertTrue(moved < 16 * 1024 && dirMoved < 16 * 1024, () -> moved + ", " + dirMoved + "\n"
                    + m.transcript());
            assertTrue(!m.stderr().contains("refuses --copy-dest"), m::transcript);
            // Moved and renamed needs -yy over the basis directory, which a stock daemon does only in a chroot.
            if (daemon == null) {
                assertTrue(movedRenamed < 16 * 1024, () -> movedRenamed + "\n" + m.transcript());
            }
            if (daemon != null) {
                TransferLog.Entry e = daemon.transferLog().entry("big/renamed.bin");
                System.out.printf("8 MiB rename (daemon log): %d bytes for %s%n", e.bytes(), e.name());
                assertTrue(e.bytes() < 16 * 1024, e::toString);
            }
        }
    }

    /** A daemon configured to refuse --copy-dest: moves still converge, their data sent again. */
    @org.junit.jupiter.api.Test
    void aTargetThatRefusesCopyDestStillGetsMovedFiles() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src/a"));
        Path dst = Files.createDirectory(tmp.resolve("dst"));
        Files.createDirectories(src.resolveSibling("b"));
        TestTrees.writeRandom(src.resolve("f.bin"), 64 * 1024, 3);
        int port = startJavaDaemon(dst, 0, "refuse options = copy-dest\n");
        Path root = src.getParent();
        try (RunningMirror m = mirror(root, "rsync://127.0.0.1:" + port + "/mod/")) {
            awaitIdentical(root, dst, m);
            long moved = sentFor(m, root, dst, () -> Files.move(src.resolve("f.bin"), root.resolve("b/f.bin")));
            assertTrue(m.stderr().contains("refuses --copy-dest"), m::transcript);
            assertTrue(moved >= 64 * 1024, () -> moved + "\n" + m.transcript());
        }
    }

    private interface Change {
        void apply() throws IOException;
    }

    /** Bytes the mirror sent to bring {@code change} over, from its status lines. */
    private static long sentFor(RunningMirror m, Path src, Path dst, Change change) throws Exception {
        m.awaitIdle(Duration.ofMillis(200), CONVERGE);
        long before = m.bytesSent();
        change.apply();
        awaitIdentical(src, dst, m);
        m.awaitIdle(Duration.ofMillis(200), CONVERGE);
        return m.bytesSent() - before;
    }

    /** The stock daemon or ours stopped, files changed meanwhile, a new daemon on the same port and module. */
    @ParameterizedTest
    @ValueSource(strings = {"daemon", "java-daemon"})
    void changesMadeWhileTheDaemonIsDownArriveAfterItRestarts(String kind) throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path dst = Files.createDirectory(tmp.resolve("dst"));
        Files.writeString(src.resolve("kept.txt"), "before the outage\n");
        Files.writeString(src.resolve("removed.txt"), "removed during the outage\n");
        String dest = target(kind, dst);
        int port = java.net.URI.create(dest).getPort();
        try (RunningMirror m = mirror(src, dest)) {
            awaitIdentical(src, dst, m);
            if (daemon != null) {
                daemon.close();
                daemon = null;
            } else {
                javaDaemon.close();
                javaDaemon = null;
            }
            Files.writeString(src.resolve("kept.txt"), "changed during the outage\n");
            Files.delete(src.resolve("removed.txt"));
            Files.createDirectories(src.resolve("added/deeper"));
            Files.writeString(src.resolve("added/deeper/new.txt"), "created during the outage\n");
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!m.stderr().contains("retrying") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(m.stderr().contains("retrying"), m::transcript);
            if (kind.equals("daemon")) {
                daemon = startDaemon(StockRsync.requireOnPath(), dst, port);
            } else {
                startJavaDaemon(dst, port, "");
            }
            awaitIdentical(src, dst, m);
        }
    }

    /** Names that are not UTF-8 arrive byte for byte, at the start and when they appear while watching. */
    @ParameterizedTest
    @ValueSource(strings = {"daemon", "java-daemon", "local"})
    void latin1NamesArriveByteForByte(String kind) throws Exception {
        Path src = tmp.resolve("src");
        TestTrees.buildLatin1Names(src);
        Path dst = Files.createDirectory(tmp.resolve("dst"));
        String dest = target(kind, dst);
        try (RunningMirror m = mirror(src, dest)) {
            awaitIdentical(src, dst, m);
            Files.writeString(src.resolve(TestTrees.latin1("caf\u00ea")), "e circumflex, written while watching\n");
            Files.move(src.resolve(TestTrees.latin1("caf\u00e8")), src.resolve(TestTrees.latin1("d\u00e9j\u00e0/caf\u00e8")));
            awaitIdentical(src, dst, m);
            assertTrue(m.stdout().contains("caf\\#352"), m::transcript);
        }
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return null;
        }
    }
}
