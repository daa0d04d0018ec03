package dev.jrsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.core.RsyncException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RSYNC_CONNECT_PROG's %H as rsync 3.5 fills it in: quoted, and only for a host of plain characters, since a
 * template such as {@code sh -c '... %H'} hands it to a nested shell (rsync's testsuite
 * connect-prog-nested-singlequote-host-injection).
 */
class ConnectProgramTest {

    @Test
    void theHostIsQuotedAndPercentsKept() {
        assertEquals("nc 'example.org' 873 %", ConnectProgram.command("nc %H 873 %%", "example.org"));
        assertEquals("ssh gw nc %x", ConnectProgram.command("ssh gw nc %x", "h"), "an unknown escape stays");
        assertEquals("plain", ConnectProgram.command("plain", "any;thing"), "no % at all: no host, nothing checked");
    }

    @Test
    void aHostWithShellSyntaxIsRefusedAndRunsNothing(@TempDir Path tmp) {
        for (String host : new String[] {"localhost;touch$IFS" + tmp.resolve("m") + ";#", "-oProxy", "a'b", "a b"}) {
            RsyncException e = assertThrows(RsyncException.class, () -> ConnectProgram.command("sh -c 'x %H'", host));
            assertTrue(e.getMessage().contains("unsafe host characters for RSYNC_CONNECT_PROG"), e.getMessage());
        }
        Jrsync r = Jrsync.run(Map.of("RSYNC_CONNECT_PROG", "sh -c 'exec cat %H'"), "rsync://a;touch$IFS"
                + tmp.resolve("marker") + ";#/mod/", tmp.resolve("dst").toString());
        assertEquals(10, r.exitCode(), r::transcript);
        assertTrue(Files.notExists(tmp.resolve("marker")), r::transcript);
    }

    /**
     * A URL without a host is refused by the host check when the template takes %H, as rsync 3.5 refuses it (a
     * nested shell would drop the empty word and shift its arguments), and is a usage error otherwise; never a
     * stack trace.
     */
    @Test
    void aUrlWithoutAHostIsRefused(@TempDir Path tmp) {
        Jrsync r = Jrsync.run(Map.of("RSYNC_CONNECT_PROG", "cat %H"), "rsync:///mod/", tmp.resolve("dst").toString());
        assertEquals(10, r.exitCode(), r::transcript);
        assertTrue(r.transcript().contains("unsafe host characters for RSYNC_CONNECT_PROG"), r::transcript);
        Jrsync plain = Jrsync.run(Map.of("RSYNC_CONNECT_PROG", "cat"), "rsync:///mod/", tmp.resolve("dst").toString());
        assertEquals(1, plain.exitCode(), plain::transcript);
        assertTrue(plain.transcript().contains("no host name in rsync:///mod/"), plain::transcript);
        assertFalse(r.transcript().contains("Exception") || plain.transcript().contains("Exception"), r::transcript);
    }
}
