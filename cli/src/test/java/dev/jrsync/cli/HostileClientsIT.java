package dev.jrsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.client.Credentials;
import dev.jrsync.client.DaemonAddress;
import dev.jrsync.client.DaemonClient;
import dev.jrsync.core.SessionLog;
import dev.jrsync.delta.SumHead;
import dev.jrsync.flist.FileEntry;
import dev.jrsync.flist.FileList;
import dev.jrsync.flist.FileListEncoder;
import dev.jrsync.flist.FileListOptions;
import dev.jrsync.flist.IdNames;
import dev.jrsync.options.OptionParser;
import dev.jrsync.options.Options;
import dev.jrsync.options.ServerArgs;
import dev.jrsync.session.Connection;
import dev.jrsync.session.FileListReceiver;
import dev.jrsync.session.ItemFlags;
import dev.jrsync.session.ProtocolSetup;
import dev.jrsync.session.SessionParams;
import dev.jrsync.session.TransferStats;
import dev.jrsync.testing.ProcessResult;
import dev.jrsync.testing.StockClient;
import dev.jrsync.testing.StockRsync;
import dev.jrsync.testing.TestTrees;
import dev.jrsync.testing.TreeAssert;
import dev.jrsync.wire.ProtocolOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile clients against the daemon as a user runs it ({@code bin/jrsync --daemon --no-detach}, its own
 * process, so its peak RSS can be read from {@code /proc/PID/status}). Thirty anonymous clients each reach
 * the sender's sum-head stage of a pull, announce the largest signature the daemon accepts, send a few sums
 * and go idle: the daemon must go on serving a stock client's push and pull, with its peak RSS (VmHWM) under
 * 1 GiB. Before sums were read as they arrive, each such client cost the daemon 256 MiB at once.
 */
class HostileClientsIT {
    private static final Path LAUNCHER = Path.of("..", "bin", "jrsync").toAbsolutePath().normalize();
    private static final int HOSTILE_CLIENTS = 30;
    private static final int SUMS_SENT = 4;
    private static final long RSS_LIMIT = 1L << 30;

    @TempDir
    Path tmp;
    Path module;
    int port;
    Process daemon;

    /** The daemon as a user runs it, in a process of its own, serving one writable module. */
    @BeforeEach
    void startDaemon() throws Exception {
        module = Files.createDirectories(tmp.resolve("module"));
        TestTrees.buildVaried(module.resolve("pub"), TestTrees.Omit.SPECIALS);
        Files.createDirectories(module.resolve("up"));
        port = freePort();
        Path conf = Files.writeString(tmp.resolve("rsyncd.conf"), """
                [mod]
                    path = %s
                    read only = false
                    use chroot = false
                    munge symlinks = false
                    uid = root
                    gid = root
                """.formatted(module));
        ProcessBuilder pb = new ProcessBuilder(LAUNCHER.toString(), "--daemon", "--no-detach", "--config=" + conf,
                "--port=" + port, "--log-file=" + tmp.resolve("rsyncd.log"))
                .redirectErrorStream(true).redirectOutput(tmp.resolve("daemon.out").toFile());
        pb.environment().remove("JAVA_HOME");
        daemon = pb.start();
        awaitListening();
    }

    @AfterEach
    void stopDaemon() throws InterruptedException {
        daemon.destroy();
        if (!daemon.waitFor(20, TimeUnit.SECONDS)) {
            daemon.destroyForcibly();
        }
    }

    @Test
    void thirtyIdleClientsWithMaximalSumHeadersLeaveTheDaemonServingAndSmall() throws Exception {
        StockRsync rsync = StockRsync.requireOnPath();
        Path upload = tmp.resolve("upload");
        TestTrees.buildVaried(upload, TestTrees.Omit.SPECIALS, TestTrees.Omit.LARGE_FILES);
        List<DaemonClient.Session> hostile = new ArrayList<>();
        try {
            for (int i = 0; i < HOSTILE_CLIENTS; i++) {
                hostile.add(reachSumHead());
            }
            StockClient client = StockClient.of(rsync).timeout(Duration.ofSeconds(60));
            ProcessResult push = client.run("-a", upload + "/", url("mod/up/"));
            assertEquals(0, push.exitCode(), "push beside " + HOSTILE_CLIENTS + " hostile clients\n" + push.transcript()
                    + "\n" + daemonOutput());
            TreeAssert.assertIdentical(upload, module.resolve("up"));
            Path pulled = tmp.resolve("pulled");
            ProcessResult pull = client.run("-a", url("mod/pub/"), pulled + "/");
            assertEquals(0, pull.exitCode(), "pull beside " + HOSTILE_CLIENTS + " hostile clients\n" + pull.transcript());
            TreeAssert.assertIdentical(module.resolve("pub"), pulled);
            assertPeakRssUnder1GiB(HOSTILE_CLIENTS + " hostile clients with maximal sum headers");
        } finally {
            for (DaemonClient.Session s : hostile) {
                s.close();
            }
        }
    }

