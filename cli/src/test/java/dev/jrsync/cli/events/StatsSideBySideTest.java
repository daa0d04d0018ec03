package dev.jrsync.cli.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.testing.Peers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code jrsync events --stats} and the real inotifywatch count the same actions into the same table. */
class StatsSideBySideTest {
    private static final Path INOTIFYWATCH = Path.of("/usr/bin/inotifywatch");

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"", "-d|modify", "-a|total"})
    void sameTableAsInotifywatch(String variant) throws Exception {
        Peers.require(Files.isExecutable(INOTIFYWATCH), () -> "inotifywatch not installed at /usr/bin/inotifywatch: skipped");
        Path tree = Files.createDirectories(tmp.resolve("t"));
        Files.createDirectories(tree.resolve("a"));
        List<String> common = new ArrayList<>(List.of("-r", "-t", "3", "-e", "create,modify,close_write,delete"));
        if (!variant.isEmpty()) {
            common.addAll(List.of(variant.split("\\|")));
        }
        common.add(tree.toString());

        List<String> ours = new ArrayList<>(List.of("--stats"));
        ours.addAll(common);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CompletableFuture<Integer> jr = CompletableFuture.supplyAsync(() -> EventsCommand.run(
                ours.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)));
        List<String> theirs = new ArrayList<>(List.of(INOTIFYWATCH.toString()));
        theirs.addAll(common);
        Path theirOut = tmp.resolve("theirs.out");
        Path theirErr = tmp.resolve("theirs.err");
        Process iw = new ProcessBuilder(theirs).redirectOutput(theirOut.toFile()).redirectError(theirErr.toFile())
                .start();
        for (int i = 0; i < 100 && !(collecting(err.toString(StandardCharsets.UTF_8))
                && collecting(Files.readString(theirErr))); i++) {
            Thread.sleep(50);
        }
        assertTrue(collecting(err.toString(StandardCharsets.UTF_8)), err::toString);

        Files.writeString(tree.resolve("f1"), "x");
        Files.writeString(tree.resolve("a/f2"), "y");
        Files.writeString(tree.resolve("f1"), "z", StandardOpenOption.APPEND);
        Files.writeString(tree.resolve("a/f3"), "w");
        Files.delete(tree.resolve("a/f2"));

        assertTrue(iw.waitFor(20, TimeUnit.SECONDS), "inotifywatch did not stop at its timeout");
        int ourCode = jr.get(20, TimeUnit.SECONDS);
        assertEquals(iw.exitValue(), ourCode);
        assertEquals(Files.readString(theirOut), out.toString(StandardCharsets.UTF_8));
        assertEquals(Files.readString(theirErr), err.toString(StandardCharsets.UTF_8));
    }

    private static boolean collecting(String stderr) {
        return stderr.contains("now collecting statistics");
    }
}
