package dev.jrsync.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.fs.LocalStat;
import dev.jrsync.fs.Posix;
import dev.jrsync.testing.CurrentUser;
import dev.jrsync.testing.FakeSuperTrees;
import dev.jrsync.testing.Peers;
import dev.jrsync.testing.ProcessResult;
import dev.jrsync.testing.StockClient;
import dev.jrsync.testing.StockDaemon;
import dev.jrsync.testing.StockRsync;
import dev.jrsync.testing.TreeAssert;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A module with {@code fake super = yes}, side by side with stock rsync 3.5.0's daemon: the module's sessions
 * run as a user who is not root (nobody, when the tests run as root), a stock client pushes a tree with a
 * setuid file, a sticky directory, a FIFO, a symlink, other owners and (as root) a device, and both modules hold
 * the same files with the same {@code user.rsync.%stat} bytes; pulled back, the tree is whole again.
 */
class FakeSuperDaemonTest {
    private static final int NOBODY = 65534;

    @TempDir
    Path tmp;

    @BeforeEach
    void reachableByTheModuleUser() throws IOException {
        // the module user must reach the modules, as on a real host
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /**
     * Before, {@code fake super} was parsed and ignored: the Java module, run as nobody, skipped the device
     * ("skipping non-regular file"), kept its real FIFO, and stored no attribute at all.
     */
    @Test
    void aPushStoresWhatStockRsyncStoresAndAPullRestoresIt() throws Exception {
        StockRsync stock = StockRsync.requireOnPath();
        Path src = tmp.resolve("src");
        List<String> omitted = FakeSuperTrees.buildPrivileged(src);
        omitted.forEach(note -> System.out.println("FakeSuperDaemonTest: left out " + note));
        Path javaModule = moduleDir(tmp.resolve("java"));
        Path stockModule = moduleDir(tmp.resolve("stock"));
        List<String> pushArgs = List.of("-aD", "--numeric-ids", src + "/");

        ProcessResult stockPush;
        ProcessResult stockAgain;
        StockDaemon.Module stockConf = StockDaemon.Module.of("m", stockModule).useChroot(false).mungeSymlinks(false)
                .line("fake super = yes");
        if (CurrentUser.isRoot()) {
            stockConf.daemonIdentityDefaults().uid("nobody");
        }
        try (StockDaemon daemon = StockDaemon.builder(stock, tmp.resolve("sd")).module(stockConf).start()) {
            stockPush = run(stock, pushArgs, daemon.url("m"));
            stockAgain = run(stock, List.of("-aDi", "--numeric-ids", src + "/"), daemon.url("m"));
        }
        assertEquals(0, stockPush.exitCode(), stockPush.transcript());

        Path restored = tmp.resolve("restored");
        Path restoredFromStock = tmp.resolve("restored-from-stock");
        try (JavaDaemon daemon = JavaDaemon.start(tmp.resolve("jd"), """
                use chroot = no
                munge symlinks = no
                fake super = yes
                %s
                [m]
                path = %s
                read only = no
                [stocked]
                path = %s
                """.formatted(CurrentUser.isRoot() ? "uid = nobody" : "", javaModule, stockModule),
                Duration.ofSeconds(10))) {
            ProcessResult javaPush = run(stock, pushArgs, daemon.url("m/"));
            assertEquals(0, javaPush.exitCode(), javaPush.transcript() + daemon.log());
            Map<String, String> javaStored = FakeSuperTrees.stored(javaModule);
            assertEquals(FakeSuperTrees.stored(stockModule), javaStored);
            if (CurrentUser.isRoot()) {
                // the files are nobody's, their privileged attributes only in the attribute
                assertTrue(javaStored.get("su").matches("100755 65534:65534 \\d+ \\w+ 104755 0,0 1234:5678"),
                        javaStored.get("su"));
                assertTrue(javaStored.get(FakeSuperTrees.DEVICE).matches("100620 65534:65534 0 \\w+ 20620 4,5 1234:5678"),
                        javaStored.get(FakeSuperTrees.DEVICE));
            }

            ProcessResult javaAgain = run(stock, List.of("-aDi", "--numeric-ids", src + "/"), daemon.url("m/"));
            assertEquals(0, javaAgain.exitCode(), javaAgain.transcript());
            assertEquals(stockAgain.stdout(), javaAgain.stdout(), "a second push");
            assertEquals(javaStored, FakeSuperTrees.stored(javaModule));

            // the module's sender reads the attribute back: its own tree, and the one stock rsync stored
            ProcessResult pull = run(stock, List.of("-aD", "--numeric-ids", daemon.url("m/")), restored + "/");
            assertEquals(0, pull.exitCode(), pull.transcript() + daemon.log());
            ProcessResult pullStocked = run(stock, List.of("-aD", "--numeric-ids", daemon.url("stocked/")),
                    restoredFromStock + "/");
            assertEquals(0, pullStocked.exitCode(), pullStocked.transcript() + daemon.log());
        }
        TreeAssert.Option[] opts = CurrentUser.isRoot()
                ? new TreeAssert.Option[] {TreeAssert.Option.NANOSECONDS, TreeAssert.Option.OWNERSHIP}
                : new TreeAssert.Option[] {TreeAssert.Option.NANOSECONDS};
        TreeAssert.assertIdentical(src, restored, opts);
        TreeAssert.assertIdentical(src, restoredFromStock, opts);
        if (CurrentUser.isRoot()) {
            LocalStat dev = LocalStat.of(restored.resolve(FakeSuperTrees.DEVICE));
            assertEquals(FakeSuperTrees.DEVICE_MAJOR + "," + FakeSuperTrees.DEVICE_MINOR,
                    dev.rdevMajor() + "," + dev.rdevMinor());
        }
    }

    private static Path moduleDir(Path dir) throws IOException {
        Files.createDirectories(dir);
        if (CurrentUser.isRoot()) {
            Posix.lchown(dir, NOBODY, NOBODY);
        }
        return dir;
    }

    private static ProcessResult run(StockRsync r, List<String> args, String last) {
        List<String> all = new ArrayList<>(args);
        all.add(last);
        return StockClient.of(r).timeout(Duration.ofSeconds(60)).run(all);
    }

    /**
     * A chrooted module (as root, run as nobody) stores the same attribute through paths inside the chroot; the
     * attribute calls, bound on first use, are bound there too (libc is already mapped, nothing is read).
     */
    @Test
    void aChrootedModuleStoresTheAttributeToo() throws Exception {
        Peers.require(CurrentUser.isRoot(), () -> "a chroot needs root");
        StockRsync stock = StockRsync.requireOnPath();
        Path src = tmp.resolve("src");
        FakeSuperTrees.buildPrivileged(src);
        Path module = moduleDir(tmp.resolve("java"));
        try (JavaDaemon daemon = JavaDaemon.start(tmp.resolve("jd"), """
                [m]
                path = %s
                read only = no
                use chroot = yes
                uid = nobody
                fake super = yes
                """.formatted(module), Duration.ofSeconds(10))) {
            ProcessResult push = run(stock, List.of("-aD", "--numeric-ids", src + "/"), daemon.url("m/"));
            assertEquals(0, push.exitCode(), push.transcript() + daemon.log());
        }
        Map<String, String> stored = FakeSuperTrees.stored(module);
        assertTrue(stored.get("su").endsWith(" 104755 0,0 1234:5678"), stored.toString());
        assertTrue(stored.get(FakeSuperTrees.DEVICE).endsWith(" 20620 4,5 1234:5678"), stored.toString());
    }
}
