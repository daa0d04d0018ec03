package dev.jrsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.testing.StockRsync;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client's {@code --log-file}, written by jrsync and by stock rsync for the same runs: the same lines after the
 * "YYYY/MM/DD HH:MM:SS [PID] " prefix, but for the byte counts of the summary. (In a local copy rsync's sender
 * logs the items, so that %o says "send" where jrsync's receiving side says "recv".)
 */
class LogFileTest {
    @TempDir
    Path tmp;

    private static final String PREFIX = "\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d \\[\\d+\\] ";

    /** The log's lines without their prefix (which every line must have), byte counts masked. */
    private static List<String> lines(Path log) throws IOException {
        return Files.readAllLines(log).stream().map(l -> {
            assertTrue(l.matches(PREFIX + ".*"), l);
            return l.replaceFirst(PREFIX, "").replaceAll("[0-9][0-9,.]*", "N");
        }).toList();
    }

    @Test
    void theLogSaysWhatStockRsyncsSays() throws IOException {
        StockRsync rsync = StockRsync.requireOnPath();
        Path src = Files.createDirectories(tmp.resolve("src/d"));
        Files.writeString(src.resolve("b"), "b\n");
        Files.writeString(tmp.resolve("src/a"), "a\n");
        for (int step = 0; step < 3; step++) {
            if (step == 1) {
                Files.writeString(tmp.resolve("src/a"), "a, longer\n");
            }
            if (step == 2) {
                Files.delete(src.resolve("b"));
            }
            for (String who : List.of("ours", "theirs")) {
                Path log = tmp.resolve(who + ".log");
                String[] args = switch (step) {
                    case 0 -> new String[] {"-a", "--log-file=" + log, tmp.resolve("src") + "/", tmp.resolve(who) + "/"};
                    case 1 -> new String[] {"-a", "--delete", "--log-file=" + log, "--log-file-format=%i %n %l",
                            tmp.resolve("src") + "/", tmp.resolve(who) + "/"};
                    default -> new String[] {"-av", "--delete", "--log-file=" + log, tmp.resolve("src") + "/",
                            tmp.resolve(who) + "/"};
                };
                Jrsync.runSucceeding(who, rsync, args);
            }
        }
        List<String> ours = lines(tmp.resolve("ours.log"));
        assertEquals(lines(tmp.resolve("theirs.log")), ours);
        assertTrue(ours.contains(">f+++++++++ d/b") && ours.stream().anyMatch(l -> l.startsWith(">f.s") && l.endsWith(" a N")) && ours.contains("*deleting   d/b"),
                ours::toString);
    }
}
