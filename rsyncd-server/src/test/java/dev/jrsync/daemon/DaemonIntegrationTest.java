package dev.jrsync.daemon;

import dev.jrsync.clientserver.ArgList;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.testing.CurrentUser;
import dev.jrsync.testing.ProcessResult;
import dev.jrsync.testing.StockClient;
import dev.jrsync.testing.StockRsync;
import dev.jrsync.testing.TestTrees;
import dev.jrsync.testing.TreeAssert;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Stock rsync clients (3.5.x on PATH, 3.2.7 from .peers) against our daemon. */
class DaemonIntegrationTest {
    @TempDir
    Path tmp;
    Path pub;
    Path outside;
    Path upload;
    JavaDaemon daemon;

    @BeforeEach
    void start() throws IOException {
        pub = tmp.resolve("pub");
        TestTrees.buildVaried(pub);
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "do not serve\n");
        upload = Files.createDirectories(tmp.resolve("upload"));
        Path secrets = Files.writeString(tmp.resolve("secrets"), "alice:sesame\n");
        Files.setPosixFilePermissions(secrets, PosixFilePermissions.fromString("rw-------"));
        daemon = JavaDaemon.start(tmp.resolve("daemon"), JavaDaemon.asTestUser() + """
                log file = %s
                [pub]
                path = %s
                comment = the varied tree
                transfer logging = yes
                log format = %%o %%m %%n %%l %%b %%i
                [hidden]
                path = %s
                list = no
                [upload]
                path = %s
                comment = uploads
                read only = no
                [ro]
                path = %s
                [secret]
                path = %s
                auth users = alice
                secrets file = %s
                [esc]
                path = %s
                [strict]
                path = %s
                refuse options = compress
                [drop]
                path = %s
                write only = yes
                max connections = 1
                [slow]
                path = %s
                timeout = 4
                """.formatted(tmp.resolve("daemon/rsyncd.log"), pub, pub, upload, upload, pub, secrets,
                tmp.resolve("esc"), pub, pub, pub), Duration.ofSeconds(2));
        Files.createDirectories(tmp.resolve("esc"));
        Files.createSymbolicLink(tmp.resolve("esc/link"), outside);
        Files.writeString(tmp.resolve("esc/ok.txt"), "fine\n");
        Files.createSymbolicLink(tmp.resolve("esc/munged"), Path.of("/rsyncd-munged/ok.txt"));
    }

    @AfterEach
    void stop() {
        daemon.close();
    }

    static Stream<StockRsync> peers() {
        return StockRsync.peers();
    }

    static Stream<Arguments> peersAndProtocols() {
        return StockRsync.peers().flatMap(r -> Stream.of(29, 30, 31).map(p -> Arguments.of(r, p)));
    }

    static Stream<Arguments> peersAndCompressors() {
        return StockRsync.peers().flatMap(r -> Stream.of("zstd", "lz4", "zlibx", "zlib").map(c -> Arguments.of(r, c)));
    }

    private static TreeAssert.Option[] identical() {
        List<TreeAssert.Option> o = new ArrayList<>(List.of(TreeAssert.Option.NANOSECONDS));
        if (CurrentUser.isRoot()) {
            o.add(TreeAssert.Option.OWNERSHIP);
        }
        return o.toArray(TreeAssert.Option[]::new);
    }

    private ProcessResult rsync(StockRsync r, String... args) {
        return StockClient.of(r).timeout(Duration.ofSeconds(90)).run(args);
    }

    @ParameterizedTest
    @MethodSource("peers")
    void listsModulesWithComments(StockRsync r) {
        ProcessResult res = rsync(r, daemon.url("")).assertSuccess();
        assertTrue(res.stdout().contains("pub            \tthe varied tree"), res.transcript());
        assertTrue(res.stdout().contains("upload         \tuploads"), res.transcript());
        assertFalse(res.stdout().contains("hidden"), res.transcript());
    }

    @Test
    void unknownModule() {
        ProcessResult res = rsync(StockRsync.requireOnPath(), daemon.url("nope/"), tmp.resolve("x").toString());
        assertNotEquals(0, res.exitCode());
        assertTrue(res.stderr().contains("@ERROR: Unknown module 'nope'"), res.transcript());
    }

    @ParameterizedTest
    @MethodSource("peers")
    void pullIsIdenticalAndRePullSendsLittle(StockRsync r) throws IOException {
        Path dst = tmp.resolve("dst");
        rsync(r, "-a", "--stats", daemon.url("pub/"), dst + "/").assertSuccess();
        TreeAssert.assertIdentical(pub, dst, identical());

        TestTrees.editInPlace(pub.resolve(TestTrees.BIG_FILE), 11, 3);
        ProcessResult again = rsync(r, "-a", "--stats", daemon.url("pub/"), dst + "/").assertSuccess();
        TreeAssert.assertIdentical(pub, dst, identical());
        long literal = again.stats().literalData();
        assertTrue(literal < 256 * 1024, "literal data " + literal + "\n" + again.transcript());
        assertTrue(daemon.log().contains("send pub " + TestTrees.BIG_FILE + " " + TestTrees.BIG_SIZE), daemon.log());
    }

    @ParameterizedTest
    @MethodSource("peersAndProtocols")
    void pullWithOlderProtocols(StockRsync r, int protocol) {
        Path dst = tmp.resolve("dst" + protocol);
        rsync(r, "-a", "--protocol=" + protocol, daemon.url("pub/"), dst + "/").assertSuccess();
        // Nanosecond mtimes travel from protocol 31 on; older protocols carry whole seconds.
        TreeAssert.Option[] options = protocol >= 31 ? identical()
                : Stream.of(identical()).filter(o -> o != TreeAssert.Option.NANOSECONDS).toArray(TreeAssert.Option[]::new);
        TreeAssert.assertIdentical(pub, dst, options);
    }

    @ParameterizedTest
    @MethodSource("peersAndCompressors")
    void pullCompressed(StockRsync r, String compressor) {
        Path dst = tmp.resolve("dst-" + compressor);
        rsync(r, "-az", "--compress-choice=" + compressor, daemon.url("pub/"), dst + "/").assertSuccess();
        TreeAssert.assertIdentical(pub, dst, identical());
    }

    @ParameterizedTest
    @MethodSource("peers")
    void plainZNegotiates(StockRsync r) {
        Path dst = tmp.resolve("dst-z");
        rsync(r, "-az", daemon.url("pub/"), dst + "/").assertSuccess();
        TreeAssert.assertIdentical(pub, dst, identical());
    }

    @ParameterizedTest
    @MethodSource("peers")
    void listingChecksumDryRunAndVerboseVariants(StockRsync r) throws IOException {
        ProcessResult list = rsync(r, daemon.url("pub/")).assertSuccess();
        assertTrue(list.stdout().contains("small.txt") && list.stdout().contains("data"), list.transcript());

        Path dirsOnly = tmp.resolve("dirs-only");
        rsync(r, "-dlptgo", daemon.url("pub/"), dirsOnly + "/").assertSuccess();
        assertTrue(Files.isRegularFile(dirsOnly.resolve("small.txt")));
        assertTrue(Files.isDirectory(dirsOnly.resolve("bin")), "-d sends the subdirectories themselves");
        assertFalse(Files.exists(dirsOnly.resolve("bin/run.sh")), "-d does not recurse");

        Path dry = tmp.resolve("dry");
        ProcessResult n = rsync(r, "-avn", daemon.url("pub/"), dry + "/").assertSuccess();
        assertTrue(n.stdout().contains(TestTrees.BIG_FILE), n.transcript());
        assertFalse(Files.exists(dry.resolve("small.txt")));

        Path dst = tmp.resolve("dst-c");
        rsync(r, "-avvic", "--progress", "--stats", daemon.url("pub/"), dst + "/").assertSuccess();
        TreeAssert.assertIdentical(pub, dst, identical());
        Files.writeString(dst.resolve("small.txt"), "changed, same length\n".substring(0, 18));
        TestTrees.setMtime(dst.resolve("small.txt"), Files.getLastModifiedTime(pub.resolve("small.txt")).toInstant());
        ProcessResult again = rsync(r, "-aic", daemon.url("pub/"), dst + "/").assertSuccess();
        assertTrue(again.stdout().contains(">fc") && again.stdout().contains("small.txt"), again.transcript());
        TreeAssert.assertIdentical(pub, dst, identical());
    }

    @ParameterizedTest
    @MethodSource("peers")
    void authentication(StockRsync r) {
        Path ok = tmp.resolve("ok");
        StockClient.of(r).password("sesame").run("-a", "rsync://alice@127.0.0.1:" + daemon.port + "/secret/", ok + "/")
                .assertSuccess();
        TreeAssert.assertIdentical(pub, ok, identical());

        Path bad = tmp.resolve("bad");
        ProcessResult res = StockClient.of(r).password("wrong")
                .run("-a", "rsync://alice@127.0.0.1:" + daemon.port + "/secret/", bad + "/");
        assertNotEquals(0, res.exitCode());
        assertTrue(res.stderr().contains("auth failed on module secret"), res.transcript());
        assertFalse(Files.exists(bad));
    }

    @ParameterizedTest
    @MethodSource("peers")
    void pushToReadOnlyModuleWritesNothing(StockRsync r) throws IOException {
        ProcessResult ro = rsync(r, "-a", pub + "/", daemon.url("ro/"));
        assertNotEquals(0, ro.exitCode());
        assertTrue(ro.stderr().contains("ERROR: module is read only"), ro.transcript());
        try (Stream<Path> s = Files.list(upload)) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void escapesReadNothingOutsideTheModule() throws IOException {
        StockRsync r = StockRsync.requireOnPath();
        for (String path : List.of("esc/../outside/", "esc/link/", "esc/link/secret.txt", "esc//etc/passwd")) {
            Path dst = tmp.resolve("grab" + Math.abs(path.hashCode()));
            ProcessResult res = rsync(r, "-a", daemon.url(path), dst + "/");
            assertNotEquals(0, res.exitCode(), res.transcript());
            assertFalse(Files.exists(dst.resolve("secret.txt")), res.transcript());
            assertFalse(Files.exists(dst.resolve("passwd")), res.transcript());
        }
        // The symlink itself is served as a symlink, its target untouched.
        Path dst = tmp.resolve("whole");
        rsync(r, "-a", daemon.url("esc/"), dst + "/").assertSuccess();
        assertTrue(Files.isSymbolicLink(dst.resolve("link")));
        assertTrue(Files.exists(dst.resolve("ok.txt")));
        // munge symlinks (on by default without chroot): a sender strips the prefix again.
        assertEquals(Path.of("ok.txt"), Files.readSymbolicLink(dst.resolve("munged")));
    }

    @Test
    void refusedOptionsAndWriteOnlyModules() {
        StockRsync r = StockRsync.requireOnPath();
        ProcessResult z = rsync(r, "-az", daemon.url("strict/"), tmp.resolve("z") + "/");
        assertNotEquals(0, z.exitCode());
        assertTrue(z.stderr().contains("The server is configured to refuse --compress"), z.transcript());
        rsync(r, "-a", daemon.url("strict/"), tmp.resolve("plain") + "/").assertSuccess();

        ProcessResult wo = rsync(r, "-a", daemon.url("drop/"), tmp.resolve("wo") + "/");
        assertNotEquals(0, wo.exitCode());
        assertTrue(wo.stderr().contains("ERROR: module is write only"), wo.transcript());
    }

    @Test
    void maxConnectionsTurnsAwayTheSecondClient() throws IOException {
        try (Socket first = new Socket("127.0.0.1", daemon.port)) {
            first.getOutputStream().write("@RSYNCD: 31.0 md5\ndrop\n".getBytes(StandardCharsets.US_ASCII));
            first.getOutputStream().flush();
            first.setSoTimeout(5000);
            // Wait for "@RSYNCD: OK": the first client holds the only slot.
            String seen = "";
            InputStream in = first.getInputStream();
            for (int i = 0; i < 200 && !seen.contains("@RSYNCD: OK"); i++) {
                int c = in.read();
                if (c < 0) {
                    break;
                }
                seen += (char) c;
            }
            assertTrue(seen.contains("@RSYNCD: OK"), seen);
            ProcessResult second = rsync(StockRsync.requireOnPath(), "-a", daemon.url("drop/"), tmp.resolve("mc") + "/");
            assertNotEquals(0, second.exitCode());
            assertTrue(second.stderr().contains("max connections (1) reached"), second.transcript());
        }
    }

    @Test
    void wildcardPull() {
        Path dst = tmp.resolve("glob");
        rsync(StockRsync.requireOnPath(), "-a", daemon.url("pub/*.txt"), dst + "/").assertSuccess();
        try (Stream<Path> s = Files.list(dst)) {
            List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
            assertTrue(names.containsAll(List.of("empty.txt", "small.txt", "with space.txt")), names.toString());
            assertFalse(names.contains("bin"), names.toString());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void idleClientIsDroppedAfterTheModuleTimeout() throws IOException {
        try (Socket s = new Socket("127.0.0.1", daemon.port)) {
            s.setSoTimeout(15_000);
            // Protocol 29: newline-separated arguments, then the daemon waits for our filter list forever.
            s.getOutputStream().write("@RSYNCD: 29.0\nslow\n--server\n--sender\n-r\n.\nslow/\n\n"
                    .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            long start = System.nanoTime();
            byte[] all = s.getInputStream().readAllBytes();
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(new String(all, StandardCharsets.ISO_8859_1).contains("@RSYNCD: OK"));
            assertTrue(millis >= 3500 && millis < 12_000, "dropped after " + millis + " ms (timeout = 4)");
        }
    }

    @Test
    void hostileArgumentListsAreCutOff() throws IOException {
        for (String args : List.of("-x\0".repeat(ArgList.MAX_ARGS + 1), "y".repeat(ArgList.MAX_ARG_LENGTH + 1))) {
            try (Socket s = new Socket("127.0.0.1", daemon.port)) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write(("@RSYNCD: 31.0 md5\npub\n--server\0" + args).getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                String seen = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(seen.contains("@RSYNCD: OK"), seen);
            }
        }
        rsync(StockRsync.requireOnPath(), daemon.url("")).assertSuccess();
        assertTrue(daemon.log().contains("too many daemon arguments") && daemon.log().contains("over-long argument"), daemon.log());
    }

    @Test
    void concurrentPulls() {
        StockRsync r = StockRsync.requireOnPath();
        List<CompletableFuture<ProcessResult>> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Path dst = tmp.resolve("c" + i);
            runs.add(CompletableFuture.supplyAsync(() -> rsync(r, "-a", daemon.url("pub/"), dst + "/")));
        }
        for (int i = 0; i < runs.size(); i++) {
            runs.get(i).join().assertSuccess();
            TreeAssert.assertIdentical(pub, tmp.resolve("c" + i), identical());
        }
        rsync(r, daemon.url("")).assertSuccess();
    }

    @Test
    void silentClientIsDroppedAfterTheHandshakeDeadline() throws IOException {
        try (Socket s = new Socket("127.0.0.1", daemon.port)) {
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            long start = System.nanoTime();
            byte[] all = in.readAllBytes(); // the greeting, then EOF when the daemon hangs up
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(new String(all, StandardCharsets.US_ASCII).startsWith("@RSYNCD: 32.0 "));
            assertTrue(millis >= 1500 && millis < 8000, "dropped after " + millis + " ms");
        }
        assertTrue(daemon.log().contains("daemon handshake timeout"), daemon.log());
    }
}
