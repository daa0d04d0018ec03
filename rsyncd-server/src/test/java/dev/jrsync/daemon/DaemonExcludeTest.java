package dev.jrsync.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.testing.ProcessResult;
import dev.jrsync.testing.StockClient;
import dev.jrsync.testing.StockDaemon;
import dev.jrsync.testing.StockRsync;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A module's {@code exclude} as rsync's daemon reads it (XFLG_DIR2WILD3): "/dir/" covers the directory's subtree,
 * so a stock client's push into it is refused as the stock daemon refuses it; a bare "/dir" covers only that name
 * and the push lands (rsync's suite, daemon-exclude-namebased).
 */
class DaemonExcludeTest {
    @TempDir
    Path tmp;

    @Test
    void aDirectoryExcludeCoversItsSubtreeAndABareNameDoesNot() throws IOException {
        StockRsync rsync = StockRsync.requireOnPath();
        Path file = Files.writeString(tmp.resolve("hosts"), "127.0.0.1 localhost\n");
        StringBuilder conf = new StringBuilder(JavaDaemon.asTestUser());
        StockDaemon.Builder stockBuilder = StockDaemon.builder(rsync, tmp.resolve("stock"));
        for (String[] m : new String[][] {{"bare", "/excluded"}, {"dir", "/excluded/"}, {"triple", "/excluded/***"}}) {
            Path ours = Files.createDirectories(tmp.resolve("ours-" + m[0] + "/excluded"));
            Path theirs = Files.createDirectories(tmp.resolve("theirs-" + m[0] + "/excluded"));
            conf.append("[").append(m[0]).append("]\npath = ").append(ours.getParent())
                    .append("\nread only = no\nexclude = ").append(m[1]).append("\n");
            stockBuilder.module(StockDaemon.Module.of(m[0], theirs.getParent()).line("exclude = " + m[1]));
        }
        try (JavaDaemon ours = JavaDaemon.start(tmp.resolve("ours"), conf.toString(), Duration.ofSeconds(10));
             StockDaemon theirs = stockBuilder.start()) {
            StockClient client = StockClient.of(rsync).timeout(Duration.ofSeconds(60));
            for (String module : new String[] {"bare", "dir", "triple"}) {
                ProcessResult stock = client.run("-a", file.toString(),
                        "rsync://127.0.0.1:" + theirs.port() + "/" + module + "/excluded/x2.tx");
                ProcessResult mine = client.run("-a", file.toString(), ours.url(module + "/excluded/x2.tx"));
                String context = module + "\nstock:\n" + stock.transcript() + "\nours:\n" + mine.transcript();
                boolean stockLanded = Files.exists(tmp.resolve("theirs-" + module + "/excluded/x2.tx"));
                assertEquals(stockLanded, Files.exists(tmp.resolve("ours-" + module + "/excluded/x2.tx")), context);
                assertEquals(stock.exitCode(), mine.exitCode(), context);
                assertEquals(module.equals("bare"), stockLanded, context);
            }
        }
        assertTrue(ModuleFilter.dirToSubtree("/excluded/").endsWith("/***"));
        assertFalse(ModuleFilter.dirToSubtree("/excluded").endsWith("/***"));
    }

    /**
     * Rules a stock client puts among the server arguments ({@code -M--filter=...}) apply on the daemon's side, as
     * stock 3.5's daemon applies them, and a merge file one names is read in the module unless the module's own
     * rules hide it, when it counts as missing (rsync's suite, daemon-filter-merge-bypass): the hidden file's
     * "- *" does not empty the pull. Before, the daemon refused the argument ("unknown option", exit 4).
     */
    @Test
    void filterRulesAmongTheServerArgumentsApplyAndAHiddenMergeFileIsNotRead() throws IOException {
        StockRsync rsync = StockRsync.requireOnPath();
        Path module = Files.createDirectories(tmp.resolve("module/secret")).getParent();
        Files.writeString(module.resolve("public.txt"), "PUBLIC\n");
        Files.writeString(module.resolve("notes.tmp"), "scratch\n");
        Files.writeString(module.resolve("secret/rules"), "- *\n");
        Files.writeString(module.resolve("rules"), "- public.txt\n");
        String moduleConf = "[mod]\npath = " + module + "\nfilter = - /secret/***\n";
        try (JavaDaemon ours = JavaDaemon.start(tmp.resolve("ours"), JavaDaemon.asTestUser() + moduleConf,
                Duration.ofSeconds(10));
             StockDaemon theirs = StockDaemon.builder(rsync, tmp.resolve("stock"))
                     .module(StockDaemon.Module.of("mod", module).line("filter = - /secret/***")).start()) {
            StockClient client = StockClient.of(rsync).timeout(Duration.ofSeconds(60));
            String[][] cases = {{"-M--filter=._/secret/rules"}, {"-M--filter=- *.tmp"}, {"-M--filter=._/rules"}};
            for (String[] extra : cases) {
                String name = extra[0].replaceAll("[^a-z]", "");
                Path stockDest = tmp.resolve("stock-" + name);
                Path ourDest = tmp.resolve("ours-" + name);
                client.run("-r", extra[0], "rsync://127.0.0.1:" + theirs.port() + "/mod/", stockDest + "/")
                        .assertSuccess();
                client.run("-r", extra[0], ours.url("mod/"), ourDest + "/").assertSuccess();
                assertEquals(names(stockDest), names(ourDest), extra[0]);
            }
        }
        assertEquals("[notes.tmp, public.txt, rules]", names(tmp.resolve("ours-filtersecretrules")));
        assertEquals("[public.txt, rules]", names(tmp.resolve("ours-filtertmp")));
        assertEquals("[notes.tmp, rules]", names(tmp.resolve("ours-filterrules")));
    }

    /**
     * A {@code --files-from} pull keeps the module's anchored excludes: the list names an excluded file, which is
     * not sent (the module's rules see names below the module, however the sender reaches the files).
     */
    @Test
    void aFilesFromPullKeepsTheModulesExcludes() throws IOException {
        StockRsync rsync = StockRsync.requireOnPath();
        Path module = Files.createDirectories(tmp.resolve("fmod"));
        Files.writeString(module.resolve("open.txt"), "open\n");
        Files.writeString(module.resolve("secret.txt"), "secret\n");
        Path list = Files.writeString(tmp.resolve("list"), "open.txt\nsecret.txt\n");
        try (JavaDaemon ours = JavaDaemon.start(tmp.resolve("ours-ff"), JavaDaemon.asTestUser()
                + "[mod]\npath = " + module + "\nexclude = /secret.txt\n", Duration.ofSeconds(10))) {
            ProcessResult r = StockClient.of(rsync).timeout(Duration.ofSeconds(60))
                    .run("-r", "--files-from=" + list, ours.url("mod/"), tmp.resolve("ff") + "/");
            assertEquals("open\n", Files.readString(tmp.resolve("ff/open.txt")), r.transcript());
            assertFalse(Files.exists(tmp.resolve("ff/secret.txt")), r.transcript());
        }
    }

    private static String names(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString()).sorted().toList().toString();
        }
    }
}
