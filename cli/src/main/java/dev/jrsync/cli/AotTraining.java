package dev.jrsync.cli;

import dev.jrsync.daemon.DaemonLog;
import dev.jrsync.daemon.RsyncDaemon;
import dev.jrsync.daemon.RsyncdConfig;
import dev.jrsync.fs.ThreadCredentials;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The training run bin/jrsync records JDK 25's ahead-of-time cache with ({@code -XX:AOTCacheOutput}):
 * a local copy, a delta re-copy and a pull and push through the Java daemon on loopback, so the classes,
 * lambdas and Netty set-up a real run needs are loaded and linked before it starts. Without the cache
 * JVM start-up dominates small transfers.
 */
public final class AotTraining {
    private AotTraining() {}

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("jrsync-aot");
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        try {
            Path src = Files.createDirectories(work.resolve("src/sub"));
            byte[] data = new byte[1 << 20];
            new Random(1).nextBytes(data);
            Files.write(src.resolve("data.bin"), data);
            Files.writeString(src.resolve("note.txt"), "training\n");
            Path tree = src.getParent();
            Path copy = work.resolve("copy");
            run(quiet, "-a", "--stats", tree + "/", copy.toString());
            data[4096] ^= 1;
            Files.write(src.resolve("data.bin"), data);
            run(quiet, "-a", "--no-W", "--delete", "--stats", "-i", tree + "/", copy.toString());

            Path module = Files.createDirectories(work.resolve("module"));
            // as the user running the training: a root daemon's default, nobody, could not enter the private work dir
            String self = ThreadCredentials.euid() == 0 ? "uid = 0\ngid = 0\n" : "";
            RsyncdConfig config = RsyncdConfig.parse("use chroot = no\n" + self + "[m]\npath = " + module
                    + "\nread only = no\n", "training");
            try (RsyncDaemon daemon = new RsyncDaemon(config, new DaemonLog(null, null))) {
                int port = daemon.start(new InetSocketAddress("127.0.0.1", 0));
                String url = "rsync://127.0.0.1:" + port + "/m/";
                run(quiet, "-az", tree + "/", url);
                run(quiet, "-a", "--stats", url, work.resolve("pulled") + "/");
                run(quiet, "rsync://127.0.0.1:" + port + "/");
            }
        } finally {
            try (Stream<Path> walk = Files.walk(work)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Runs a command line; a failing step still trains what it loaded, so its exit code is not checked. */
    private static void run(PrintStream quiet, String... args) throws IOException {
        Main.run(args, quiet, quiet, Map.of());
    }
}
