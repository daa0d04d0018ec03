package dev.jrsync.bench.sidebyside;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A daemon on a free loopback port serving one writable module: stock rsync's or jrsync's. */
final class Daemon implements AutoCloseable {
    static final String HOST = "127.0.0.1";
    private final Process process;
    private final int port;

    private Daemon(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts {@code launcher} (the rsync or jrsync command) as a daemon with module "bench" at {@code path}. */
    static Daemon start(List<String> launcher, Path workDir, Path path) throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName(HOST))) {
            port = s.getLocalPort();
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        Path conf = workDir.resolve("rsyncd.conf");
        Files.writeString(conf, "use chroot = no\n" + (root ? "uid = root\ngid = root\n" : "")
                + "log file = " + workDir.resolve("daemon.log") + "\n"
                + "[bench]\npath = " + path + "\nread only = no\nmunge symlinks = no\n");
        List<String> cmd = new ArrayList<>(launcher);
        cmd.addAll(List.of("--daemon", "--no-detach", "--config=" + conf, "--port=" + port, "--address=" + HOST));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(workDir.resolve("daemon.out").toFile()).start();
        Daemon d = new Daemon(p, port);
        d.awaitGreeting();
        return d;
    }

    String url(String sub) {
        return "rsync://" + HOST + ":" + port + "/bench/" + sub;
    }

    long pid() {
        return process.pid();
    }

    private void awaitGreeting() throws IOException, InterruptedException {
        for (int i = 0; i < 200; i++) {
            if (!process.isAlive()) {
                throw new IOException("daemon exited with " + process.exitValue());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(HOST, port), 200);
                s.setSoTimeout(2000);
                InputStream in = s.getInputStream();
                byte[] b = in.readNBytes(8);
                if (new String(b, StandardCharsets.US_ASCII).startsWith("@RSYNCD:")) {
                    return;
                }
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IOException("daemon on port " + port + " did not greet within 10 s");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
