package dev.jrsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.testing.ProcessResult;
import dev.jrsync.testing.StockClient;
import dev.jrsync.testing.StockDaemon;
import dev.jrsync.testing.StockRsync;
import dev.jrsync.testing.TestTrees;
import dev.jrsync.testing.TreeAssert;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Protocols older than 29 against the real peers, forced with {@code --protocol} on whichever side is the client:
 * jrsync as a stock daemon's client, the Java daemon and {@code jrsync --server} under a stock client, and jrsync
 * over a remote shell to a stock server. Each session pushes and pulls with {@code -aH}; a changed file goes as a
 * delta, and {@code --delete}, {@code -z} and {@code -c} are used on the way.
 */
class OldProtocolsIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final int BIG = 1 << 20;

    static Stream<Arguments> peersAndProtocols() {
        return StockRsync.peers().flatMap(rsync -> Stream.of("28", "27").map(p -> Arguments.of(rsync, p)));
    }

    /** A 1 MiB file with two more names (one deep below), a small linked pair, a symlink, a lone file. */
    private static Path tree(Path tmp) throws IOException {
        Path src = tmp.resolve("src");
        Files.createDirectories(src.resolve("deep/er"));
        TestTrees.writeRandom(src.resolve("big"), BIG, 7);
        Files.createLink(src.resolve("big.2"), src.resolve("big"));
        Files.createLink(src.resolve("deep/er/big.3"), src.resolve("big"));
        Files.writeString(src.resolve("a"), "small\n");
        Files.createLink(src.resolve("deep/b"), src.resolve("a"));
        Files.createSymbolicLink(src.resolve("sl"), Path.of("a"));
        Files.writeString(src.resolve("lone"), "one name\n");
        Files.setPosixFilePermissions(src.resolve("lone"), PosixFilePermissions.fromString("rw-r-----"));
        // 3.2.7 retouches a directory's mtime only when it differs in whole seconds
        for (String dir : List.of("deep/er", "deep")) {
            TestTrees.setMtime(src.resolve(dir), Instant.parse("2021-03-04T05:06:07Z"));
        }
        return src;
    }

    /** Contents, modes, mtimes (whole seconds before protocol 30) and hard-link groups by inode. */
    private static void assertSameTree(Path src, Path dest) {
        List<TreeAssert.Option> options = new ArrayList<>(List.of(TreeAssert.exact(
                TreeAssert.Option.IGNORE_ROOT_MTIME, TreeAssert.Option.IGNORE_SYMLINK_MTIMES)));
        options.remove(TreeAssert.Option.NANOSECONDS);
        TreeAssert.assertIdentical(src, dest, options.toArray(TreeAssert.Option[]::new));
        Set<Set<String>> groups = TreeAssert.hardLinkGroups(src);
        assertEquals(Set.of(Set.of("big", "big.2", "deep/er/big.3"), Set.of("a", "deep/b")), groups, "as built");
        assertEquals(groups, TreeAssert.hardLinkGroups(dest), "hard links of " + dest);
    }

    /** A client run to success; with {@code --stats}, the bytes it sent and received, else 0. */
    @FunctionalInterface
    private interface Client {
        long run(String... args);
    }

    private static Client jrsync(String... prefix) {
        return args -> {
            Jrsync r = Jrsync.run(Stream.concat(Stream.of(prefix), Stream.of(args)).toArray(String[]::new))
                    .assertSuccess();
            return List.of(args).contains("--stats")
                    ? r.statsValue("Total bytes sent") + r.statsValue("Total bytes received") : 0;
        };
    }

    private static Client stock(StockRsync rsync, String... prefix) {
        StockClient client = StockClient.of(rsync).timeout(TIMEOUT);
        return args -> {
            ProcessResult r = client.run(Stream.concat(Stream.of(prefix), Stream.of(args)).toList()).assertSuccess();
            return List.of(args).contains("--stats")
                    ? r.stats().get("Total bytes sent") + r.stats().get("Total bytes received") : 0;
        };
    }

    /**
     * Pushes {@code src} to {@code there} (which is {@code dest} on disk), changes a linked file and pushes it again
     * with -z and --delete, then pulls {@code there} to a new directory and, after another change, again with -c and
     * --delete: every tree is the source's, the stray files are gone, and the deltas are small on the wire.
     */
    private static void pushAndPull(Client client, Path src, String there, Path dest, Path tmp) throws IOException {
        client.run("-aH", src + "/", there);
        assertSameTree(src, dest);
        TestTrees.editInPlace(src.resolve("big"), 2, 3);
        Path stray = Files.writeString(dest.resolve("deep/stray"), "not in the source\n");
        long wire = client.run("-aHz", "--delete", "--stats", src + "/", there);
        assertSameTree(src, dest);
        assertFalse(Files.exists(stray));
        assertTrue(wire < BIG / 20, "a delta push took " + wire + " bytes");

        Path back = tmp.resolve("back");
        client.run("-aH", there, back + "/");
        assertSameTree(src, back);
        TestTrees.editInPlace(src.resolve("big"), 3, 3);
        client.run("-aH", src + "/", there);
        stray = Files.writeString(back.resolve("deep/stray"), "not in the source\n");
        wire = client.run("-aHc", "--delete", "--stats", there, back + "/");
        assertSameTree(src, back);
        assertFalse(Files.exists(stray));
        assertTrue(wire < BIG / 20, "a delta pull took " + wire + " bytes");
    }

    private static StockDaemon writableDaemon(StockRsync rsync, Path tmp, Path mod) throws IOException {
        return StockDaemon.builder(rsync, tmp.resolve("daemon")).module(StockDaemon.Module.of("m", mod).readOnly(false))
                .start();
    }

    @ParameterizedTest(name = "{0} protocol {1}")
    @MethodSource("peersAndProtocols")
    void jrsyncPushesAndPullsWithAStockDaemon(StockRsync rsync, String protocol, @TempDir Path tmp) throws IOException {
        Path src = tree(tmp);
        Path mod = Files.createDirectories(tmp.resolve("mod"));
        try (StockDaemon daemon = writableDaemon(rsync, tmp, mod)) {
            pushAndPull(jrsync("--protocol=" + protocol), src, daemon.url("m") + "t/", mod.resolve("t"), tmp);
        }
    }

    /** rsync/compat.c:setup_protocol: what needs protocol 29's basis types and item flags is refused before it. */
    @ParameterizedTest(name = "{0} protocol {1}")
    @MethodSource("peersAndProtocols")
    void optionsOfProtocol29AreRefusedBeforeIt(StockRsync rsync, String protocol, @TempDir Path tmp)
            throws IOException {
        Path src = tree(tmp);
        Path mod = Files.createDirectories(tmp.resolve("mod"));
        try (StockDaemon daemon = writableDaemon(rsync, tmp, mod)) {
            Map<List<String>, String> refused = Map.of(
                    List.of("--fuzzy"), "--fuzzy",
                    List.of("--prune-empty-dirs"), "--prune-empty-dirs",
                    List.of("--link-dest=../a", "--link-dest=../b"), "Using more than one --link-dest option",
                    List.of("--copy-dest=../a", "--inplace"), "--copy-dest with --inplace");
            refused.forEach((given, named) -> {
                List<String> args = new ArrayList<>(List.of("-a", "--protocol=" + protocol));
                args.addAll(given);
                args.addAll(List.of(src + "/", daemon.url("m") + "t/"));
                Jrsync r = Jrsync.run(args.toArray(String[]::new));
                assertEquals(2, r.exitCode(), r::transcript);
                assertTrue(r.stderr().contains(named + " requires protocol 29 or higher (negotiated " + protocol + ")"),
                        r::transcript);
            });
            assertFalse(Files.exists(mod.resolve("t")));
        }
    }

    @ParameterizedTest(name = "{0} protocol {1}")
    @MethodSource("peersAndProtocols")
    void aStockClientPushesAndPullsWithTheJavaDaemon(StockRsync rsync, String protocol, @TempDir Path tmp)
            throws Exception {
        Path src = tree(tmp);
        Path mod = Files.createDirectories(tmp.resolve("mod"));
        try (ModuleDaemon daemon = ModuleDaemon.start(mod, tmp.resolve("rsyncd.log"), 0, "")) {
            pushAndPull(stock(rsync, "--protocol=" + protocol), src, daemon.url() + "t/", mod.resolve("t"), tmp);
            ProcessResult again = StockClient.of(rsync).timeout(TIMEOUT)
                    .run("-aHi", "--protocol=" + protocol, src + "/", daemon.url() + "t/").assertSuccess();
            assertEquals("", again.stdout(), again::transcript);
        }
    }

    @ParameterizedTest(name = "{0} protocol {1}")
    @MethodSource("peersAndProtocols")
    void aStockClientUsesJrsyncServerOverARemoteShell(StockRsync rsync, String protocol, @TempDir Path tmp)
            throws Exception {
        Path src = tree(tmp);
        String launcher = Path.of("..", "bin", "jrsync").toAbsolutePath().normalize().toString();
        Client client = stock(rsync, "-e" + RemoteShellIT.localShell(tmp), "--rsync-path=" + launcher,
                "--protocol=" + protocol);
        pushAndPull(client, src, "localhost:" + tmp.resolve("dest") + "/", tmp.resolve("dest"), tmp);
    }

    @ParameterizedTest(name = "{0} protocol {1}")
    @MethodSource("peersAndProtocols")
    void jrsyncUsesAStockServerOverARemoteShell(StockRsync rsync, String protocol, @TempDir Path tmp)
            throws Exception {
        Path src = tree(tmp);
        Client client = jrsync("-e" + RemoteShellIT.localShell(tmp), "--rsync-path=" + rsync.binary(),
                "--protocol=" + protocol);
        pushAndPull(client, src, "localhost:" + tmp.resolve("dest") + "/", tmp.resolve("dest"), tmp);
    }
}
