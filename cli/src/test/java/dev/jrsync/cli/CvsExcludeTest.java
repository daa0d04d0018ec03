package dev.jrsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.testing.StockClient;
import dev.jrsync.testing.StockDaemon;
import dev.jrsync.testing.StockRsync;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code -C}/{@code --cvs-exclude} as stock rsync applies it: CVS's ignore list, each directory's
 * {@code .cvsignore}, and on the receiving side the same rules guarding files from {@code --delete}; in a local
 * copy, pushed to and pulled from a stock daemon (the rules cross the wire as stock sends them), and with a stock
 * client of the Java daemon. Each destination is compared with what the stock client made of the same start.
 */
class CvsExcludeTest {
    @TempDir
    Path tmp;

    /** Junk CVS ignores, a .cvsignore naming one more, a .git dir; a destination with junk and a stale file. */
    private static void start(Path src, Path dst) throws IOException {
        Files.createDirectories(src.resolve("sub"));
        Files.createDirectories(src.resolve(".git"));
        for (String f : List.of("a.o", "b.c", "core", "x~", "sub/y.bak", "sub/keep", ".git/config", "sub/ig1",
                "sub/ig2", "tags.txt")) {
            Files.writeString(src.resolve(f), f + "\n");
        }
        Files.writeString(src.resolve("sub/.cvsignore"), "ig2\n"); // a "!" there: rsync 3.2.7 refuses it
        Files.createDirectories(dst.resolve("sub"));
        for (String f : List.of("old.o", "stale", "sub/z.orig", "sub/gone")) {
            Files.writeString(dst.resolve(f), "old\n");
        }
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void cvsExcludeLeavesOutAndGuardsWhatStockDoes(StockRsync rsync) throws Exception {
        StockClient stock = StockClient.of(rsync);
        List<String> expected = null;
        for (String how : List.of("local", "push", "pull", "java-daemon-push", "java-daemon-pull")) {
            List<List<String>> results = new ArrayList<>();
            for (String who : List.of("stock", "ours")) {
                Path base = Files.createDirectories(tmp.resolve(how + "-" + who));
                Path src = base.resolve("src");
                Path dst = base.resolve("dst");
                start(src, dst);
                List<String> opts = List.of("-aC", "--delete");
                try (StockDaemon daemon = StockDaemon.builder(rsync, base.resolve("d"))
                        .module(StockDaemon.Module.of("src", src).readOnly(false))
                        .module(StockDaemon.Module.of("dst", dst).readOnly(false)).start();
                     ModuleDaemon java = ModuleDaemon.start(how.startsWith("java-daemon-push") ? dst : src,
                             base.resolve("rsyncd.log"), 0, "")) {
                    String from = switch (how) {
                        case "pull" -> daemon.url("src") + "/";
                        case "java-daemon-pull" -> java.url();
                        default -> src + "/";
                    };
                    String to = switch (how) {
                        case "push" -> daemon.url("dst") + "/";
                        case "java-daemon-push" -> java.url();
                        default -> dst + "/";
                    };
                    List<String> args = new ArrayList<>(opts);
                    args.add(from);
                    args.add(to);
                    String[] a = args.toArray(String[]::new);
                    if (who.equals("stock") || how.startsWith("java-daemon")) {
                        stock.run(a).assertSuccess();
                    } else {
                        Jrsync.run(a).assertSuccess();
                    }
                }
                results.add(listing(dst));
            }
            if (how.startsWith("java-daemon")) {
                // the stock client against the Java daemon ("ours") makes what it makes against a stock daemon
                assertEquals(expected, results.get(1), how);
            } else {
                assertEquals(results.get(0), results.get(1), how);
                expected = results.get(0);
            }
        }
        assertTrue(expected.contains("old.o") && expected.contains("b.c") && expected.contains("sub/ig1") && !expected.contains("sub/ig2"), expected::toString);
        assertFalse(expected.contains("a.o") || expected.contains("stale") || expected.contains(".git"), expected::toString);
    }
}
