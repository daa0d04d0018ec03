package dev.jrsync.cli.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jrsync.testing.Peers;
import dev.jrsync.testing.TestTrees;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * jrsync events and the real inotifywait watch one tree through the same actions and must print the same lines.
 * Both use -e without open/access/close_nowrite: those also fire when a watcher lists a new directory, so each
 * would see the other's (and its own) directory reads. Directories are created one level at a time, with a pause,
 * so that inotifywait (which does not scan new directories) sees the same events and not fewer.
 */
class SideBySideTest {
    private static final Path INOTIFYWAIT = Path.of("/usr/bin/inotifywait");
    /** Output compared byte for byte: a name that is not UTF-8 is printed as its bytes, as inotifywait does. */
    private static final java.nio.charset.Charset BYTES = StandardCharsets.ISO_8859_1;
    private static final String EVENTS = "create,modify,attrib,close_write,moved_from,moved_to,delete,delete_self,move_self";

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"", "--format|%w%f %e %:e %;e", "--format|%T %f|--timefmt|%Y", "-c",
            "--exclude|skip", "--excludei|SKIP", "-o|OUT"})
    void sameLinesAsInotifywait(String variant) throws Exception {
        Peers.require(Files.isExecutable(INOTIFYWAIT), () -> "inotifywait not installed at /usr/bin/inotifywait: skipped");
        Path tree = Files.createDirectories(tmp.resolve("t"));
        Files.createDirectories(tree.resolve("old/inner"));
        List<String> extra = variant.isEmpty() ? List.of() : List.of(variant.split("\\|"));

        List<String> ours = args(extra, tmp.resolve("ours.out"), tree);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CompletableFuture<Integer> jr = CompletableFuture.supplyAsync(() -> EventsCommand.run(
                ours.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)));
        List<String> theirs = new ArrayList<>(List.of(INOTIFYWAIT.toString()));
        theirs.addAll(args(extra, tmp.resolve("theirs.out"), tree));
        Path theirErr = tmp.resolve("theirs.err");
        Path theirOut = tmp.resolve("theirs.stdout");
        Process iw = new ProcessBuilder(theirs).redirectError(theirErr.toFile()).redirectOutput(theirOut.toFile())
                .start();
        awaitEstablished(() -> err.toString(StandardCharsets.UTF_8));
        awaitEstablished(() -> read(theirErr));

        act(tree);

        assertEquals(2, jr.get(20, TimeUnit.SECONDS), "timeout exit code");
        assertTrue(iw.waitFor(20, TimeUnit.SECONDS));
        assertEquals(2, iw.exitValue());
        String theirLines = extra.contains("OUT") ? read(tmp.resolve("theirs.out")) : read(theirOut);
        String ourLines = extra.contains("OUT") ? read(tmp.resolve("ours.out")) : out.toString(BYTES);
        assertEquals(theirLines, ourLines);
        assertEquals(read(theirErr), err.toString(StandardCharsets.UTF_8));
        assertTrue(ourLines.lines().count() > 10, ourLines);
    }

    private static void assertTrue(boolean b, String what) {
        org.junit.jupiter.api.Assertions.assertTrue(b, what);
    }

    private static void assertTrue(boolean b) {
        org.junit.jupiter.api.Assertions.assertTrue(b);
    }

    private static List<String> args(List<String> extra, Path outfile, Path tree) {
        List<String> a = new ArrayList<>(List.of("-m", "-r", "-t", "2", "-e", EVENTS));
        for (String s : extra) {
            a.add(s.equals("OUT") ? outfile.toString() : s);
        }
        a.add(tree.toString());
        return a;
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, BYTES) : "";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void awaitEstablished(java.util.function.Supplier<String> err) throws InterruptedException {
        for (int i = 0; i < 200 && !err.get().contains("Watches established."); i++) {
            Thread.sleep(50);
        }
        assertTrue(err.get().contains("Watches established."), "watches not established: " + err.get());
    }

    private static void pause() throws InterruptedException {
        Thread.sleep(250);
    }

    private static void act(Path t) throws Exception {
        Files.writeString(t.resolve("a.txt"), "one");
        Files.writeString(t.resolve("a.txt"), "two", java.nio.file.StandardOpenOption.APPEND);
        Files.createDirectory(t.resolve("sub"));
        pause();
        Files.move(t.resolve("a.txt"), t.resolve("sub/a.txt"));
        Files.setPosixFilePermissions(t.resolve("sub/a.txt"), PosixFilePermissions.fromString("rw-------"));
        Files.createDirectory(t.resolve("n1"));
        pause();
        Files.createDirectory(t.resolve("n1/n2"));
        pause();
        Files.writeString(t.resolve("n1/n2/deep, file"), "x");
        Files.createDirectory(t.resolve("skip"));
        pause();
        Files.writeString(t.resolve("skip/hidden"), "x");
        Files.delete(t.resolve("skip/hidden"));
        Files.delete(t.resolve("sub/a.txt"));
        Files.move(t.resolve("old"), t.resolve("new"));
        Files.writeString(t.resolve("new/inner/late"), "x");
        Files.delete(t.resolve("new/inner/late"));
        Files.delete(t.resolve("new/inner"));
        Files.delete(t.resolve("new"));
        Files.writeString(t.resolve(TestTrees.latin1("caf\u00e9")), "a name that is not UTF-8");
    }
}
