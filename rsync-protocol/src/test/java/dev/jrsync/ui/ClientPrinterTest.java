package dev.jrsync.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.api.FileItem;
import dev.jrsync.api.FileProgress;
import dev.jrsync.api.ListedFile;
import dev.jrsync.api.Message;
import dev.jrsync.options.OptionParser;
import dev.jrsync.testing.RecordingLog;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which events make which lines, by the user's options, as rsync's log.c and progress.c decide. */
class ClientPrinterTest {
    private static final FileItem SENT = item("a.txt", "<f+++++++++", true, true, false, null);
    private static final FileItem UNCHANGED = item("b.txt", "          ", false, false, false, null);
    private static final FileItem TOUCHED = item("c.txt", ".f..t......", false, true, false, null);
    private static final FileItem DIR_TIME = item("d/", ".d..t......", false, true, false, null);
    private static final FileItem LINK = item("l", "cL+++++++++", false, true, true, "a.txt");

    private static FileItem item(String name, String changes, boolean transferred, boolean significant,
                                 boolean localChange, String linkTarget) {
        return new FileItem(name, changes, transferred, significant, localChange, Optional.ofNullable(linkTarget),
                Optional.empty(), "send", name.equals("a.txt") ? "src/a.txt" : name.replace("/", ""), 0100644, 6, 0, 0, 0, 0,
                Optional.empty());
    }

    private static List<String> printed(String... options) {
        RecordingLog out = new RecordingLog();
        var printer = ClientPrinter.of(out, OptionParser.parse(args(options)));
        for (FileItem e : List.of(SENT, UNCHANGED, TOUCHED, DIR_TIME, LINK)) {
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

    /** rsync/log.c:maybe_log_item: without %i only transfers, directories and local changes; with it, -i's items. */
    @Test
    void outFormatReplacesTheDefaultAndItsPercentIShowsWhatItemizeWould() {
        assertEquals(List.of("send:a.txt:src/a.txt", "send:d/:d", "send:l:l", "del.:gone/:gone"),
                printed("-av", "--out-format=%o:%n:%f"));
        assertEquals(List.of("[<f+++++++++] a.txt", "[.f..t......] c.txt", "[.d..t......] d/", "[cL+++++++++] l",
                "[*deleting  ] gone/"), printed("-a", "--log-format=[%i] %n"));
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
        printer.progress(new FileProgress("a.txt", 0, 2048, Duration.ZERO, false, 0, 0, 0, false));
        printer.progress(new FileProgress("a.txt", 2048, 2048, Duration.ofSeconds(2), true, 1, 3, 5, true));
        assertEquals("\r              0   0%    0.00kB/s    0:00:00  "
                + "\r          2,048 100%    1.00kB/s    0:00:02 (xfr#1, ir-chk=3/5)\n", out.partialText());
    }

    @Test
    void messagesGoToTheirStreamAndListingsAreRsyncsLines() {
        RecordingLog out = new RecordingLog();
        var printer = ClientPrinter.of(out, OptionParser.parse(args("-a")));
        printer.message(new Message(Message.Level.INFO, "motd"));
        printer.message(new Message(Message.Level.ERROR, "rsync: failed"));
        printer.listed(new ListedFile("big", "big".getBytes(StandardCharsets.UTF_8), ListedFile.Kind.FIFO, 0640,
                1234567, Instant.ofEpochSecond(0), Optional.empty()));
        assertEquals(List.of("motd", "ERR rsync: failed"), out.lines().subList(0, 2));
        assertEquals("prw-r-----      1,234,567 ", out.lines().get(2).substring(0, 26));
        assertTrue(out.lines().get(2).endsWith(":00 big"), out.lines().get(2));
    }
}
