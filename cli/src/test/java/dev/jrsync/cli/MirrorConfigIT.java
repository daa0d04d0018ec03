package dev.jrsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.options.OptionParser;
import dev.jrsync.testing.Peers;
import dev.jrsync.testing.StockDaemon;
import dev.jrsync.testing.StockRsync;
import dev.jrsync.testing.TreeAssert;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jrsync --watch --config=FILE} as systemd runs it (dist/jrsync-mirror@.service): the launcher as a child
 * process with {@code $NOTIFY_SOCKET} naming a datagram socket that Python's socket module reads, as systemd's
 * would. It says READY=1 once its syncs run; SIGHUP re-reads the file, restarts only the changed sync and starts
 * the new one, leaving the unchanged one without a second full sync; SIGTERM stops everything with STOPPING=1 and
 * leaves no child process and no temporary file.
 */
class MirrorConfigIT {
    private static final Path LAUNCHER = Path.of("..", "bin", "jrsync").toAbsolutePath().normalize();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String RECEIVER = """
            import socket, sys
            s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            s.bind(sys.argv[1])
            print("bound", flush=True)
            while True:
                print(s.recv(4096).decode().replace("\\n", " "), flush=True)
            """;

    @TempDir
    Path tmp;

    @Test
    void aConfigsSyncsRunReloadOnSighupAndStopCleanlyUnderSystemdsNotifyProtocol() throws Exception {
        Peers.require(python3(), () -> "python3 (the notify socket's reader) is not installed");
        Path one = tree("one-src", "a.txt");
        Path two = tree("two-src", "b.txt");
        Path three = tree("three-src", "c.txt");
        Path oneDst = tmp.resolve("one-dst");
        Path threeDst = tmp.resolve("three-dst");
        Path module = Files.createDirectories(tmp.resolve("module"));
        try (StockDaemon daemon = StockDaemon.builder(StockRsync.requireOnPath(), tmp.resolve("daemon")).port(0)
                .module(StockDaemon.Module.of("mod", module)).start()) {
            Path conf = tmp.resolve("mirror.conf");
            String common = "# every sync\noptions = -a --delete -v\n\n[one]\nsource = " + one + "/\ntarget = " + oneDst
                    + "/\n\n[two]\nsource = " + two + "/\ntarget = " + daemon.url("mod") + "\n";
            Files.writeString(conf, common);

            Path socket = tmp.resolve("notify");
            Process reader = new ProcessBuilder("python3", "-c", RECEIVER, socket.toString()).start();
            List<String> notes = collect(reader);
            Path out = tmp.resolve("out.txt");
            Process mirror = null;
            try {
                await(() -> notes.contains("bound"), "the notify reader did not bind " + socket);
                ProcessBuilder pb = new ProcessBuilder(LAUNCHER.toString(), "--watch", "--config=" + conf,
                        "--metrics=127.0.0.1:0")
                        .redirectOutput(out.toFile()).redirectErrorStream(true);
                pb.environment().put("NOTIFY_SOCKET", socket.toString());
                pb.environment().put("XDG_STATE_HOME", tmp.resolve("state").toString()); // its indexes, not ~'s
                pb.environment().remove("JAVA_HOME");
                mirror = pb.start();
                await(() -> notes.stream().anyMatch(n -> n.startsWith("READY=1")), "no READY=1: " + notes);
                awaitIdentical(one, oneDst, out);
                awaitIdentical(two, module, out);
                assertEquals(0, mirror.descendants().count(), "a child process is running");
                String metrics = scrape(out);
                for (String target : List.of(oneDst + "/", daemon.url("mod"))) {
                    assertTrue(metrics.contains("jrsync_mirror_full_syncs_total{target=\"" + target + "\"} 1.0"),
                            metrics);
                }

                // two gains an exclude, three is new, one is as it was
                Files.writeString(conf, common + "exclude = *.tmp\n\n[three]\nsource = " + three + "/\ntarget = "
                        + threeDst + "/\n");
                assertEquals(0, new ProcessBuilder("kill", "-HUP", Long.toString(mirror.pid())).start().waitFor());
                await(() -> Files.readString(out).contains("jrsync: reloaded"), "no reload: " + read(out));
                String reloaded = read(out);
                assertTrue(reloaded.contains("started [three], restarted [two], stopped [], unchanged [one]"), reloaded);
                await(() -> notes.stream().anyMatch(n -> n.startsWith("RELOADING=1"))
                        && notes.stream().filter(n -> n.startsWith("READY=1")).count() == 2, "no reload notes: " + notes);
                awaitIdentical(three, threeDst, out);
                Files.writeString(one.resolve("later.txt"), "after the reload\n");
                awaitIdentical(one, oneDst, out);
                Files.writeString(two.resolve("x.tmp"), "excluded now\n");
                Files.writeString(two.resolve("kept.txt"), "sent\n");
                await(() -> Files.exists(module.resolve("kept.txt")), "two stopped mirroring: " + read(out));
                assertTrue(Files.notExists(module.resolve("x.tmp")), "two did not take its new exclude");
                assertEquals(1, count(read(out), "[one] mirror: full sync done"), "one was synced in full again");
                String after = scrape(out);
                assertTrue(after.contains("jrsync_mirror_full_syncs_total{target=\"" + threeDst + "/\"} 1.0"), after);
                assertTrue(after.contains("jrsync_mirror_full_syncs_total{target=\"" + oneDst + "/\"} 1.0"), after);

                mirror.destroy(); // SIGTERM
                assertTrue(mirror.waitFor(30, TimeUnit.SECONDS), "SIGTERM did not stop the mirror");
                await(() -> notes.contains("STOPPING=1"), "no STOPPING=1: " + notes);
                for (Path dst : List.of(oneDst, module, threeDst)) {
                    try (Stream<Path> walk = Files.walk(dst)) {
                        List<Path> temps = walk.filter(p -> p.getFileName().toString().startsWith(".")).toList();
                        assertEquals(List.of(), temps, "temporary files left behind");
                    }
                }
            } finally {
                if (mirror != null) {
                    mirror.destroyForcibly();
                }
                reader.destroyForcibly();
            }
        }
    }

