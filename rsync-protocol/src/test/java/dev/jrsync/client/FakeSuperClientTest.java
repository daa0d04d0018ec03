package dev.jrsync.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.options.OptionParser;
import dev.jrsync.options.Options;
import dev.jrsync.session.LocalDest;
import dev.jrsync.testing.CurrentUser;
import dev.jrsync.testing.FakeSuperTrees;
import dev.jrsync.testing.ProcessResult;
import dev.jrsync.testing.RecordingLog;
import dev.jrsync.testing.StockClient;
import dev.jrsync.testing.StockDaemon;
import dev.jrsync.testing.StockRsync;
import dev.jrsync.testing.TreeAssert;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --fake-super} on the client, side by side with stock rsync 3.5.0's: a local copy and a pull from a
 * daemon store the same files, modes and {@code user.rsync.%stat} bytes, a second copy finds nothing to change,
 * and a push reads the attributes back.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FakeSuperClientTest {
    @TempDir
    Path tmp;

    final RecordingLog log = new RecordingLog();

    private TransferResult copy(Path src, Path dst, String... opts) {
        List<String> argv = new ArrayList<>(List.of(opts));
        argv.add(src + "/");
        argv.add(dst.toString());
        Options o = OptionParser.parse(argv);
        return LocalCopy.run(o, List.of(src + "/"), LocalDest.of(dst), Filters.from(o), log);
    }

    /**
     * Before, {@code --fake-super} was unknown (exit 1); copied without it as root, the tree would hold real
     * setuid bits, owners and a device. Now each entry is stored as stock rsync stores it.
     */
    @Test
    void storesWhatStockRsyncStores() throws IOException {
        StockRsync stock = StockRsync.requireOnPath();
        Path src = tmp.resolve("src");
        List<String> omitted = FakeSuperTrees.buildPrivileged(src);
        omitted.forEach(note -> System.out.println("FakeSuperClientTest: left out " + note));
        ProcessResult stockRun = StockClient.of(stock).timeout(Duration.ofSeconds(60))
                .run("-aD", "--numeric-ids", "--fake-super", src + "/", tmp.resolve("stock").toString());
        assertEquals(0, stockRun.exitCode(), stockRun.transcript());

        TransferResult r = copy(src, tmp.resolve("java"), "-aD", "--numeric-ids", "--fake-super");
        assertEquals(0, r.ioError(), () -> log.text());
        Map<String, String> java = FakeSuperTrees.stored(tmp.resolve("java"));
        assertEquals(FakeSuperTrees.stored(tmp.resolve("stock")), java);
        if (CurrentUser.isRoot()) {
            // pinned, so that both sides agreeing on something else cannot pass: safe real modes, root's own
            // owner, and the privileged attributes in the attribute
            assertEquals(List.of("100755", "0:0", "104755 0,0 1234:5678"), kept(java.get("su")));
            assertEquals(List.of("100620", "0:0", "20620 4,5 1234:5678"), kept(java.get(FakeSuperTrees.DEVICE)));
            assertEquals(List.of("100640", "0:0", "10640 0,0 1234:5678"), kept(java.get("fifo")));
            assertEquals(List.of("100777", "0:0", "120777 0,0 1234:5678"), kept(java.get("link")));
            assertEquals(List.of("40777", "0:0", "41777 0,0 1234:5678"), kept(java.get("shared")));
        }

        log.clear();
        TransferResult again = copy(src, tmp.resolve("java"), "-aDi", "--numeric-ids", "--fake-super");
        assertEquals(0, again.ioError(), () -> log.text());
        assertEquals(List.of(), log.lines(), "a second copy found something to change");
        assertEquals(java, FakeSuperTrees.stored(tmp.resolve("java")));
    }

    /**
     * A pull with {@code --fake-super} (the client receives) stores what stock rsync's pull stores; a push with it
     * (the client sends) lists the stored attributes, so a daemon module that is root's gets the tree back whole.
     */
    @Test
    void aPullStoresAndAPushRestores() throws IOException {
        StockRsync stock = StockRsync.requireOnPath();
        Path src = tmp.resolve("src");
        FakeSuperTrees.buildPrivileged(src);
        Path out = Files.createDirectories(tmp.resolve("out"));
        try (StockDaemon daemon = StockDaemon.builder(stock, tmp.resolve("sd"))
                .module(StockDaemon.Module.of("src", src).readOnly(true))
                .module(StockDaemon.Module.of("out", out)).start()) {
            ProcessResult stockPull = StockClient.of(stock).timeout(Duration.ofSeconds(60))
                    .run("-aD", "--numeric-ids", "--fake-super", daemon.url("src"), tmp.resolve("stock") + "/");
            assertEquals(0, stockPull.exitCode(), stockPull.transcript());
            List<String> argv = List.of("-aD", "--numeric-ids", "--fake-super", daemon.url("src"),
                    tmp.resolve("java") + "/");
            Options pull = OptionParser.parse(argv);
            TransferResult r = Pull.run(pull, DaemonAddress.parse(daemon.url("src"), DaemonAddress.DEFAULT_PORT),
                    LocalDest.of(tmp.resolve("java")), Filters.from(pull), log, Credentials.NONE);
            assertEquals(0, r.ioError(), () -> log.text());
            assertEquals(FakeSuperTrees.stored(tmp.resolve("stock")), FakeSuperTrees.stored(tmp.resolve("java")));

            Options push = OptionParser.parse(List.of("-aD", "--numeric-ids", "--fake-super",
                    tmp.resolve("java") + "/", daemon.url("out")));
            TransferResult pushed = Push.run(push, List.of(tmp.resolve("java") + "/"),
                    DaemonAddress.parse(daemon.url("out"), DaemonAddress.DEFAULT_PORT), Filters.from(push), log,
                    Credentials.NONE);
            assertEquals(0, pushed.ioError(), () -> log.text());
        }
        List<TreeAssert.Option> opts = new ArrayList<>(List.of(TreeAssert.Option.NANOSECONDS,
                TreeAssert.Option.IGNORE_ROOT_MTIME));
        if (CurrentUser.isRoot()) {
            opts.add(TreeAssert.Option.OWNERSHIP);
        }
        TreeAssert.assertIdentical(src, out, opts.toArray(TreeAssert.Option[]::new));
    }

    /** Real mode, real owner and %stat of a {@link FakeSuperTrees#stored} line. */
    private static List<String> kept(String line) {
        String[] f = line.split(" ", 5);
        return List.of(f[0], f[1], f[4]);
    }

    /** A fake super copy of a fake super copy reads the attributes back and stores them again: the same tree. */
    @Test
    void aCopyOfAStoredTreeIsTheSame() throws IOException {
        Path src = tmp.resolve("src");
        FakeSuperTrees.buildPrivileged(src);
        assertEquals(0, copy(src, tmp.resolve("once"), "-aD", "--numeric-ids", "--fake-super").ioError());
        assertEquals(0, copy(tmp.resolve("once"), tmp.resolve("twice"), "-aD", "--numeric-ids", "--fake-super")
                .ioError(), () -> log.text());
        assertEquals(FakeSuperTrees.stored(tmp.resolve("once")), FakeSuperTrees.stored(tmp.resolve("twice")));
    }

    /**
     * --link-dest to a stored tree sees each item as its stored attributes say: a device or fifo unchanged there is
     * hard-linked (one inode for the stored tree, the stock copy and ours), as stock rsync links it, not made again
     * (rsync's suite: devices-fake).
     */
    @Test
    void aLinkDestCopyLinksTheStoredItemsStockLinks() throws IOException {
        StockRsync stock = StockRsync.requireOnPath();
        Path src = tmp.resolve("src");
        FakeSuperTrees.buildPrivileged(src);
        assertEquals(0, copy(src, tmp.resolve("base"), "-aD", "--numeric-ids", "--fake-super").ioError());
        String linkDest = "--link-dest=" + tmp.resolve("base");
        ProcessResult stockRun = StockClient.of(stock).timeout(Duration.ofSeconds(60))
                .run("-aD", "--numeric-ids", "--fake-super", linkDest, src + "/", tmp.resolve("stock").toString());
        assertEquals(0, stockRun.exitCode(), stockRun.transcript());
        assertEquals(0, copy(src, tmp.resolve("java"), "-aD", "--numeric-ids", "--fake-super", linkDest).ioError(),
                () -> log.text());
        assertEquals(linkCounts(tmp.resolve("stock")), linkCounts(tmp.resolve("java")));
        assertTrue(linkCounts(tmp.resolve("java")).contains(FakeSuperTrees.DEVICE + "=3"), linkCounts(tmp.resolve("java")));
    }

    private static String linkCounts(Path root) throws IOException {
        StringBuilder sb = new StringBuilder();
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted().toList()) {
                sb.append(root.relativize(p)).append('=')
                        .append(Files.getAttribute(p, "unix:nlink", java.nio.file.LinkOption.NOFOLLOW_LINKS)).append(' ');
            }
        }
        return sb.toString();
    }
}
