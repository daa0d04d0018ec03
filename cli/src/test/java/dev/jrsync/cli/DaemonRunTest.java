package dev.jrsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.options.OptionParser;
import dev.jrsync.options.Options;
import dev.jrsync.testing.ProcessResult;
import dev.jrsync.testing.StockClient;
import dev.jrsync.testing.StockRsync;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonRunTest {
    @TempDir
    Path tmp;

    @Test
    void missingConfigIsAnError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Options o = OptionParser.parse("--daemon", "--no-detach", "--config=" + tmp.resolve("none.conf"));
        assertEquals(1, DaemonRun.run(o, System.out, new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unable to open configuration file"));
    }

    @Test
    void noDetachServesUntilTheJvmEndsAndWritesThePidFile() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path pid = tmp.resolve("rsyncd.pid");
        Path log = tmp.resolve("rsyncd.log");
        Path conf = Files.writeString(tmp.resolve("rsyncd.conf"),
                "pid file = " + pid + "\n[m]\npath = " + tmp + "\ncomment = from DaemonRun\n");
        Options o = OptionParser.parse("--daemon", "--no-detach", "--config=" + conf, "--port=" + port,
                "--address=127.0.0.1", "--log-file=" + log);
        Thread.ofVirtual().start(() -> DaemonRun.run(o, System.out, System.err));
        awaitListening(port);
        ProcessResult res = StockClient.of(StockRsync.requireOnPath()).run("rsync://127.0.0.1:" + port + "/").assertSuccess();
        assertTrue(res.stdout().contains("from DaemonRun"), res.transcript());
        assertEquals(Long.toString(ProcessHandle.current().pid()), Files.readString(pid).strip());
        assertTrue(Files.readString(log).contains("module-list request from localhost (127.0.0.1)"), "reverse lookup is on by default");
    }

    /** rsync/socket.c:open_socket_in: a port in use ends the daemon with rsync's words and code 10. */
    @Test
    void aPortInUseIsRefusedWithRsyncsMessageAndCode10() throws Exception {
        Path log = tmp.resolve("rsyncd.log");
        Path conf = Files.writeString(tmp.resolve("rsyncd.conf"), "[m]\npath = " + tmp + "\n");
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Options o = OptionParser.parse("--daemon", "--no-detach", "--config=" + conf, "--port=" + port,
                    "--address=127.0.0.1", "--log-file=" + log);
            int code = runExpectingExit(o, err);
            String said = err.toString(StandardCharsets.UTF_8);
            assertEquals(10, code, said);
            assertTrue(said.contains("unable to bind any inbound sockets on port " + port), said);
            assertTrue(Files.readString(log).contains("unable to bind any inbound sockets on port " + port));
        }
    }

    /**
     * rsync/clientserver.c:create_pid_file locks the pid file: a stock daemon given our daemon's pid file
     * refuses to start, and we refuse to start on a stock daemon's.
     */
    @Test
    void thePidFileIsLockedAgainstASecondDaemon() throws Exception {
        StockRsync stock = StockRsync.requireOnPath();
        int port = freePort();
        Path pid = tmp.resolve("rsyncd.pid");
        Path conf = Files.writeString(tmp.resolve("rsyncd.conf"),
                "pid file = " + pid + "\nuse chroot = no\n[m]\npath = " + tmp + "\n");
        Options o = OptionParser.parse("--daemon", "--no-detach", "--config=" + conf, "--port=" + port,
                "--address=127.0.0.1", "--log-file=" + tmp.resolve("ours.log"));
        Thread.ofVirtual().start(() -> DaemonRun.run(o, System.out, System.err));
        awaitListening(port);
        ProcessResult second = StockClient.of(stock).timeout(java.time.Duration.ofSeconds(20))
                .run("--daemon", "--no-detach", "--config=" + conf, "--port=" + freePort(), "--address=127.0.0.1",
                        "--log-file=" + tmp.resolve("stock.log"));
        assertEquals(11, second.exitCode(), second.transcript());
        assertTrue(second.stderr().contains("failed to lock pid file " + pid), second.transcript());
        assertEquals(Long.toString(ProcessHandle.current().pid()), Files.readString(pid).strip());
    }

    @Test
    void weRefuseAPidFileAStockDaemonHolds() throws Exception {
        StockRsync stock = StockRsync.requireOnPath();
        Path pid = tmp.resolve("stock.pid");
        Path conf = Files.writeString(tmp.resolve("rsyncd.conf"),
                "pid file = " + pid + "\nuse chroot = no\n[m]\npath = " + tmp + "\n");
        int stockPort = freePort();
        Process held = new ProcessBuilder(stock.binary().toString(), "--daemon", "--no-detach", "--config=" + conf,
                "--port=" + stockPort, "--address=127.0.0.1", "--log-file=" + tmp.resolve("stock.log"))
                .redirectErrorStream(true).redirectOutput(tmp.resolve("stock.out").toFile()).start();
        try {
            awaitListening(stockPort);
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Options o = OptionParser.parse("--daemon", "--no-detach", "--config=" + conf, "--port=" + freePort(),
                    "--address=127.0.0.1", "--log-file=" + tmp.resolve("ours.log"));
            int code = runExpectingExit(o, err);
            String said = err.toString(StandardCharsets.UTF_8);
            assertEquals(11, code, said);
            assertTrue(said.contains("failed to lock pid file " + pid + ": Resource temporarily unavailable"), said);
            assertEquals(Long.toString(held.pid()), Files.readString(pid).strip());
        } finally {
            held.destroy();
            held.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    /** Runs a daemon that must not start: bounded, so a daemon that serves anyway fails the test. */
    private static int runExpectingExit(Options o, ByteArrayOutputStream err) throws Exception {
        var result = new java.util.concurrent.CompletableFuture<Integer>();
        Thread.ofVirtual().start(() -> {
            try {
                result.complete(DaemonRun.run(o, System.out, new PrintStream(err, true, StandardCharsets.UTF_8)));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            return result.get(20, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the daemon started and serves; expected a refusal. It said: "
                    + err.toString(StandardCharsets.UTF_8));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private static void awaitListening(int port) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("daemon did not listen on " + port);
    }
}