    /** The shipped unit file runs a command line jrsync accepts, reloads with SIGHUP and waits for READY=1. */
    @Test
    void theShippedUnitRunsAMirrorConfigAsANotifyService() throws IOException {
        Path unit = Path.of("..", "dist", "jrsync-mirror@.service");
        String text = Files.readString(unit);
        assertTrue(text.contains("\nType=notify\n") && text.contains("\nExecReload=/bin/kill -HUP $MAINPID\n"), text);
        String exec = text.lines().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow();
        List<String> argv = List.of(exec.substring(exec.indexOf(' ') + 1).replace("%i", "www").split(" "));
        assertTrue(OptionParser.parse(argv).watch(), exec);
        assertEquals("/etc/jrsync/www.conf", OptionParser.parse(argv).config(), exec);
    }

    /** The metrics the running mirror serves, at the address its first lines name. */
    private static String scrape(Path out) throws Exception {
        await(() -> read(out).contains("jrsync: metrics at http://"), "no metrics address: " + read(out));
        String url = read(out).lines().filter(l -> l.startsWith("jrsync: metrics at ")).findFirst().orElseThrow()
                .substring("jrsync: metrics at ".length());
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).timeout(WAIT).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    private Path tree(String name, String file) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name + "/sub"));
        Files.writeString(dir.resolve(file), name + "\n");
        return dir.getParent();
    }

    private static boolean python3() {
        try {
            return new ProcessBuilder("python3", "-c", "pass").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static List<String> collect(Process p) {
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    lines.add(l.strip());
                }
            } catch (IOException ended) {
                // the reader was stopped
            }
        });
        return lines;
    }

    private static void awaitIdentical(Path src, Path dst, Path out) throws Exception {
        await(() -> {
            try {
                return TreeAssert.differencesWhileChanging(src, dst).isEmpty();
            } catch (AssertionError notYet) {
                return false; // the destination is not there yet
            }
        }, src + " and " + dst + " did not become identical: " + read(out));
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void await(Check check, String why) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(why);
            }
            Thread.sleep(50);
        }
    }

    private static String read(Path out) {
        try {
            return Files.readString(out);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static int count(String text, String what) {
        return (int) text.lines().filter(l -> l.contains(what)).count();
    }
}
