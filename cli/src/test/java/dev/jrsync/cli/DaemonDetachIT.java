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
    private static final Path LAUNCHER = Path.of("..", "bin", "jrsync").toAbsolutePath().normalize();

    private record Run(int code, String out, String err) {}

    private static Run launch(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = LAUNCHER.toString();
        System.arraycopy(args, 0, command, 1, args.length);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("JAVA_HOME");
        Process p = pb.start();
        p.getOutputStream().close();
        var out = Thread.ofVirtual().start(() -> drain(p.getInputStream()));
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("bin/jrsync --daemon did not return in 120 s");
        }
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        out.join(5000);
        return new Run(p.exitValue(), "", err);
    }

    private static void drain(java.io.InputStream in) {
        try (in) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException ignored) {
            // the process is gone
        }
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