    /**
     * A push whose file list would be over 2 GB (600,000 names of 4,000 bytes, each in its own directory) ends with rsync's out-of-memory
     * error when it reaches the daemon's budget, long before the heap fills. It cost 3.6 GiB before.
     */
    @Test
    void aFileListOverTheDaemonsBudgetIsRefusedWithRsyncsErrorAndTheDaemonStaysSmall() throws Exception {
        List<String> errors = new ArrayList<>();
        // one whole list (--no-i-r): under incremental recursion a top list holds no nested names
        Options options = OptionParser.parse("-r", "--no-i-r", "src/", url("mod/up/"));
        try (DaemonClient.Session session = openPush(options, errors)) {
            Connection conn = session.connection();
            FileListEncoder encoder = encoder(options, startSending(session, options));
            String dir = ("d".repeat(200) + "/").repeat(19);
            // read while writing, as a client does: the daemon's error is taken off the socket as it comes, before
            // the daemon hangs up on names it will not read (a reset would drop it unread)
            Thread reader = Thread.ofVirtual().start(() -> readToEnd(conn));
            int sent = 0;
            try {
                for (; sent < 600_000; sent++) {
                    // each name in a directory of its own: siblings would share their directory's bytes
                    String name = dir + String.format("%0100d/f", sent);
                    encoder.writeEntry(conn.out(), FileEntry.builder(name, 0100644).mtime(1, 0).build());
                }
                conn.out().flush();
            } catch (UncheckedIOException refusedAndClosed) {
                // the daemon hung up after its error
            }
            assertTrue(reader.join(Duration.ofSeconds(60)), "the daemon's connection did not end");
            assertTrue(sent < 600_000, "the daemon took the whole list");
            assertTrue(errors.stream().anyMatch(e -> e.startsWith("[Receiver] out of memory: file list would need")
                    && e.contains("over the daemon's memory budget of")), errors::toString);
        }
        assertPeakRssUnder1GiB("a push of a 2.4 GB file list");
        ProcessResult ok = StockClient.of(StockRsync.requireOnPath()).timeout(Duration.ofSeconds(60))
                .run("-a", url("mod/pub/"), tmp.resolve("pulled") + "/");
        assertEquals(0, ok.exitCode(), ok.transcript());
    }

    /** A pushing client's session to mod/up/, whose error messages land in {@code errors}. */
    private DaemonClient.Session openPush(Options options, List<String> errors) {
        DaemonAddress dest = DaemonAddress.parse(url("mod/up/"), port);
        return DaemonClient.open(dest, options,
                protocol -> ServerArgs.forDaemon(options, false, protocol, List.of(dest.remoteArg())),
                collecting(errors), Credentials.NONE);
    }

    /** Negotiates as the sending client and starts multiplexing, as a push does before its file list. */
    private static SessionParams startSending(DaemonClient.Session session, Options options) {
        SessionParams params = ProtocolSetup.client(session.connection(), options, session.protocol(), false);
        session.connection().startClientMultiplex(session.protocol());
        return params;
    }

    private static FileListEncoder encoder(Options options, SessionParams params) {
        return new FileListEncoder(params.fileListOptions(options, false, FileListOptions.DEFAULT_MAX_ENTRIES),
                IdNames.system());
    }

    /** Reads what the daemon still sends, up to its MSG_ERROR_EXIT or the end of the stream. */
    private static void readToEnd(Connection conn) {
        try {
            while (true) {
                conn.in().readInt();
            }
        } catch (RuntimeException endOfSession) {
            // the end of what arrived
        }
    }

    private String url(String path) {
        return "rsync://127.0.0.1:" + port + "/" + path;
    }

    private String daemonOutput() throws IOException {
        return Files.readString(tmp.resolve("daemon.out"));
    }

    private void assertPeakRssUnder1GiB(String after) throws IOException {
        assertTrue(daemon.isAlive(), "the daemon died:\n" + daemonOutput());
        long peak = vmHwmBytes(daemon.pid());
        System.out.println("HostileClientsIT: daemon peak RSS (VmHWM) after " + after + ": " + (peak >> 20) + " MiB");
        assertTrue(peak < RSS_LIMIT, "daemon peak RSS " + (peak >> 20) + " MiB after " + after + ", over 1 GiB\n"
                + daemonOutput());
    }

    /**
     * The same attack under incremental recursion: a top list of 20 directories, then each one's own list of
     * 400,000 names of 250 bytes (each under the 500,000-entry cap; about 2.7 GB in all), sent without waiting for
     * the daemon. Each list is charged to the budget as it arrives and while it is held.
     */
    private static final int DIRS = 20;
    private static final int PER_DIR = 400_000;

