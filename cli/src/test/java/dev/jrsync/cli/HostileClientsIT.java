package dev.jrsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.client.DaemonAddress;
import dev.jrsync.client.DaemonClient;
import dev.jrsync.delta.SumHead;
import dev.jrsync.flist.FileEntry;
import dev.jrsync.flist.FileList;
import dev.jrsync.flist.FileListOptions;
import dev.jrsync.options.OptionParser;
import dev.jrsync.options.Options;
import dev.jrsync.options.ServerArgs;
import dev.jrsync.session.Connection;
import dev.jrsync.session.FileListReceiver;
import dev.jrsync.session.ItemFlags;
import dev.jrsync.session.ProtocolSetup;
import dev.jrsync.session.SessionLog;
import dev.jrsync.session.SessionParams;
import dev.jrsync.session.TransferStats;
import dev.jrsync.testing.ProcessResult;
import dev.jrsync.testing.StockClient;
import dev.jrsync.testing.StockRsync;
import dev.jrsync.testing.TestTrees;
import dev.jrsync.testing.TreeAssert;
import dev.jrsync.wire.ProtocolOutput;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thirty anonymous clients each reach the sender's sum-head stage of a pull, announce the largest signature
 * the daemon accepts, send a few sums and go idle. The daemon, run as a user runs it ({@code bin/jrsync
 * --daemon --no-detach}), must go on serving a stock client's push and pull, with its peak RSS (VmHWM)
 * under 1 GiB. Before sums were read as they arrive, each such client cost the daemon 256 MiB at once.
 */
class HostileClientsIT {
    private static final Path LAUNCHER = Path.of("..", "bin", "jrsync").toAbsolutePath().normalize();
    private static final int HOSTILE_CLIENTS = 30;
    private static final int SUMS_SENT = 4;
    private static final long RSS_LIMIT = 1L << 30;

    @Test
    void thirtyIdleClientsWithMaximalSumHeadersLeaveTheDaemonServingAndSmall(@TempDir Path tmp) throws Exception {
        StockRsync rsync = StockRsync.requireOnPath();
        Path module = Files.createDirectories(tmp.resolve("module"));
        TestTrees.buildVaried(module.resolve("pub"), TestTrees.Omit.SPECIALS);
        Files.createDirectories(module.resolve("up"));
        Path upload = tmp.resolve("upload");
        TestTrees.buildVaried(upload, TestTrees.Omit.SPECIALS, TestTrees.Omit.LARGE_FILES);
        int port = freePort();
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
        Process daemon = pb.start();
        List<Connection> hostile = new ArrayList<>();
        List<DaemonClient.Session> sessions = new ArrayList<>();
        try {
            awaitListening(port, daemon, tmp);
            for (int i = 0; i < HOSTILE_CLIENTS; i++) {
                DaemonClient.Session s = reachSumHead(port);
                sessions.add(s);
                hostile.add(s.connection());
            }

            StockClient client = StockClient.of(rsync).timeout(Duration.ofSeconds(60));
            ProcessResult push = client.run("-a", upload + "/", "rsync://127.0.0.1:" + port + "/mod/up/");
            assertEquals(0, push.exitCode(), "push beside " + HOSTILE_CLIENTS + " hostile clients\n" + push.transcript()
                    + "\n" + Files.readString(tmp.resolve("daemon.out")));
            TreeAssert.assertIdentical(upload, module.resolve("up"));
            Path pulled = tmp.resolve("pulled");
            ProcessResult pull = client.run("-a", "rsync://127.0.0.1:" + port + "/mod/pub/", pulled + "/");
            assertEquals(0, pull.exitCode(), "pull beside " + HOSTILE_CLIENTS + " hostile clients\n" + pull.transcript());
            TreeAssert.assertIdentical(module.resolve("pub"), pulled);

            assertTrue(daemon.isAlive(), "the daemon died:\n" + Files.readString(tmp.resolve("daemon.out")));
            long peak = vmHwmBytes(daemon.pid());
            System.out.println("HostileClientsIT: daemon peak RSS (VmHWM) with " + HOSTILE_CLIENTS
                    + " hostile clients: " + (peak >> 20) + " MiB");
            assertTrue(peak < RSS_LIMIT, "daemon peak RSS " + (peak >> 20) + " MiB, over 1 GiB\n"
                    + Files.readString(tmp.resolve("daemon.out")));
        } finally {
            for (DaemonClient.Session s : sessions) {
                s.close();
            }
            daemon.destroy();
            if (!daemon.waitFor(20, TimeUnit.SECONDS)) {
                daemon.destroyForcibly();
            }
        }
    }

    /**
     * A pulling client that asks for the first regular file and announces the largest signature the daemon
     * accepts ({@link SumHead#MAX_SIGNATURE_BYTES}), then sends only {@link #SUMS_SENT} of its sums.
     */
    private static DaemonClient.Session reachSumHead(int port) {
        Options options = OptionParser.parse("-rl", "rsync://127.0.0.1:" + port + "/mod/pub/");
        DaemonAddress src = DaemonAddress.parse("rsync://127.0.0.1:" + port + "/mod/pub/", port);
        DaemonClient.Session session = DaemonClient.open(src, options,
                protocol -> ServerArgs.forDaemon(options, true, protocol, List.of(src.remoteArg())),
                SessionLog.of(System.out, System.err), Map.of());
        Connection conn = session.connection();
        int protocol = session.protocol();
        SessionParams params = ProtocolSetup.client(conn, options, protocol);
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

    private static void awaitListening(int port, Process daemon, Path tmp) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!daemon.isAlive()) {
                throw new AssertionError("the daemon exited with " + daemon.exitValue() + ":\n"
                        + Files.readString(tmp.resolve("daemon.out")));
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
