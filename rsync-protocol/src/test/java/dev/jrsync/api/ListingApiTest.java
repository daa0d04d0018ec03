package dev.jrsync.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.testing.StockClient;
import dev.jrsync.testing.StockDaemon;
import dev.jrsync.testing.StockRsync;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Module and file listings as records, checked against the daemon's configuration and the tree on disk. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ListingApiTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void aStockDaemonsModulesAndGreetingAreRecords(StockRsync rsync) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("served"));
        Path motd = Files.writeString(tmp.resolve("motd"), "Welcome to the test daemon\nbe nice\n");
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .globalLine("motd file = " + motd)
                .module(StockDaemon.Module.of("mod", dir).line("comment = the test module"))
                .module(StockDaemon.Module.of("hidden", dir).line("list = no"))
                .module(StockDaemon.Module.of("a-module-with-a-long-name", dir)).start()) {
            ModuleList listed = Rsync.listModules("rsync://" + StockDaemon.HOST + ":" + daemon.port() + "/");
            assertTrue(listed.outcome().ok(), listed::toString);
            assertEquals(List.of(new ModuleListing("mod", "the test module"),
                    new ModuleListing("a-module-with-a-long-name", "")), listed.modules());
            assertEquals(List.of("Welcome to the test daemon", "be nice"), listed.motd());
        }
    }

    @Test
    void aModuleListNeedsADaemonThatAnswers() throws IOException {
        assertThrows(IllegalArgumentException.class, () -> Rsync.listModules("/not/a/daemon"));
        assertThrows(IllegalArgumentException.class, () -> Rsync.listModules("rsync://127.0.0.1/mod/"));
        int closedPort;
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        ModuleList refused = Rsync.listModules("rsync://127.0.0.1:" + closedPort + "/");
        assertEquals(10, refused.outcome().exitCode(), refused::toString); // rsync's RERR_SOCKETIO
        assertTrue(refused.modules().isEmpty(), refused::toString);
    }

    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void aStockDaemonsModuleListsAsTheTreeOnDisk(StockRsync rsync) throws IOException, InterruptedException {
        Path served = tree(tmp.resolve("served"));
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("mod", served).readOnly(true)).start()) {
            FileListing listing = Rsync.list(TransferSpec.builder().recursive().links().source(daemon.url("mod"))
                    .build());
            assertTrue(listing.outcome().ok(), listing::toString);
            assertMatchesTree(served, listing);
            // the names and their order are those the stock client prints
            assertEquals(stockNames(rsync, "-rl", daemon.url("mod")), names(listing));
        }
    }

    @Test
    void aLocalFolderListsAsTheTreeOnDisk() throws IOException, InterruptedException {
        Path src = tree(tmp.resolve("src"));
        FileListing listing = Rsync.list(TransferSpec.builder().recursive().links().source(src, true).build());
        assertTrue(listing.outcome().ok(), listing::toString);
        assertMatchesTree(src, listing);
        StockRsync rsync = StockRsync.requireOnPath();
        assertEquals(stockNames(rsync, "-rl", src + "/"), names(listing));
        assertFalse(Files.exists(Path.of(".", "d")), "a listing writes nothing");

        FileListing shallow = Rsync.list(TransferSpec.builder().source(src, true).build());
        // without recursion a directory's own entries; without links() a symlink's target is not read
        assertEquals(List.of(".", "e.bin", "link", "pipe", "d"), names(shallow));
        assertEquals(stockNames(rsync, src + "/"), names(shallow));
        assertEquals(java.util.Optional.empty(), shallow.files().get(2).linkTarget());
        assertThrows(IllegalArgumentException.class,
                () -> Rsync.list(TransferSpec.builder().source(src, true).destination(tmp.resolve("dst")).build()));
        FileListing missing = Rsync.list(TransferSpec.builder().source(tmp.resolve("missing"), true).build());
        assertEquals(23, missing.outcome().exitCode(), missing::toString);
    }

    private static List<String> names(FileListing listing) {
        return listing.files().stream().map(ListedFile::name).toList();
    }

    /** The names in the stock client's listing lines ("PERMS SIZE DATE TIME NAME [-> TARGET]"). */
    private static List<String> stockNames(StockRsync rsync, String... args) {
        return StockClient.of(rsync).run(args).assertSuccess().stdout().lines().filter(l -> !l.isBlank())
                .map(l -> l.split(" +", 5)[4].replaceAll(" -> .*", "")).toList();
    }

    /** A directory, a file in it, a file beside it, a symlink and a FIFO, with modes and times of their own. */
    private static Path tree(Path root) throws IOException, InterruptedException {
        Files.createDirectories(root.resolve("d"));
        Files.writeString(root.resolve("d/f.txt"), "hello");
        Files.write(root.resolve("e.bin"), new byte[1000]);
        Files.createSymbolicLink(root.resolve("link"), Path.of("d/f.txt"));
        Process mkfifo = new ProcessBuilder("mkfifo", root.resolve("pipe").toString()).inheritIO().start();
        assertTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo failed");
        Files.setPosixFilePermissions(root.resolve("d/f.txt"), PosixFilePermissions.fromString("rw-r-----"));
        Files.setPosixFilePermissions(root.resolve("e.bin"), PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(root.resolve("d"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.setLastModifiedTime(root.resolve("d/f.txt"), FileTime.from(Instant.parse("2021-03-04T05:06:07Z")));
        Files.setLastModifiedTime(root.resolve("e.bin"), FileTime.from(Instant.parse("2019-01-02T03:04:05Z")));
        Files.setLastModifiedTime(root.resolve("d"), FileTime.from(Instant.parse("2020-02-03T04:05:06Z")));
        return root;
    }

    /** Every entry has the kind, mode, size, time and link target of its file; every file is listed. */
    private static void assertMatchesTree(Path root, FileListing listing) throws IOException {
        Map<String, ListedFile> byName = new TreeMap<>();
        listing.files().forEach(f -> byName.put(f.name(), f));
        assertEquals(".", listing.files().getFirst().name(), listing::toString);
        List<String> onDisk;
        try (Stream<Path> walk = Files.walk(root)) {
            onDisk = walk.map(p -> p.equals(root) ? "." : root.relativize(p).toString()).sorted().toList();
        }
        assertEquals(onDisk, List.copyOf(byName.keySet()));
        for (ListedFile f : listing.files()) {
            Path p = root.resolve(f.name());
            Map<String, Object> attrs = Files.readAttributes(p, "unix:mode,size,lastModifiedTime",
                    LinkOption.NOFOLLOW_LINKS);
            ListedFile.Kind kind = switch ((int) attrs.get("mode") & 0170000) {
                case 0120000 -> ListedFile.Kind.SYMLINK;
                case 0040000 -> ListedFile.Kind.DIRECTORY;
                case 0010000 -> ListedFile.Kind.FIFO;
                default -> ListedFile.Kind.FILE;
            };
            assertEquals(kind, f.kind(), f::toString);
            assertEquals((int) attrs.get("mode") & 07777, f.mode(), f::toString);
            if (kind != ListedFile.Kind.DIRECTORY) {
                assertEquals((long) attrs.get("size"), f.size(), f::toString);
            }
            assertEquals(((FileTime) attrs.get("lastModifiedTime")).toInstant().getEpochSecond(),
                    f.mtime().getEpochSecond(), f::toString);
            assertEquals(kind == ListedFile.Kind.SYMLINK ? java.util.Optional.of(Files.readSymbolicLink(p).toString())
                    : java.util.Optional.empty(), f.linkTarget(), f::toString);
            assertEquals(f.name(), new String(f.rawName(), java.nio.charset.StandardCharsets.UTF_8), f::toString);
        }
    }
}
