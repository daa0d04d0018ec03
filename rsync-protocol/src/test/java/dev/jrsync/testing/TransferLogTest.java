package dev.jrsync.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class TransferLogTest {

    /** Captured from a stock rsync 3.2.7 daemon with LC_ALL=C, plus one port probe and one deletion. */
    private static final String LOG = """
            2026/11/25 14:28:48 [5929] rsyncd version 3.2.7 starting, listening on port 18873
            2026/11/25 14:28:48 [5930] connect from UNDETERMINED (127.0.0.1)
            2026/11/25 14:28:48 [5932] connect from UNDETERMINED (127.0.0.1)
            2026/11/25 14:28:48 [5932] rsync allowed access on module mod from UNDETERMINED (127.0.0.1)
            2026/11/25 14:28:48 [5932] rsync to mod/ from UNDETERMINED (127.0.0.1)
            2026/11/25 14:28:48 [5932] receiving file list
            2026/11/25 14:28:49 [5932] jrsync-xfer recv 0 4096 [.d..t......] ./
            2026/11/25 14:28:49 [5932] jrsync-xfer recv 46 6 [>f+++++++++] a.txt
            2026/11/25 14:28:49 [5932] jrsync-xfer recv 300076 300000 [>f+++++++++] big
            2026/11/25 14:28:49 [5932] jrsync-xfer recv 0 7 [cL+++++++++] dangle
            2026/11/25 14:28:49 [5932] jrsync-xfer recv 36 0 [>f+++++++++] new\\#012line
            2026/11/25 14:28:49 [5932] jrsync-xfer del. 0 0 [*deleting  ] old file.txt
            2026/11/25 14:28:49 [5932] jrsync-xfer recv 0 4096 [cd+++++++++] sp ace/
            2026/11/25 14:28:49 [5932] jrsync-xfer recv 42 2 [>f+++++++++] sp ace/ünï.txt
            2026/11/25 14:28:49 [5932] sent 98 bytes  received 300465 bytes  total size 300020
            2026/11/25 14:28:49 [5929] sent 0 bytes  received 0 bytes  total size 0
            """;

    private final TransferLog log = TransferLog.parse(LOG.getBytes(StandardCharsets.UTF_8));

    @Test
    void parsesEntries() {
        assertEquals(8, log.entries().size());
        assertEquals(new TransferLog.Entry(5932, "recv", 300076, 300000, ">f+++++++++", "big"), log.entry("big"));
        assertEquals(new TransferLog.Entry(5932, "del.", 0, 0, "*deleting  ", "old file.txt"),
                log.entry("old file.txt"));
        assertTrue(log.entry("old file.txt").isDeletion());
        assertFalse(log.entry("sp ace/").isFile());
        assertEquals(42, log.entry("sp ace/ünï.txt").bytes());
        assertEquals(36, log.entry("new\nline").bytes());
    }

    @Test
    void totalsCountFilesOnly() {
        assertEquals(List.of("a.txt", "big", "new\nline", "sp ace/ünï.txt"),
                log.files().stream().map(TransferLog.Entry::name).toList());
        assertEquals(46 + 300076 + 36 + 42, log.totalBytes());
        assertEquals(6 + 300000 + 0 + 2, log.totalFileLength());
    }

    @Test
    void sessionsExcludeProbesAndTheListener() {
        assertEquals(List.of(new TransferLog.Session(5932, true, "mod/", "UNDETERMINED (127.0.0.1)", 98, 300465,
                300020)), log.sessions());
        assertEquals(log.entries(), log.of(log.lastSession()).entries());
    }

    @Test
    void unescapesOctalButLeavesOtherBackslashes() {
        assertEquals("a\tb\\c\\#9", TransferLog.unescape("a\\#011b\\c\\#9"));
    }

    @Test
    void missingEntryFailsWithTheLoggedNames() {
        AssertionError e = assertThrows(AssertionError.class, () -> log.entry("nope"));
        assertTrue(e.getMessage().contains("a.txt"), e.getMessage());
    }
}
