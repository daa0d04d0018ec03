package dev.jrsync.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jrsync.core.FileProgress;
import dev.jrsync.core.ItemEvent;
import dev.jrsync.options.OptionParser;
import dev.jrsync.testing.RecordingLog;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which events make which lines, by the user's options, as rsync's log.c and progress.c decide. */
class ClientPrinterTest {
    private static final ItemEvent SENT = new ItemEvent("a.txt", "<f+++++++++", true, true, false, null);
    private static final ItemEvent UNCHANGED = new ItemEvent("b.txt", "          ", false, false, false, null);
    private static final ItemEvent TOUCHED = new ItemEvent("c.txt", ".f..t......", false, true, false, null);
    private static final ItemEvent DIR_TIME = new ItemEvent("d/", ".d..t......", false, true, false, null);
    private static final ItemEvent LINK = new ItemEvent("l", "cL+++++++++", false, true, true, "a.txt");

    private static List<String> printed(String... options) {
        RecordingLog out = new RecordingLog();
        var printer = ClientPrinter.of(out, OptionParser.parse(args(options)));
        for (ItemEvent e : List.of(SENT, UNCHANGED, TOUCHED, DIR_TIME, LINK)) {
            printer.item(e);
        }
        printer.deleted("gone/");
        return out.lines();
    }

    private static List<String> args(String... options) {
        List<String> argv = new ArrayList<>(List.of(options));
        argv.add("src/");
        argv.add("dst/");
        return argv;
    }

    @Test
    void withoutVerbosityNothingIsPrinted() {
        assertEquals(List.of(), printed("-a"));
    }

    @Test
    void verboseNamesTransfersDirectoriesAndLocalChanges() {
        assertEquals(List.of("a.txt", "d/", "l -> a.txt", "deleting gone/"), printed("-av"));
    }

    @Test
    void itemizeShowsEverySignificantChangeAndStarredDeletions() {
        assertEquals(List.of("<f+++++++++ a.txt", ".f..t...... c.txt", ".d..t...... d/", "cL+++++++++ l -> a.txt",
                "*deleting   gone/"), printed("-ai"));
    }

    @Test
    void doubleItemizeAlsoShowsUnchangedFiles() {
        assertEquals(6, printed("-aii").size());
        assertEquals("           b.txt", printed("-aii").get(1));
    }

    @Test
    void progressNamesFilesAndDrawsRsyncsLines() {
        assertEquals(List.of("a.txt", "d/", "l -> a.txt", "deleting gone/"), printed("-a", "--progress"));
        RecordingLog out = new RecordingLog();
        var printer = ClientPrinter.of(out, OptionParser.parse(args("-a", "--progress")));
        printer.progress(new FileProgress("a.txt", 0, 2048, 0, false, 0, 0, 0, false));
        printer.progress(new FileProgress("a.txt", 2048, 2048, 2_000_000_000L, true, 1, 3, 5, true));
        assertEquals("\r              0   0%    0.00kB/s    0:00:00  "
                + "\r          2,048 100%    1.00kB/s    0:00:02 (xfr#1, ir-chk=3/5)\n", out.partialText());
    }

    @Test
    void eventsReachTheWrappedLogWhateverIsPrinted() {
        RecordingLog out = new RecordingLog();
        var printer = ClientPrinter.of(out, OptionParser.parse(args("-a")));
        printer.item(SENT);
        printer.deleted("gone/");
        assertEquals(List.of(SENT), out.items());
        assertEquals(List.of("gone/"), out.deletions());
    }
}
