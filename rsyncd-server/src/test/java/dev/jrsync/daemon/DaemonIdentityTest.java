package dev.jrsync.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.fs.Posix;
import dev.jrsync.testing.CurrentUser;
import dev.jrsync.testing.Peers;
import dev.jrsync.testing.ProcessResult;
import dev.jrsync.testing.StockClient;
import dev.jrsync.testing.StockDaemon;
import dev.jrsync.testing.StockRsync;
import dev.jrsync.testing.TreeAssert;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A daemon run as root takes each module's identity ({@code uid}, {@code gid}, {@code use chroot}), side by side
 * with stock rsync 3.5's daemon under the same configuration.
 */
class DaemonIdentityTest {
    private static final int NOBODY = 65534;

    @TempDir
    Path tmp;

    @BeforeEach
    void needsRoot() throws IOException {
        Peers.require(CurrentUser.isRoot(), () -> "switching a module's identity needs root");
        // the module user must reach the modules, as on a real host
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /**
     * {@code rsync -aD} of a setuid copy of a root-owned binary and a block device into a module with
     * {@code uid = nobody}: rsync's daemon switches to nobody/nogroup, so the copy is not root's and the device
     * is skipped ("skipping non-regular file"). Before, the Java daemon stayed root: {@code -rwsr-xr-x root}
     * and {@code brw-r--r-- root} landed in the module.
     */
    @Test
    void rootDaemonRunsTheModuleAsNobody() throws Exception {
        StockRsync stock = StockRsync.requireOnPath();
        Path src = Files.createDirectories(tmp.resolve("src/dir"));
        Path binary = Files.copy(Path.of("/bin/true"), tmp.resolve("src/sutrue"));
        Posix.chmod(binary, 04755);
        Posix.mknod(tmp.resolve("src/disk"), 060644, (254L << 8));
        Files.writeString(src.resolve("f.txt"), "hello\n");
        Path javaModule = ownedByNobody(tmp.resolve("java"));
        Path stockModule = ownedByNobody(tmp.resolve("stock"));

        ProcessResult javaRun;
        try (JavaDaemon daemon = JavaDaemon.start(tmp.resolve("jd"), """
                [m]
                path = %s
                read only = no
                uid = nobody
                """.formatted(javaModule), Duration.ofSeconds(10))) {
            javaRun = push(stock, "-aDz", tmp.resolve("src") + "/", daemon.url("m/"));
            assertNoThreadKeepsTheModulesIdentity();
        }
        ProcessResult stockRun;
        try (StockDaemon daemon = StockDaemon.builder(stock, tmp.resolve("sd"))
                .module(StockDaemon.Module.of("m", stockModule).daemonIdentityDefaults().uid("nobody")).start()) {
            stockRun = push(stock, "-aDz", tmp.resolve("src") + "/", daemon.url("m"));
        }

        Map<String, String> javaTree = ownersAndModes(javaModule);
        assertEquals(ownersAndModes(stockModule), javaTree);
        assertEquals(stockRun.exitCode(), javaRun.exitCode(), javaRun.transcript());
        assertEquals(0, javaRun.exitCode(), javaRun.transcript());
        assertTrue(stockRun.stdout().contains("skipping non-regular file \"disk\""), stockRun.transcript());
        assertTrue(javaRun.stdout().contains("skipping non-regular file \"disk\""), javaRun.transcript());
        assertFalse(javaTree.containsKey("disk"), javaTree.toString());
        for (Map.Entry<String, String> e : javaTree.entrySet()) {
            assertTrue(e.getValue().startsWith(NOBODY + ":" + NOBODY + " "), e.getKey() + " is " + e.getValue());
        }
    }

    /** An unknown {@code uid} refuses the module as rsync does ("@ERROR: invalid uid ...", exit 5). */
    @Test
    void unknownUidRefusesTheModule() throws Exception {
        StockRsync stock = StockRsync.requireOnPath();
        Path module = Files.createDirectories(tmp.resolve("module"));
        Files.writeString(module.resolve("f.txt"), "x\n");
        ProcessResult javaRun;
        try (JavaDaemon daemon = JavaDaemon.start(tmp.resolve("jd"), """
                [m]
                path = %s
                uid = no-such-user-here
                """.formatted(module), Duration.ofSeconds(10))) {
            javaRun = push(stock, "-r", daemon.url("m/"), tmp.resolve("java-dst") + "/");
        }
        ProcessResult stockRun;
        try (StockDaemon daemon = StockDaemon.builder(stock, tmp.resolve("sd"))
                .module(StockDaemon.Module.of("m", module).daemonIdentityDefaults().uid("no-such-user-here")).start()) {
            stockRun = push(stock, "-r", daemon.url("m"), tmp.resolve("stock-dst") + "/");
        }
        assertEquals(5, stockRun.exitCode(), stockRun.transcript());
        assertEquals(stockRun.exitCode(), javaRun.exitCode(), javaRun.transcript());
        assertTrue(stockRun.stderr().contains("@ERROR: invalid uid no-such-user-here"), stockRun.transcript());
        assertTrue(javaRun.stderr().contains("@ERROR: invalid uid no-such-user-here"), javaRun.transcript());
        assertFalse(Files.exists(tmp.resolve("java-dst/f.txt")));
    }

    /**
     * A module path through a symlink someone else owns is not entered when the daemon does not chroot, as stock
     * 3.5 refuses it ("@ERROR: chdir failed", exit 5): the link's owner could point the module anywhere. The same
     * module through a link of root's is served (rsync's suite: daemon-module-chdir-symlink).
     */
    @Test
    void aModulePathThroughSomeoneElsesSymlinkIsNotEntered() throws Exception {
        StockRsync stock = StockRsync.requireOnPath();
        Path target = Files.createDirectories(tmp.resolve("target"));
        Files.writeString(target.resolve("canary"), "x\n");
        Path planted = Files.createSymbolicLink(tmp.resolve("planted"), target);
        Files.setAttribute(planted, "unix:uid", 65534, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        Path roots = Files.createSymbolicLink(tmp.resolve("roots"), target);
        try (JavaDaemon daemon = JavaDaemon.start(tmp.resolve("jd"), """
                use chroot = no
                [planted]
                path = %s
                [roots]
                path = %s
                """.formatted(planted, roots), Duration.ofSeconds(10))) {
            ProcessResult refused = push(stock, "-r", daemon.url("planted/"), tmp.resolve("p-dst") + "/");
            assertEquals(5, refused.exitCode(), refused.transcript());
            assertTrue(refused.stderr().contains("@ERROR: chdir failed"), refused.transcript());
            assertFalse(Files.exists(tmp.resolve("p-dst/canary")));
            push(stock, "-r", daemon.url("roots/"), tmp.resolve("r-dst") + "/").assertSuccess();
            assertTrue(Files.exists(tmp.resolve("r-dst/canary")));
        }
    }

    /**
     * rsync's suite, daemon-module-private-parent: a module below a directory only root may search ({@code
     * /home/backup/data} under a 0700 home) is served as {@code uid = nobody}, plainly and with {@code -L}: the
     * daemon opens the module root before it takes the module's identity and reads everything beneath that, as
     * stock 3.5 chdirs in first. Before, the pull failed with {@code link_stat ... Permission denied (13)}.
     */
    @Test
    void aModuleBelowADirectoryOnlyRootMaySearchIsServed() throws Exception {
        StockRsync stock = StockRsync.requireOnPath();
        Path module = Files.createDirectories(tmp.resolve("private/mod/sub"));
        Files.writeString(module.resolve("file"), "served\n");
        Files.createSymbolicLink(module.resolve("link"), Path.of("file"));
        Files.setPosixFilePermissions(tmp.resolve("private"), PosixFilePermissions.fromString("rwx------"));
        try (JavaDaemon daemon = JavaDaemon.start(tmp.resolve("jd"), """
                use chroot = no
                [m]
                path = %s
                uid = %d
                gid = %d
                """.formatted(tmp.resolve("private/mod"), NOBODY, NOBODY), Duration.ofSeconds(10))) {
            push(stock, "-a", daemon.url("m/"), tmp.resolve("dst") + "/").assertSuccess();
            TreeAssert.assertIdentical(tmp.resolve("private/mod"), tmp.resolve("dst"), TreeAssert.Option.OWNERSHIP);
            push(stock, "-rL", daemon.url("m/"), tmp.resolve("dst-L") + "/").assertSuccess();
            assertEquals("served\n", Files.readString(tmp.resolve("dst-L/sub/file")));
            assertFalse(Files.isSymbolicLink(tmp.resolve("dst-L/sub/link")));
            assertEquals("served\n", Files.readString(tmp.resolve("dst-L/sub/link")));
        }
    }

    /**
     * A session's identity is its thread's alone: after a session ran as nobody (here without a chroot, its
     * names reached through /proc/self/fd of a process whose first thread is root's), the next session,
     * into a module kept at uid 0 without chroot, still chowns what it receives (a process-wide setuid, as
     * glibc's wrappers do, would have left the whole daemon as nobody).
     */
    @Test
    void otherSessionsKeepTheDaemonsIdentity() throws Exception {
        StockRsync stock = StockRsync.requireOnPath();
        Path src = Files.createDirectories(tmp.resolve("src"));
        Posix.lchown(Files.writeString(src.resolve("owned.txt"), "x\n"), 4321, 4322);
        Path nobodyModule = ownedByNobody(tmp.resolve("nob"));
        Path rootModule = Files.createDirectories(tmp.resolve("keep"));

        try (JavaDaemon daemon = JavaDaemon.start(tmp.resolve("jd"), """
                [nob]
                path = %s
                read only = no
                use chroot = no
                [keep]
                path = %s
                read only = no
                use chroot = no
                uid = 0
                gid = 0
                """.formatted(nobodyModule, rootModule), Duration.ofSeconds(10))) {
            ProcessResult first = push(stock, "-a", src + "/", daemon.url("nob/"));
            ProcessResult second = push(stock, "-a", src + "/", daemon.url("keep/"));
            assertEquals(0, first.exitCode(), first.transcript());
            assertEquals(0, second.exitCode(), second.transcript());
        }

        assertEquals(NOBODY + ":" + NOBODY + " 100644", ownersAndModes(nobodyModule).get("owned.txt"));
        assertEquals("4321:4322 100644", ownersAndModes(rootModule).get("owned.txt"));
    }

    /**
     * {@code use chroot = yes}: the session's own opens start at the module, so a symlink in the module to the
     * absolute path {@code /sub} names the module's {@code sub}, as in rsync's chrooted daemon, and pulling
     * {@code m/abs/} serves it. Before, the Java daemon resolved {@code /sub} on the host and refused the
     * argument as leading out of the module.
     */
    @Test
    void chrootResolvesAbsoluteSymlinksInsideTheModule() throws Exception {
        StockRsync stock = StockRsync.requireOnPath();
        Path module = Files.createDirectories(tmp.resolve("module"));
        Files.writeString(Files.createDirectories(module.resolve("sub")).resolve("inner.txt"), "inside\n");
        Files.createSymbolicLink(module.resolve("abs"), Path.of("/sub"));
        Path javaDst = tmp.resolve("java-dst");
        Path stockDst = tmp.resolve("stock-dst");

        ProcessResult javaRun;
        try (JavaDaemon daemon = JavaDaemon.start(tmp.resolve("jd"), """
                [m]
                path = %s
                use chroot = yes
                uid = 0
                gid = 0
                """.formatted(module), Duration.ofSeconds(10))) {
            javaRun = push(stock, "-r", daemon.url("m/abs/"), javaDst + "/");
        }
        ProcessResult stockRun;
        try (StockDaemon daemon = StockDaemon.builder(stock, tmp.resolve("sd"))
                .module(StockDaemon.Module.of("m", module).readOnly(true).daemonIdentityDefaults().useChroot(true)
                        .uid("0").gid("0")).start()) {
            stockRun = push(stock, "-r", daemon.url("m") + "abs/", stockDst + "/");
        }

        assertEquals(0, stockRun.exitCode(), stockRun.transcript());
        assertEquals(0, javaRun.exitCode(), javaRun.transcript());
        assertEquals("inside\n", Files.readString(stockDst.resolve("inner.txt")));
        assertEquals("inside\n", Files.readString(javaDst.resolve("inner.txt")));
    }

    /**
     * A chrooted session sees the module as "/", so a writable module can hold a {@code proc/self/status} of a
     * client's making. The umask that new files get without {@code -p} is the daemon's, read before any chroot,
     * as rsync's is; before, each chrooted push read it from that file, so a planted "Umask: 0000" made a
     * later {@code 0666} file land world-writable where stock rsync's daemon gives it the daemon's umask.
     */
    @Test
    void chrootedPushKeepsTheDaemonsUmask() throws Exception {
        StockRsync stock = StockRsync.requireOnPath();
        Path plant = Files.createDirectories(tmp.resolve("plant/proc/self"));
        Files.writeString(plant.resolve("status"), "Name:\tjava\nUmask:\t0000\n");
        Path open = Files.writeString(Files.createDirectories(tmp.resolve("open")).resolve("open.txt"), "x\n");
        Posix.chmod(open, 0666);
        Path javaModule = ownedByNobody(tmp.resolve("java"));
        Path stockModule = ownedByNobody(tmp.resolve("stock"));

        try (JavaDaemon daemon = JavaDaemon.start(tmp.resolve("jd"), """
                [m]
                path = %s
                read only = no
                use chroot = yes
                """.formatted(javaModule), Duration.ofSeconds(10))) {
            ProcessResult planted = push(stock, "-r", tmp.resolve("plant") + "/", daemon.url("m/"));
            ProcessResult run = push(stock, "-r", tmp.resolve("open") + "/", daemon.url("m/"));
            assertEquals(0, planted.exitCode(), planted.transcript());
            assertEquals(0, run.exitCode(), run.transcript());
        }
        try (StockDaemon daemon = StockDaemon.builder(stock, tmp.resolve("sd"))
                .module(StockDaemon.Module.of("m", stockModule).readOnly(false).daemonIdentityDefaults()
                        .useChroot(true)).start()) {
            assertEquals(0, push(stock, "-r", tmp.resolve("plant") + "/", daemon.url("m")).exitCode());
            assertEquals(0, push(stock, "-r", tmp.resolve("open") + "/", daemon.url("m")).exitCode());
        }

        String stockMode = ownersAndModes(stockModule).get("open.txt");
        assertFalse(stockMode.endsWith("666"), "the build's umask masks nothing: " + stockMode);
        assertEquals(stockMode, ownersAndModes(javaModule).get("open.txt"));
    }

    /**
     * A chrooted nobody session that may not change the module directory itself (root's, mode 0777) reports
     * why, as stock rsync does ("Operation not permitted", exit 23). Before, the kernel's EPERM was replaced by
     * the answer of glibc's fallback, which needs the /proc that a chroot lacks: "Operation not supported".
     */
    @Test
    void chrootedSessionReportsWhyItCannotChangeTheModuleDir() throws Exception {
        StockRsync stock = StockRsync.requireOnPath();
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("f.txt"), "x\n");
        Path javaModule = Files.createDirectories(tmp.resolve("java"));
        Path stockModule = Files.createDirectories(tmp.resolve("stock"));
        Posix.chmod(javaModule, 0777);
        Posix.chmod(stockModule, 0777);

        ProcessResult javaRun;
        try (JavaDaemon daemon = JavaDaemon.start(tmp.resolve("jd"), """
                [m]
                path = %s
                read only = no
                use chroot = yes
                """.formatted(javaModule), Duration.ofSeconds(10))) {
            javaRun = push(stock, "-a", src + "/", daemon.url("m/"));
        }
        ProcessResult stockRun;
        try (StockDaemon daemon = StockDaemon.builder(stock, tmp.resolve("sd"))
                .module(StockDaemon.Module.of("m", stockModule).daemonIdentityDefaults().useChroot(true)).start()) {
            stockRun = push(stock, "-a", src + "/", daemon.url("m"));
        }

        assertEquals(23, stockRun.exitCode(), stockRun.transcript());
        assertTrue(stockRun.stderr().contains("Operation not permitted"), stockRun.transcript());
        assertEquals(stockRun.exitCode(), javaRun.exitCode(), javaRun.transcript());
        assertTrue(javaRun.stderr().contains("Operation not permitted"), javaRun.transcript());
        assertFalse(javaRun.stderr().contains("not supported"), javaRun.transcript());
        assertEquals("65534:65534 100644", ownersAndModes(javaModule).get("f.txt"));
    }

    /**
     * A dry run into a chrooted module lists a file in a directory not there yet as new, as stock rsync does,
     * though the module holds a {@code dev/null/d/x.txt}. Before, a name whose parent is missing resolved to
     * {@code /dev/null/NAME}, which in the chroot is the module's own {@code dev/null}: the file was taken as
     * already there and left out.
     */
    @Test
    void chrootedDryRunDoesNotLookInTheModulesDevNull() throws Exception {
        StockRsync stock = StockRsync.requireOnPath();
        Path src = Files.createDirectories(tmp.resolve("src/d"));
        Files.writeString(src.resolve("x.txt"), "x\n");
        List<String> lines = new ArrayList<>();
        for (String side : List.of("java", "stock")) {
            Path module = ownedByNobody(tmp.resolve(side));
            Path decoy = Files.createDirectories(module.resolve("dev/null/d"));
            Files.copy(src.resolve("x.txt"), decoy.resolve("x.txt"), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            ProcessResult run;
            if (side.equals("java")) {
                try (JavaDaemon daemon = JavaDaemon.start(tmp.resolve("jd"), """
                        [m]
                        path = %s
                        read only = no
                        use chroot = yes
                        """.formatted(module), Duration.ofSeconds(10))) {
                    run = push(stock, "-rtn", "-i", tmp.resolve("src") + "/", daemon.url("m/"));
                }
            } else {
                try (StockDaemon daemon = StockDaemon.builder(stock, tmp.resolve("sd"))
                        .module(StockDaemon.Module.of("m", module).daemonIdentityDefaults().useChroot(true)).start()) {
                    run = push(stock, "-rtn", "-i", tmp.resolve("src") + "/", daemon.url("m"));
                }
            }
            assertEquals(0, run.exitCode(), run.transcript());
            lines.add(run.stdout().lines().filter(l -> l.endsWith("d/x.txt")).findFirst().orElse("(not listed)"));
        }
        assertEquals("<f+++++++++ d/x.txt", lines.get(1));
        assertEquals(lines.get(1), lines.get(0));
    }

    /**
     * {@code numeric ids = yes} (also the default in a chrooted module) ignores the names in the client's file list
     * but keeps the client's protocol: a stock {@code rsync -a} push, which sends its id lists, lands with the
     * numeric owners. Before, the Java daemon stopped reading the id lists, and the stream fell out of step.
     */
    @Test
    void numericIdsModuleReadsTheClientsIdListsAndKeepsNumbers() throws Exception {
        StockRsync stock = StockRsync.requireOnPath();
        Path src = Files.createDirectories(tmp.resolve("src"));
        Posix.lchown(Files.writeString(src.resolve("nameless.txt"), "a\n"), 4321, 4322);
        Posix.lchown(Files.writeString(src.resolve("nobody.txt"), "b\n"), NOBODY, NOBODY);
        Path module = Files.createDirectories(tmp.resolve("module"));

        ProcessResult run;
        try (JavaDaemon daemon = JavaDaemon.start(tmp.resolve("jd"), """
                [m]
                path = %s
                read only = no
                use chroot = no
                numeric ids = yes
                uid = 0
                gid = 0
                """.formatted(module), Duration.ofSeconds(10))) {
            run = push(stock, "-a", src + "/", daemon.url("m/"));
        }

        assertEquals(0, run.exitCode(), run.transcript());
        Map<String, String> tree = ownersAndModes(module);
        assertEquals("4321:4322 100644", tree.get("nameless.txt"), tree.toString());
        assertEquals(NOBODY + ":" + NOBODY + " 100644", tree.get("nobody.txt"), tree.toString());
    }

    /**
     * Once the session is over no thread of this JVM runs as anyone but root: the session's threads ended, and
     * no shared thread (a Cleaner, a pool worker) was started by one and inherited its identity.
     */
    private static void assertNoThreadKeepsTheModulesIdentity() throws IOException, InterruptedException {
        List<String> others = List.of();
        for (int i = 0; i < 50; i++) {
            others = threadsNotRoot();
            if (others.isEmpty()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("threads still running as the module's user: " + others);
    }

    private static List<String> threadsNotRoot() throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String status = Files.readString(task.resolve("status"));
                    String uids = status.lines().filter(l -> l.startsWith("Uid:")).findFirst().orElse("");
                    if (!uids.matches("Uid:\\s+0\\s+0\\s+0\\s+0")) {
                        out.add(status.lines().findFirst().orElse("") + " " + uids);
                    }
                } catch (NoSuchFileException e) {
                    // the thread ended meanwhile
                }
            }
        }
        return out;
    }

    private static ProcessResult push(StockRsync r, String... args) {
        return StockClient.of(r).timeout(Duration.ofSeconds(60)).run(args);
    }

    private static Path ownedByNobody(Path dir) throws IOException {
        Files.createDirectories(dir);
        Posix.lchown(dir, NOBODY, NOBODY);
        return dir;
    }

    /** Every entry below {@code root}: "uid:gid mode-string", by relative path. */
    private static Map<String, String> ownersAndModes(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(p -> !p.equals(root)).forEach(p -> {
                try {
                    Map<String, Object> a = Files.readAttributes(p, "unix:uid,gid,mode", LinkOption.NOFOLLOW_LINKS);
                    out.put(root.relativize(p).toString(), a.get("uid") + ":" + a.get("gid") + " "
                            + Integer.toOctalString((Integer) a.get("mode")));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return out;
    }
}
