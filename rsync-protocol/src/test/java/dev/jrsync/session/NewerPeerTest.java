package dev.jrsync.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jrsync.client.DaemonClient;
import dev.jrsync.clientserver.Greeting;
import dev.jrsync.core.RsyncException;
import dev.jrsync.core.SessionLog;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A peer newer than jrsync, such as rsync 3.5.1 with protocol 33 (whose one change is MSG_BLOCK_STATS, which a
 * session below 33 never carries), speaks jrsync's 32; one older than 27 is refused.
 */
class NewerPeerTest {
    private static final SessionLog QUIET = SessionLog.of(new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(new ByteArrayOutputStream()));

    @ParameterizedTest
    @ValueSource(strings = {"@RSYNCD: 33.0 sha512 sha256 sha1 md5 md4", "@RSYNCD: 33.1 md5", "@RSYNCD: 40.0 md5"})
    void aNewerDaemonOrClientGreetingSettlesOnOurs(String line) {
        Greeting ours = new Greeting(DaemonClient.PROTOCOL_VERSION, 0, List.of("md5"));
        assertEquals(32, Greeting.negotiate(ours, Greeting.parse(line)));
    }

    /** Over a remote shell each side writes its version as an int32 first (rsync/compat.c:setup_protocol). */
    @ParameterizedTest
    @ValueSource(ints = {33, 34, 40})
    void aNewerPeerOverARemoteShellSettlesOnOurs(int theirs) {
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        byte[] version = {(byte) theirs, 0, 0, 0};
        Connection conn = new Connection(new ByteArrayInputStream(version), written, QUIET);
        assertEquals(32, ProtocolSetup.exchangeVersions(conn, 32, DaemonClient.MIN_PROTOCOL_VERSION));
        assertEquals("20000000", HexFormat.of().formatHex(written.toByteArray()));
    }

    @ParameterizedTest
    @ValueSource(ints = {26, 41})
    void olderThan27OrBeyondAnyRsyncIsRefused(int theirs) {
        byte[] version = {(byte) theirs, 0, 0, 0};
        Connection conn = new Connection(new ByteArrayInputStream(version), new ByteArrayOutputStream(), QUIET);
        RsyncException e = assertThrows(RsyncException.class,
                () -> ProtocolSetup.exchangeVersions(conn, 32, DaemonClient.MIN_PROTOCOL_VERSION));
        assertEquals(2, e.exitCode());
    }
}
