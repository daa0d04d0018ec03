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
}
