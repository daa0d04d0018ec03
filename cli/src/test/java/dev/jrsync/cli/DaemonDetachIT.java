package dev.jrsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/jrsync --daemon} without {@code --no-detach}, as an administrator starts it: the command returns
 * once the background daemon serves, or with the reason and rsync's exit code when it cannot start.
 */
class DaemonDetachIT {
    private record Run(int code, String err) {}

    private static Run launch(String... args) throws IOException, InterruptedException {
        String[] r = LauncherIT.run(args);
        return new Run(Integer.parseInt(r[0]), r[2]);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    @Test
    void aDaemonThatCannotBindSaysSoBeforeReturning(@TempDir Path tmp) throws Exception {
        Path conf = Files.writeString(tmp.resolve("rsyncd.conf"),
                "log file = " + tmp.resolve("rsyncd.log") + "\n[m]\npath = " + tmp + "\n");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Run r = launch("--daemon", "--config=" + conf, "--port=" + taken.getLocalPort(), "--address=127.0.0.1");
            assertEquals(10, r.code(), r.err());
            assertTrue(r.err().contains("unable to bind any inbound sockets on port " + taken.getLocalPort()), r.err());
        }
    }

    @Test
    void aDetachedDaemonServesWhenTheCommandReturnsAndHoldsItsPidFile(@TempDir Path tmp) throws Exception {
        Path pid = tmp.resolve("rsyncd.pid");
        Path conf = Files.writeString(tmp.resolve("rsyncd.conf"), "pid file = " + pid + "\nlog file = "
                + tmp.resolve("rsyncd.log") + "\n[m]\npath = " + tmp + "\n");
        int port = freePort();
        Run first = launch("--daemon", "--config=" + conf, "--port=" + port, "--address=127.0.0.1");
        long daemonPid = -1;
        try {
            assertEquals(0, first.code(), first.err());
            daemonPid = Long.parseLong(Files.readString(pid).strip());
            try (Socket s = new Socket("127.0.0.1", port)) { // listening already: no retry needed
                s.setSoTimeout(10_000);
                String greeting = new String(s.getInputStream().readNBytes(9), StandardCharsets.US_ASCII);
                assertEquals("@RSYNCD: ", greeting);
            }
            Run second = launch("--daemon", "--config=" + conf, "--port=" + freePort(), "--address=127.0.0.1");
            assertEquals(11, second.code(), second.err());
            assertTrue(second.err().contains("failed to lock pid file " + pid), second.err());
            assertEquals(daemonPid, Long.parseLong(Files.readString(pid).strip()));
        } finally {
            if (daemonPid > 0) {
                ProcessHandle.of(daemonPid).ifPresent(h -> {
                    h.destroy();
                    h.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(t -> h).join();
                });
            }
        }
    }
}
