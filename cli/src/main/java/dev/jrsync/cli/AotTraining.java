package dev.jrsync.cli;

import dev.jrsync.api.daemon.Daemon;
import dev.jrsync.api.daemon.DaemonSpec;
import dev.jrsync.api.daemon.ModuleSpec;
import dev.jrsync.fs.ThreadCredentials;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The training runs bin/jrsync records JDK 25's ahead-of-time caches with ({@code -XX:AOTCacheOutput}), one
 * cache per kind of job, named by the first argument:
 * <ul>
 *   <li>{@code brief}: a command that transfers nothing ({@code --version}, {@code --help}, a usage error);
 *   <li>{@code local}: a local copy and a delta re-copy;
 *   <li>{@code remote}: a push, a pull and a module list through a daemon on loopback;
 *   <li>{@code all}: every one of these, for the daemon and the live mirror.
 * </ul>
 * A JVM loads every class its cache holds when it starts, so a cache trained on more than the job needs
 * costs the job start-up time and memory: {@code --version} takes 0.15 CPU-s under its own cache and
 * 0.26 under the full one (benchmarks/STARTUP.md).
 */
public final class AotTraining {
    private AotTraining() {}

    public static void main(String[] args) throws Exception {
        String kind = args.length > 0 ? args[0] : "all";
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        switch (kind) {
            case "brief" -> brief(quiet);
            case "local" -> inTempDir(work -> local(quiet, work));
            case "remote" -> inTempDir(work -> remote(quiet, work));
            case "all" -> {
                brief(quiet);
                inTempDir(work -> {
                    local(quiet, work);
                    remote(quiet, work);
                });
            }
            default -> throw new IllegalArgumentException("unknown training " + kind);
        }
        // Every run ends in System.exit, which asks the JDK's logging for the java.lang.Runtime logger
        // (Shutdown.logRuntimeExit): 65 classes and a service lookup, none of them cached unless the training
        // asks too. Training ends without System.exit, so ask here.
        System.getLogger("java.lang.Runtime").isLoggable(System.Logger.Level.DEBUG);
    }

    private static void brief(PrintStream quiet) throws IOException {
        run(quiet, "--version");
        run(quiet, "--help");
        run(quiet);
    }

    private static void local(PrintStream quiet, Path work) throws IOException {
        Path tree = tree(work);
        Path copy = work.resolve("copy");
        run(quiet, "-a", "--stats", tree + "/", copy.toString());
        run(quiet, "-a", "--stats", tree + "/", copy.toString()); // nothing to do: the no-op's path
        Path data = tree.resolve("sub/data.bin");
        byte[] bytes = Files.readAllBytes(data);
        bytes[4096] ^= 1;
        Files.write(data, bytes);
        run(quiet, "-a", "--no-W", "--delete", "--stats", "-i", tree + "/", copy.toString());
    }

    private static void remote(PrintStream quiet, Path work) throws IOException, InterruptedException {
        Path tree = tree(work);
        Path module = Files.createDirectories(work.resolve("module"));
        // as the user running the training: a root daemon's default, nobody, could not enter the private work dir
        DaemonSpec spec = DaemonSpec.of(ModuleSpec.of("m", module).readOnly(false)).with("use chroot", "no");
        if (ThreadCredentials.euid() == 0) {
            spec = spec.with("uid", "0").with("gid", "0");
        }
        try (Daemon daemon = Daemon.of(spec)) {
            int port = daemon.listen(new InetSocketAddress("127.0.0.1", 0));
            String url = "rsync://127.0.0.1:" + port + "/m/";
            run(quiet, "-az", tree + "/", url);
            run(quiet, "-a", tree + "/", url); // nothing to do: the no-op's path
            run(quiet, "-a", "--stats", url, work.resolve("pulled") + "/");
            run(quiet, "rsync://127.0.0.1:" + port + "/");
        }
        // the in-process ssh client, as far as it goes with no server (a port just closed): its set-up, ~/.ssh's
        // files, the connection refused
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        run(quiet, "-a", "-e", "ssh -p " + closed, tree + "/", "127.0.0.1:" + work.resolve("ssh"));
    }

    /** A small tree under {@code work} (made once): a 1 MiB file and a short one in a subdirectory. */
    private static Path tree(Path work) throws IOException {
        Path tree = work.resolve("src");
        Path sub = tree.resolve("sub");
        if (!Files.isDirectory(sub)) {
            Files.createDirectories(sub);
            byte[] data = new byte[1 << 20];
            new Random(1).nextBytes(data);
            Files.write(sub.resolve("data.bin"), data);
            Files.writeString(sub.resolve("note.txt"), "training\n");
        }
        return tree;
    }

    private interface Training {
        void run(Path work) throws IOException, InterruptedException;
    }

    private static void inTempDir(Training training) throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("jrsync-aot");
        try {
            training.run(work);
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