    @Test
    void anIncrementalSubListOverTheDaemonsBudgetIsRefused() throws Exception {
        List<String> errors = new ArrayList<>();
        Options options = OptionParser.parse("-r", "src/", url("mod/up/"));
        try (DaemonClient.Session session = openPush(options, errors)) {
            Connection conn = session.connection();
            SessionParams params = startSending(session, options);
            assertTrue(params.incRecurse(), "the daemon grants incremental recursion to a push");
            FileListEncoder encoder = encoder(options, params);
            int sent = 0;
            try {
                encoder.writeEntry(conn.out(), FileEntry.builder(".", 040755).mtime(1, 0).build());
                for (int d = 0; d < DIRS; d++) {
                    encoder.writeEntry(conn.out(), FileEntry.builder("d" + d, 040755).mtime(1, 0).build());
                }
                encoder.writeEnd(conn.out(), 0);
                String stem = "n".repeat(240);
                for (int d = 0; d < DIRS; d++) {
                    // rsync numbers the directories of all lists from "." = 0 (NDX_FLIST_OFFSET - dir_ndx)
                    conn.out().writeNdx(dev.jrsync.wire.NdxCodec.NDX_FLIST_OFFSET - (d + 1));
                    for (int i = 0; i < PER_DIR; i++, sent++) {
                        encoder.writeEntry(conn.out(), FileEntry.builder("d" + d + "/" + stem + String.format("%010d", i),
                                0100644).mtime(1, 0).build());
                    }
                    encoder.writeEnd(conn.out(), 0);
                }
                conn.out().flush();
            } catch (UncheckedIOException refusedAndClosed) {
                // the daemon hung up after its error: read what it said
            }
            readToEnd(conn);
            assertTrue(sent < DIRS * PER_DIR, "the daemon took every list");
            // The client reads nothing while it sends, so the daemon's error may not reach it; its log has it,
            // once the session's roles have stopped (bounded: 10 s)
            String log = "";
            for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); System.nanoTime() < end
                    && !log.contains("over the daemon's memory budget of"); Thread.sleep(100)) {
                log = Files.readString(tmp.resolve("rsyncd.log"));
            }
            String logged = log;
            int took = sent;
            assertTrue(logged.contains("out of memory") && logged.contains("over the daemon's memory budget of"),
                    () -> took + " entries sent; client got " + errors + "\nlog:\n" + logged);
        }
        assertPeakRssUnder1GiB("an incremental push of 2.7 GB of sub-lists");
    }

    private static SessionLog collecting(List<String> errors) {
        return new SessionLog() {
            @Override
            public void info(String line) {
            }

            @Override
            public void error(String line) {
                errors.add(line);
            }
        };
    }

    /**
     * A pulling client that asks for the first regular file and announces the largest signature the daemon
     * accepts ({@link SumHead#MAX_SIGNATURE_BYTES}), then sends only {@link #SUMS_SENT} of its sums.
     */
    private DaemonClient.Session reachSumHead() {
        Options options = OptionParser.parse("-rl", url("mod/pub/"));
        DaemonAddress src = DaemonAddress.parse(url("mod/pub/"), port);
        DaemonClient.Session session = DaemonClient.open(src, options,
                protocol -> ServerArgs.forDaemon(options, true, protocol, List.of(src.remoteArg())),
                SessionLog.of(System.out, System.err), Credentials.NONE);
        Connection conn = session.connection();
        int protocol = session.protocol();
        SessionParams params = ProtocolSetup.client(conn, options, protocol, true);
        conn.startClientMultiplex(protocol);
        ProtocolOutput out = conn.out();
        out.writeInt(0); // an empty filter list
        out.flush();
        List<FileEntry> entries = FileListReceiver.recvFileList(conn,
                params.fileListOptions(options, false, FileListOptions.DEFAULT_MAX_ENTRIES), new TransferStats());
        FileList flist = FileList.forReceiver(entries, protocol);
        int ndx = -1;
        for (int i = 0; i < flist.size() && ndx < 0; i++) {
            if (flist.get(i).isRegular() && flist.get(i).size() > 0) {
                ndx = i;
            }
        }
        assertTrue(ndx >= 0, "no regular file in the pulled list");
        int s2 = params.strongChecksum().digestLength();
        int count = (int) (SumHead.MAX_SIGNATURE_BYTES / (4 + s2));
        out.writeNdx(ndx);
        out.writeShort(ItemFlags.TRANSFER);
        new SumHead(count, 700, s2, 0).write(out, protocol);
        for (int i = 0; i < SUMS_SENT; i++) {
            out.writeInt(i);
            out.write(new byte[s2], 0, s2);
        }
        out.flush();
        return session;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private void awaitListening() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!daemon.isAlive()) {
                throw new AssertionError("the daemon exited with " + daemon.exitValue() + ":\n" + daemonOutput());
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the daemon did not listen on port " + port + " within 90 s");
    }

    /** The process's peak resident set size, from {@code /proc/PID/status}. */
    private static long vmHwmBytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new AssertionError("no VmHWM in /proc/" + pid + "/status");
    }
}
