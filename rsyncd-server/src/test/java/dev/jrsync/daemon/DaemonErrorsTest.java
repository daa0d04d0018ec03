package dev.jrsync.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.testing.ProcessResult;
import dev.jrsync.testing.StockClient;
import dev.jrsync.testing.StockDaemon;
import dev.jrsync.testing.StockRsync;
import dev.jrsync.testing.TestTrees;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Errors a daemon reports after the handshake, side by side with a stock daemon given the same modules: a
 * protocol error it detects mid-transfer (crafted pushes, as rsync 3.5.0's testsuite sends them with
 * rsync_proto.py) and a refused push reach the client as rsync's error message (MSG_ERROR, and MSG_ERROR_EXIT
 * from protocol 31), not as a bare end of stream.
 */
class DaemonErrorsTest {
    private static final int MSG_DATA = 0;
    private static final int MSG_ERROR_XFER = 1;
    private static final int MSG_ERROR = 3;
    private static final int MSG_ERROR_EXIT = 86;

    @TempDir
    Path tmp;
    JavaDaemon ours;
    StockDaemon stock;
    Path ourUp;
    Path stockUp;

    @BeforeEach
    void start() throws IOException {
        Path up = Files.createDirectories(tmp.resolve("up"));
        ourUp = up;
        stockUp = Files.createDirectories(tmp.resolve("stock-up"));
        Path secrets = Files.writeString(tmp.resolve("secrets"), "bob:pw\n");
        Files.setPosixFilePermissions(secrets, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        ours = JavaDaemon.start(tmp.resolve("ours"), JavaDaemon.asTestUser() + """
                [up]
                path = %1$s
                read only = no
                [ro]
                path = %1$s
                read only = yes
                [rou]
                path = %1$s
                read only = no
                auth users = bob:ro
                secrets file = %2$s
                """.formatted(up, secrets), Duration.ofSeconds(10));
        stock = StockDaemon.builder(StockRsync.requireOnPath(), tmp.resolve("stock"))
                .module(StockDaemon.Module.of("up", stockUp))
                .module(StockDaemon.Module.of("ro", up).readOnly(true))
                .module(StockDaemon.Module.of("rou", up).line("auth users = bob:ro").line("secrets file = " + secrets))
                .start();
    }

    @AfterEach
    void stop() {
        ours.close();
        stock.close();
    }

    /**
     * What came back: the MSG_ERROR and MSG_ERROR_XFER texts, the MSG_ERROR_EXIT code (-1 if none), and whether
     * the daemon reset the connection rather than closing it.
     */
    record Reply(List<String> errors, int exitCode, boolean reset) {}

    /**
     * Greets with {@code protocol}, asks to push into [up] without incremental recursion, and sends {@code
     * data} as one MSG_DATA frame; then reads the daemon's frames until it hangs up (or 10 s pass).
     */
    private static Reply push(int port, int protocol, byte[] data) throws IOException {
        return push(port, protocol, "-re.LsfxCIu", data);
    }

    /** {@link #push(int, int, byte[])} with the server's short options, e.g. with 'i' for incremental recursion. */
    private static Reply push(int port, int protocol, String flags, byte[] data) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            DataInputStream in = new DataInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            readLine(in);
            out.write(("@RSYNCD: " + protocol + ".0\nup\n").getBytes(StandardCharsets.US_ASCII));
            while (!readLine(in).startsWith("@RSYNCD: OK")) {
                // motd lines
            }
            out.write(("--server\0" + flags + "\0.\0up/\0\0").getBytes(StandardCharsets.US_ASCII));
            int first = in.readUnsignedByte(); // compat flags, a varint: leading one bits count extra bytes
            in.skipNBytes(Integer.numberOfLeadingZeros(~(first << 24)));
            in.skipNBytes(4); // checksum seed
            ByteBuffer frame = ByteBuffer.allocate(4 + data.length).order(ByteOrder.LITTLE_ENDIAN);
            frame.putInt(((7 + MSG_DATA) << 24) | data.length).put(data);
            out.write(frame.array());
            out.flush();
            List<String> errors = new ArrayList<>();
            int exit = -1;
            boolean reset = false;
            try {
                while (true) {
                    int head = Integer.reverseBytes(in.readInt());
                    byte[] payload = in.readNBytes(head & 0xFFFFFF);
                    int tag = (head >>> 24) - 7;
                    if (tag == MSG_ERROR || tag == MSG_ERROR_XFER) {
                        errors.add(new String(payload, StandardCharsets.UTF_8).strip());
                    } else if (tag == MSG_ERROR_EXIT && payload.length == 4) {
                        exit = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).getInt();
                    }
                }
            } catch (EOFException | SocketTimeoutException end) {
                // the daemon hung up, or went quiet
            } catch (java.net.SocketException end) {
                reset = true;
            }
            return new Reply(errors, exit, reset);
        }
    }

    private static String readLine(DataInputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("daemon closed during the handshake: " + line);
            }
            line.write(c);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    /**
     * An empty file list, NDX_DONE, then an inc_recurse sub-list marker (ndx -101) on a session without
     * incremental recursion: rsync/rsync.c:read_ndx_and_attrs refuses it with RERR_PROTOCOL (code 2).
     */
    @ParameterizedTest
    @ValueSource(ints = {30, 31})
    void aSubListMarkerWithoutIncrementalRecursionIsRefusedWithRsyncsMessage(int protocol) throws IOException {
        byte[] crafted = {0x00, 0x00, (byte) 0xFF, 0x64};
        Reply theirs = push(stock.port(), protocol, crafted);
        Reply mine = push(ours.port, protocol, crafted);
        String expected = "Invalid file index: -101 (-1 - -1) [receiver]";
        assertTrue(theirs.errors().contains(expected), "stock: " + theirs + "\n" + stock.diagnostics());
        assertTrue(mine.errors().contains(expected), "ours: " + mine + "\n" + ours.log());
        assertTrue(mine.errors().contains("rsync error: protocol incompatibility (code 2) [receiver=jrsync]"),
                mine.toString());
        assertEquals(protocol >= 31 ? 2 : -1, mine.exitCode(), mine.toString());
    }

    /**
     * Crafted inc_recurse and duplicate-name pushes as rsync 3.5.0's testsuite sends them (proto-cleared-ndx,
     * proto-cleared-dirflist, proto-subflist-freed): a transfer index for the slot of a duplicate that was
     * cleared, a sub-list for a cleared directory, and a sub-list after the sender's DONE freed the only list.
     * Both daemons refuse with rsync's message, and the receiver reads on until the client hangs up, at
     * protocol 30 too, so the client sees an orderly close, never a reset that could lose the message.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-e.LsfxCIu | 18 07 6475702e747874 000000 00000000 a4810000 18 07 6475702e747874 000000 00000000 a4810000"
                + " 00 02 0000 | rsync: refusing transfer of cleared file index 1",
        "-re.iLsfxCIu | 19 01 64 000000 00000000 ed410000 19 01 64 000000 00000000 ed410000"
                + " 18 01 66 006400 00000000 a4810000 00 ff65 18 01 78 000000 00000000 a4810000 00"
                + " | rsync: refusing flist for cleared dir_ndx 1",
        "-re.iLsfxCIu | 19 01 64 000000 00000000 ed410000 19 01 64 000000 00000000 ed410000 00 00 ff64"
                + " | rsync: refusing sub-flist after final flist was freed"})
    void aCraftedListIsRefusedAndTheClientReadsTheWholeMessage(String flags, String hex, String expected)
            throws IOException {
        byte[] crafted = java.util.HexFormat.of().parseHex(hex.replace(" ", ""));
        Reply theirs = push(stock.port(), 30, flags, crafted);
        Reply mine = push(ours.port, 30, flags, crafted);
        assertTrue(theirs.errors().contains(expected), "stock: " + theirs + "\n" + stock.diagnostics());
        assertFalse(theirs.reset(), "stock: " + theirs);
        assertTrue(mine.errors().contains(expected), "ours: " + mine + "\n" + ours.log());
        assertTrue(mine.errors().contains("rsync error: protocol incompatibility (code 2) [receiver=jrsync]"),
                mine.toString());
        assertFalse(mine.reset(), "ours: " + mine);
        assertTrue(ours.log().contains("receiving file list"), ours.log());
        try (Stream<Path> written = Files.list(ourUp)) {
            assertEquals(List.of(), written.toList(), "nothing may be written");
        }
    }

    /**
     * A push into a module that is read only (for everyone, or for this user through {@code auth users =
     * bob:ro}): the stock client prints the daemon's "ERROR: module is read only" and ends with the same
     * code as against a stock daemon (1 from protocol 31, which carries it; 10 before, the reset that follows).
     */
    @ParameterizedTest
    @CsvSource({"ro,30", "ro,31", "rou,30", "rou,32"})
    void aPushIntoAReadOnlyModuleEndsWithTheDaemonsMessage(String module, int protocol) throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("f"), "f\n");
        StockClient client = StockClient.of(StockRsync.requireOnPath()).password("pw").timeout(Duration.ofSeconds(60));
        ProcessResult theirs = client.run("-a", "--protocol=" + protocol, src + "/",
                "rsync://bob@127.0.0.1:" + stock.port() + "/" + module + "/");
        ProcessResult mine = client.run("-a", "--protocol=" + protocol, src + "/", ours.url(module + "/")
                .replace("rsync://", "rsync://bob@"));
        assertTrue(theirs.stderr().contains("ERROR: module is read only"), theirs.transcript());
        assertTrue(mine.stderr().contains("ERROR: module is read only"), mine.transcript());
        assertFalse(mine.stderr().contains("connection unexpectedly closed"), mine.transcript());
        assertEquals(theirs.exitCode(), mine.exitCode(), "stock:\n" + theirs.transcript() + "\nours:\n"
                + mine.transcript());
    }

    /**
     * rsync/main.c:get_local_name: {@code file rsync://host/mod/newdir/} creates newdir and puts the file in
     * it; into a missing {@code a/b/c/} the push ends with rsync's mkdir error and code 11, nothing written.
     */
    @ParameterizedTest
    @ValueSource(strings = {"newdir/", "a/b/c/"})
    void aFilePushedToANameWithATrailingSlashGoesInsideIt(String dest) throws IOException {
        Path file = Files.writeString(Files.createDirectories(tmp.resolve("src")).resolve("file"), "data\n");
        StockClient client = StockClient.of(StockRsync.requireOnPath()).timeout(Duration.ofSeconds(60));
        ProcessResult theirs = client.run("-av", file.toString(), "rsync://127.0.0.1:" + stock.port() + "/up/" + dest);
        ProcessResult mine = client.run("-av", file.toString(), ours.url("up/" + dest));
        String context = "stock:\n" + theirs.transcript() + "\nours:\n" + mine.transcript() + "\n" + ours.log();
        assertEquals(theirs.exitCode(), mine.exitCode(), context);
        if (theirs.exitCode() == 0) {
            assertEquals("data\n", Files.readString(stockUp.resolve(dest + "file")), context);
            assertEquals("data\n", Files.readString(ourUp.resolve(dest + "file")), context);
            assertTrue(mine.stdout().contains("created directory " + dest.replaceAll("/$", "")), context);
        } else {
            String said = "mkdir \"" + dest.replaceAll("/$", "") + "\" (in up) failed: No such file or directory (2)";
            assertTrue(theirs.stderr().contains(said), context);
            assertTrue(mine.stderr().contains(said), context);
            assertFalse(Files.exists(ourUp.resolve("a")), context);
        }
    }

    /**
     * rsync/main.c:do_server_sender: a pull with --remove-source-files from a read-only module is refused
     * (code 1) and removes nothing; from a writable one each file is removed once the client has it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"ro", "up"})
    void removeSourceFilesOnAPullIsRefusedReadOnlyAndHonouredWritable(String module) throws IOException {
        Files.writeString(ourUp.resolve("moved"), "m\n");
        Files.writeString(stockUp.resolve("moved"), "m\n");
        StockClient client = StockClient.of(StockRsync.requireOnPath()).timeout(Duration.ofSeconds(60));
        Path theirDest = tmp.resolve("their-dest");
        Path myDest = tmp.resolve("my-dest");
        ProcessResult theirs = client.run("-a", "--remove-source-files",
                "rsync://127.0.0.1:" + stock.port() + "/" + module + "/", theirDest + "/");
        ProcessResult mine = client.run("-a", "--remove-source-files", ours.url(module + "/"), myDest + "/");
        String context = "stock:\n" + theirs.transcript() + "\nours:\n" + mine.transcript() + "\n" + ours.log();
        assertEquals(theirs.exitCode(), mine.exitCode(), context);
        if (module.equals("ro")) {
            String refusal = "ERROR: --remove-source-files cannot be used with a read-only module";
            assertTrue(theirs.stderr().contains(refusal), context);
            assertTrue(mine.stderr().contains(refusal), context);
            assertTrue(Files.exists(ourUp.resolve("moved")), context);
        } else {
            assertFalse(Files.exists(stockUp.resolve("moved")), context);
            assertFalse(Files.exists(ourUp.resolve("moved")), context);
            assertEquals("m\n", Files.readString(myDest.resolve("moved")), context);
        }
    }

    /**
     * rsync/sender.c:successful_send removes a sent file through its parent opened beneath the module root
     * ({@code secure_sender_parent_fd}). A pull with --remove-source-files, paced by --bwlimit, has its source's
     * directory swapped for a symlink to a directory outside the module while the file travels, where a file of
     * the same size and mtime waits: neither daemon removes that file (ours used to: it unlinked the path as
     * it resolved, through the symlink), and the moved source is kept too. The client is told, and exits 23.
     */
    @ParameterizedTest
    @ValueSource(strings = {"stock", "ours"})
    void removeSourceFilesDoesNotFollowAParentSwappedForASymlink(String daemon) throws Exception {
        Path module = daemon.equals("ours") ? ourUp : stockUp;
        String url = daemon.equals("ours") ? ours.url("up/") : "rsync://127.0.0.1:" + stock.port() + "/up/";
        Path dir = Files.createDirectories(module.resolve("dir"));
        byte[] data = new byte[400 << 10];
        new java.util.Random(3).nextBytes(data);
        Files.write(dir.resolve("big"), data);
        Path victim = Files.write(Files.createDirectories(tmp.resolve("outside")).resolve("big"), data);
        Files.setLastModifiedTime(victim, Files.getLastModifiedTime(dir.resolve("big")));
        Path dest = tmp.resolve("dest");
        StockClient client = StockClient.of(StockRsync.requireOnPath()).timeout(Duration.ofSeconds(60));
        java.util.concurrent.CompletableFuture<ProcessResult> pull = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> client.run("-a", "--remove-source-files", "--bwlimit=100", url, dest + "/"));
        // the file is on its way once the client's temporary file for it is there
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!receiving(dest.resolve("dir")) && !pull.isDone() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Files.move(dir, module.resolve("dir.moved"));
        Files.createSymbolicLink(dir, victim.getParent());
        ProcessResult r = pull.get(60, java.util.concurrent.TimeUnit.SECONDS);
        String context = r.transcript() + "\n" + ours.log();
        assertTrue(Files.exists(victim), "the file outside the module was removed\n" + context);
        assertTrue(Files.exists(module.resolve("dir.moved/big")), context);
        assertEquals(-1, Files.mismatch(victim, dest.resolve("dir/big")), context);
        assertTrue(r.stderr().contains("sender failed to secure-open-parent dir/big: "), context);
        assertEquals(23, r.exitCode(), context);
    }

    private static boolean receiving(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (java.util.stream.Stream<Path> names = Files.list(dir)) {
            return names.anyMatch(p -> p.getFileName().toString().startsWith(".big."));
        }
    }

    /**
     * rsync/log.c:rwrite: a daemon sends a message's name as its raw bytes and the client escapes it when it
     * prints. A push of the file {@code caf\xe9} over a non-empty directory of that name is reported by the
     * stock client as {@code cannot delete non-empty directory: caf\#351}, once escaped, from either daemon;
     * the Java daemon used to send {@code caf\#351} escaped already, which the client showed as
     * {@code caf\#134#351}. Its log shows the name escaped once too.
     */
    @org.junit.jupiter.api.Test
    void aMessageNamingANonUtf8FileIsEscapedOnceByTheClient() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve(TestTrees.latin1("caf\u00e9")), "a file now\n");
        for (Path module : List.of(ourUp, stockUp)) {
            Path dir = Files.createDirectories(module.resolve(TestTrees.latin1("caf\u00e9")));
            Files.writeString(dir.resolve("kept"), "the directory is not empty\n");
        }
        StockClient client = StockClient.of(StockRsync.requireOnPath()).timeout(Duration.ofSeconds(60));
        ProcessResult theirs = client.run("-r", src + "/", "rsync://127.0.0.1:" + stock.port() + "/up/");
        ProcessResult mine = client.run("-r", src + "/", ours.url("up/"));
        String context = "stock:\n" + theirs.transcript() + "\nours:\n" + mine.transcript() + "\n" + ours.log();
        String said = "cannot delete non-empty directory: caf\\#351\n";
        assertTrue((theirs.stdout() + theirs.stderr()).contains(said), context);
        assertTrue((mine.stdout() + mine.stderr()).contains(said), context);
        assertFalse((mine.stdout() + mine.stderr()).contains("\\#134"), context);
        assertTrue(ours.log().contains(said), context);
        assertFalse(ours.log().contains("\\#134"), context);
    }

    /**
     * rsync/io.c:sleep_for_bwlimit: the client's --bwlimit is passed to the daemon, which paces what it
     * sends: 1 MiB at 256 KiB/s takes about 4 s from a stock daemon, and must from ours.
     */
    @org.junit.jupiter.api.Test
    void aPullingClientsBwlimitPacesTheDaemon() throws IOException {
        byte[] data = new byte[1 << 20];
        new java.util.Random(10).nextBytes(data);
        Files.write(ourUp.resolve("big"), data);
        Files.write(stockUp.resolve("big"), data);
        StockClient client = StockClient.of(StockRsync.requireOnPath()).timeout(Duration.ofSeconds(60));
        long t0 = System.nanoTime();
        client.run("-a", "--bwlimit=256", "rsync://127.0.0.1:" + stock.port() + "/up/big", tmp + "/their-big")
                .assertSuccess();
        long t1 = System.nanoTime();
        client.run("-a", "--bwlimit=256", ours.url("up/big"), tmp + "/my-big").assertSuccess();
        long t2 = System.nanoTime();
        double theirs = (t1 - t0) / 1e9;
        double mine = (t2 - t1) / 1e9;
        assertTrue(theirs > 2.5, "stock took " + theirs + " s");
        assertTrue(mine > 2.5, "ours took " + mine + " s, stock " + theirs + " s");
        assertTrue(java.util.Arrays.equals(data, Files.readAllBytes(tmp.resolve("my-big"))));
    }
}
