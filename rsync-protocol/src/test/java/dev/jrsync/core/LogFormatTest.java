package dev.jrsync.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Format string and item in, line out: the lines stock rsync 3.5.0 printed for the same items. */
class LogFormatTest {
    private static final String SUM = "6bba86c7e069f56d5a10b435f1c8e49c";
    private static final String NO_SUM = " ".repeat(32);
    private static final LogFormat.Item FILE = new LogFormat.Item("send", "a.txt", "src/a.txt", ">f+++++++++",
            0100644, 6, 0, 0, null, null, null, 49, 16, SUM, LogFormat.Session.CLIENT);
    private static final LogFormat.Item DIR = new LogFormat.Item("send", "./", "src/.", "cd+++++++++", 040755,
            4096, 0, 0, null, null, null, 0, 0, NO_SUM, LogFormat.Session.CLIENT);
    private static final LogFormat.Item LINK = new LogFormat.Item("recv", "link", "link", "cL+++++++++", 0120777,
            5, 0, 65534, 65534, "a.txt", null, 0, 0, NO_SUM, LogFormat.Session.CLIENT);
    private static final LogFormat.Item DAEMON = new LogFormat.Item("recv", "a.txt", "sub2/a.txt", ">f+++++++++",
            0100644, 6, 0, null, null, null, null, 46, 0, "",
            new LogFormat.Session("localhost", "127.0.0.1", "mod", "/tmp/fmt/mod", "alice"));

    @Test
    void clientLeavesTheDaemonsEscapesAsWritten() {
        assertEquals("[%a][49][rw-r--r--][16][src/a.txt][DEFAULT][%h][>f+++++++++][6][][][a.txt][send][%P][%u][0]"
                        + "[%z][%][a.txt   |][       6][6][                |][" + SUM + "]",
                LogFormat.expand("[%a][%b][%B][%c][%f][%G][%h][%i][%l][%L][%m][%n][%o][%P][%u][%U][%z][%%]"
                        + "[%-8n|][%8l][%'l][%-12L|][%C]", FILE));
        assertEquals("[rwxrwxrwx][65534][ -> a.txt][ -> a.txt       |][link    |]",
                LogFormat.expand("[%B][%G][%L][%-12L|][%-8n|]", LINK));
    }

    @Test
    void daemonFillsHostAddressModuleAndUser() {
        assertEquals("recv localhost [127.0.0.1] mod (alice) sub2/a.txt 6 /tmp/fmt/mod",
                LogFormat.expand("%o %h [%a] %m (%u) %f %l %P", DAEMON));
    }

    /** The stock run: [%08l][%08U][%08n][%-08l][%.3n][%-][%'-'8l][%''l][%'''l][%5%][%-5L][%5C] on a directory. */
    @Test
    void modifiersAsRsyncReadsThem() {
        assertEquals("[    4096][00000000][      ./][4096    ][%.3n][%-][%'-'8l][4.10K][4.00K][    %][         ]["
                        + NO_SUM + "]",
                LogFormat.expand("[%08l][%08U][%08n][%-08l][%.3n][%-][%'-'8l][%''l][%'''l][%5%][%-5L][%5C]", DIR));
        assertEquals("[4,096][  4,096][%-''7l|]", LogFormat.expand("[%'l][%7'l][%-''7l|]", DIR));
    }

    @Test
    void aTrailingPercentOrUnfinishedEscapeStays() {
        assertEquals("x%", LogFormat.expand("x%", FILE));
        assertEquals("x%-5", LogFormat.expand("x%-5", FILE));
        assertEquals("100%% done", LogFormat.expand("100%%%% done", FILE));
    }

    @Test
    void hardLinkComesBeforeSymlinkTarget() {
        LogFormat.Item linked = new LogFormat.Item("recv", "b", "b", "hf         ", 0100644, 6, 0, null, null, null,
                "a", 0, 0, NO_SUM, LogFormat.Session.CLIENT);
        assertEquals("hf          b => a|b =>      a", LogFormat.expand("%i %n%L|%n%6L", linked));
    }

    @Test
    void setIdAndStickyBitsShowAsRsyncDoes() {
        assertEquals("rwsr-xr-x rwxrwxrwt", LogFormat.expand("%B", withMode(0104755)) + " "
                + LogFormat.expand("%B", withMode(041777)));
    }

    @Test
    void hasFindsAnEscapeButNotAPercentSign() {
        assertTrue(LogFormat.has("%-10'b", 'b'));
        assertFalse(LogFormat.has("100%%i", 'i'));
        assertTrue(LogFormat.has("%%%i", 'i'));
        assertFalse(LogFormat.has("%n", 'i'));
    }

    private static LogFormat.Item withMode(int mode) {
        return new LogFormat.Item("send", "s", "s", ">f+++++++++", mode, 0, 0, null, null, null, null, 0, 0, "",
                LogFormat.Session.CLIENT);
    }
}
