package dev.jrsync.daemon;

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

class DaemonMainTest {
    @TempDir
    Path tmp;

    @Test
    void missingConfigIsAnError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Options o = OptionParser.parse("--daemon", "--no-detach", "--config=" + tmp.resolve("none.conf"));
        assertEquals(1, DaemonMain.run(o, System.out, new PrintStream(err, true, StandardCharsets.UTF_8)));
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
                "pid file = " + pid + "\n[m]\npath = " + tmp + "\ncomment = from DaemonMain\n");
        Options o = OptionParser.parse("--daemon", "--no-detach", "--config=" + conf, "--port=" + port,
                "--address=127.0.0.1", "--log-file=" + log);
        Thread.ofVirtual().start(() -> DaemonMain.run(o, System.out, System.err));
        awaitListening(port);
        ProcessResult res = StockClient.of(StockRsync.requireOnPath()).run("rsync://127.0.0.1:" + port + "/").assertSuccess();
        assertTrue(res.stdout().contains("from DaemonMain"), res.transcript());
        assertEquals(Long.toString(ProcessHandle.current().pid()), Files.readString(pid).strip());
        assertTrue(Files.readString(log).contains("module-list request from localhost (127.0.0.1)"), "reverse lookup is on by default");
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
