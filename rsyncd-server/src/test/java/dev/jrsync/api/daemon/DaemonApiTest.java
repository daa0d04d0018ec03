package dev.jrsync.api.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.api.FileItem;
import dev.jrsync.api.FileListing;
import dev.jrsync.api.ListedFile;
import dev.jrsync.api.ModuleList;
import dev.jrsync.api.ModuleListing;
import dev.jrsync.api.Rsync;
import dev.jrsync.api.TransferListener;
import dev.jrsync.api.TransferOutcome;
import dev.jrsync.api.TransferSpec;
import dev.jrsync.api.Transport;
import dev.jrsync.testing.CurrentUser;
import dev.jrsync.testing.ProcessResult;
import dev.jrsync.testing.StockClient;
import dev.jrsync.testing.StockRsync;
import dev.jrsync.testing.TestTrees;
import dev.jrsync.testing.TreeAssert;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A daemon built from records, serving stock clients over TCP and jrsync's API over an in-memory transport. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DaemonApiTest {
    @TempDir
    Path tmp;

    /**
     * A daemon that keeps the test's own identity: no chroot, and as root uid/gid 0 (rsyncd.conf's default for a
     * root daemon, nobody, could not enter the test's private temporary directories); symlinks stored as sent
     * (without a chroot rsyncd.conf munges them by default).
     */
    private DaemonSpec spec(ModuleSpec... modules) {
        DaemonSpec spec = DaemonSpec.of(modules).with("use chroot", "no").with("munge symlinks", "no")
                .with("log file", log.toString());
        return CurrentUser.isRoot() ? spec.with("uid", "0").with("gid", "0") : spec;
    }

    private Path log;

    @org.junit.jupiter.api.BeforeEach
    void logFile() {
        log = tmp.resolve("rsyncd.log");
    }

    @Test
    void aDaemonBuiltFromRecordsServesStockClientsAndKeepsItsModulesRules() throws Exception {
        StockRsync rsync = StockRsync.requireOnPath();
        Path src = tmp.resolve("src");
        TestTrees.buildVaried(src, TestTrees.Omit.SPECIALS);
        Path incoming = Files.createDirectories(tmp.resolve("incoming"));
        Path published = Files.createDirectories(tmp.resolve("published"));
        Files.writeString(published.resolve("notice.txt"), "read me\n");
        try (Daemon daemon = Daemon.of(spec(
                ModuleSpec.of("incoming", incoming).readOnly(false).comment("uploads"),
                ModuleSpec.of("published", published)))) {
            int port = daemon.listen(new InetSocketAddress("127.0.0.1", 0));
            assertEquals(port, daemon.port());
            String url = "rsync://127.0.0.1:" + port + "/";
            StockClient client = StockClient.of(rsync).timeout(Duration.ofSeconds(90));

            client.run("-a", src + "/", url + "incoming/").assertSuccess();
            TreeAssert.assertIdentical(src, incoming, TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));
            Path back = tmp.resolve("back");
            client.run("-a", url + "incoming/", back + "/").assertSuccess();
            TreeAssert.assertIdentical(src, back, TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));

            ProcessResult listing = client.run(url).assertSuccess();
            assertTrue(listing.stdout().contains("incoming") && listing.stdout().contains("uploads"),
                    listing::transcript);
            ProcessResult refused = client.run("-a", src + "/", url + "published/");
            assertTrue(refused.exitCode() != 0, refused::transcript);
            assertTrue(refused.stderr().contains("module is read only"), refused::transcript);
            assertFalse(Files.exists(published.resolve("small.txt")));
        }
    }

    @Test
    void aParameterRsyncdConfDoesNotHaveIsRefusedWhenTheDaemonIsBuilt() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Daemon.of(spec(ModuleSpec.of("m", tmp).with("read-only", "no"))));
        assertTrue(unknown.getMessage().contains("read-only"), unknown.getMessage());
        IllegalArgumentException global = assertThrows(IllegalArgumentException.class,
                () -> Daemon.of(spec(ModuleSpec.of("m", tmp).with("motd file", "/etc/motd"))));
        assertTrue(global.getMessage().contains("motd file"), global.getMessage());
    }

    /** Sender and receiver in one process with no socket: the daemon protocol over an in-memory pipe. */
    @Test
    void pushAndPullOverAnInMemoryTransport() throws Exception {
        Path src = tmp.resolve("src");
        TestTrees.buildVaried(src, TestTrees.Omit.SPECIALS);
        Path module = Files.createDirectories(tmp.resolve("module"));
        try (Daemon daemon = Daemon.of(spec(ModuleSpec.of("mod", module).readOnly(false)))) {
            Transport.Pair push = Transport.pipe();
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> serve(daemon, push.daemon()));
            Queue<FileItem> items = new ConcurrentLinkedQueue<>();
            TransferOutcome pushed = Rsync.transfer(TransferSpec.builder().archive().source(src, true)
                    .destination("rsync://in-memory/mod/").build(), new TransferListener() {
                        @Override
                        public void item(FileItem item) {
                            items.add(item);
                        }
                    }, push.client());
            served.get(30, TimeUnit.SECONDS);
            assertTrue(pushed.ok(), pushed::toString);
            TreeAssert.assertIdentical(src, module, TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));
            assertEquals(TreeAssert.regularFiles(src), pushed.stats().transferredFiles(), pushed::toString);
            assertTrue(items.stream().anyMatch(i -> i.name().equals("small.txt") && i.transferred()), items::toString);

            // a delta: one edit of the big file moves a small part of it
            TestTrees.editInPlace(src.resolve(TestTrees.BIG_FILE), 9, 1);
            Transport.Pair again = Transport.pipe();
            served = CompletableFuture.runAsync(() -> serve(daemon, again.daemon()));
            TransferOutcome delta = Rsync.transfer(TransferSpec.builder().archive().source(src, true)
                    .destination("rsync://in-memory/mod/").build(), TransferListener.NONE, again.client());
            served.get(30, TimeUnit.SECONDS);
            assertTrue(delta.ok(), delta::toString);
            assertEquals(1, delta.stats().transferredFiles(), delta::toString);
            assertTrue(delta.stats().bytesSent() < TestTrees.BIG_SIZE / 10, delta::toString);

            Path back = tmp.resolve("back");
            Transport.Pair pull = Transport.pipe();
            served = CompletableFuture.runAsync(() -> serve(daemon, pull.daemon()));
            TransferOutcome pulled = Rsync.transfer(TransferSpec.builder().archive()
                    .source("rsync://in-memory/mod/").destination(back).build(), TransferListener.NONE, pull.client());
            served.get(30, TimeUnit.SECONDS);
            assertTrue(pulled.ok(), pulled::toString);
            TreeAssert.assertIdentical(src, back, TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));
        }
    }

    @Test
    void anUnknownModuleOverATransportIsTheDaemonsError() throws Exception {
        try (Daemon daemon = Daemon.of(spec(ModuleSpec.of("mod", tmp)))) {
            Transport.Pair pair = Transport.pipe();
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> serve(daemon, pair.daemon()));
            TransferOutcome outcome = Rsync.transfer(TransferSpec.builder().archive()
                    .source("rsync://in-memory/nosuch/").destination(tmp.resolve("x")).build(),
                    TransferListener.NONE, pair.client());
            served.get(30, TimeUnit.SECONDS);
            assertEquals(5, outcome.exitCode(), outcome::toString);
            assertTrue(outcome.error().orElseThrow().contains("Unknown module 'nosuch'"), outcome::toString);
        }
    }

    /** The module list and a module's file listing come as records over an in-memory transport too. */
    @Test
    void listingsOverATransportAreRecords() throws Exception {
        Path served = tmp.resolve("served");
        Files.createDirectories(served.resolve("sub"));
        Files.writeString(served.resolve("f.txt"), "four");
        Path motd = Files.writeString(tmp.resolve("motd"), "hello from the pipe\n");
        try (Daemon daemon = Daemon.of(spec(ModuleSpec.of("mod", served).comment("served files"),
                ModuleSpec.of("secret", tmp).with("list", "no")).with("motd file", motd.toString()))) {
            Transport.Pair pair = Transport.pipe();
            CompletableFuture<Void> done = CompletableFuture.runAsync(() -> serve(daemon, pair.daemon()));
            ModuleList modules = Rsync.listModules("rsync://in-memory/", pair.client());
            done.get(30, TimeUnit.SECONDS);
            assertTrue(modules.outcome().ok(), modules::toString);
            assertEquals(List.of(new ModuleListing("mod", "served files")), modules.modules());
            assertEquals(List.of("hello from the pipe"), modules.motd());

            Transport.Pair again = Transport.pipe();
            done = CompletableFuture.runAsync(() -> serve(daemon, again.daemon()));
            FileListing files = Rsync.list(TransferSpec.builder().recursive().source("rsync://in-memory/mod/").build(),
                    again.client());
            done.get(30, TimeUnit.SECONDS);
            assertTrue(files.outcome().ok(), files::toString);
            assertEquals(List.of(".", "f.txt", "sub"), files.files().stream().map(ListedFile::name).toList());
            ListedFile f = files.files().get(1);
            assertEquals(ListedFile.Kind.FILE, f.kind());
            assertEquals(4, f.size());
            assertEquals(Files.getLastModifiedTime(served.resolve("f.txt")).toInstant().getEpochSecond(),
                    f.mtime().getEpochSecond());
            assertEquals(ListedFile.Kind.DIRECTORY, files.files().get(2).kind());
        }
    }

    /**
     * The command line's additions: listen() binds the options' address and port, not rsyncd.conf's; the pid file
     * holds this process's id until close(), and a second daemon given it refuses to start with rsync's code 11.
     */
    @Test
    void listenBindsWhereTheOptionsSayAndHoldsThePidFile() throws Exception {
        Path pid = tmp.resolve("rsyncd.pid");
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        DaemonOptions options = new DaemonOptions(java.util.OptionalInt.of(port), java.util.Optional.of("127.0.0.1"),
                java.util.Optional.empty(), java.util.Optional.empty(), java.util.OptionalLong.empty(),
                java.util.Optional.empty());
        DaemonSpec spec = spec(ModuleSpec.of("mod", tmp).comment("from options")).with("port", "1")
                .with("pid file", pid.toString());
        try (Daemon daemon = Daemon.of(spec, options)) {
            assertEquals(port, daemon.listen());
            assertEquals(Long.toString(ProcessHandle.current().pid()), Files.readString(pid).strip());
            ProcessResult res = StockClient.of(StockRsync.requireOnPath()).run("rsync://127.0.0.1:" + port + "/")
                    .assertSuccess();
            assertTrue(res.stdout().contains("from options"), res.transcript());
            try (Daemon second = Daemon.of(spec, options)) {
                DaemonStartException refused = assertThrows(DaemonStartException.class, second::listen);
                assertEquals(11, refused.exitCode());
                assertTrue(refused.lines().getFirst().startsWith("failed to lock pid file " + pid), refused.lines()::toString);
                assertEquals("rsync error: error in file IO (code 11)", refused.lines().getLast());
            }
        }
        try (Daemon third = Daemon.of(spec, options)) {
            assertEquals(port, third.listen()); // the pid file and the port were released
        }
    }

    /** A transport's peer is the client hosts deny judges, as a socket's address is. */
    @Test
    void aTransportsPeerIsJudgedByHostsDeny() throws Exception {
        Path served = Files.createDirectories(tmp.resolve("served"));
        Files.writeString(served.resolve("f.txt"), "data");
        try (Daemon daemon = Daemon.of(spec(ModuleSpec.of("mod", served).with("hosts deny", "192.0.2.7")))) {
            Transport.Pair pipe = Transport.pipe();
            java.net.InetAddress denied = java.net.InetAddress.getByName("192.0.2.7");
            Transport fromDenied = new Transport() {
                @Override
                public java.io.InputStream in() {
                    return pipe.daemon().in();
                }

                @Override
                public java.io.OutputStream out() {
                    return pipe.daemon().out();
                }

                @Override
                public void close() throws java.io.IOException {
                    pipe.daemon().close();
                }

                @Override
                public java.util.Optional<java.net.InetAddress> peer() {
                    return java.util.Optional.of(denied);
                }
            };
            CompletableFuture<Void> done = CompletableFuture.runAsync(() -> serve(daemon, fromDenied));
            TransferOutcome outcome = Rsync.transfer(TransferSpec.builder().recursive()
                    .source("rsync://in-memory/mod/").destination(tmp.resolve("dst")).build(),
                    TransferListener.NONE, pipe.client());
            done.get(30, TimeUnit.SECONDS);
            assertEquals(5, outcome.exitCode(), outcome::toString);
            assertTrue(outcome.error().orElseThrow().contains("access denied"), outcome::toString);
            assertFalse(Files.exists(tmp.resolve("dst/f.txt")));
        }
    }

    private static void serve(Daemon daemon, Transport end) {
        try {
            daemon.serve(end);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
