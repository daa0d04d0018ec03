package dev.jrsync.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import dev.jrsync.wire.AllocationRefused;
import dev.jrsync.wire.ProtocolException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

/** The one table from what stopped a session to rsync's exit code, as rsync's log.c:rerr_names names them. */
class SessionRunnerTest {
    @Test
    void eachFailureEndsWithRsyncsCode() {
        RsyncException own = new RsyncException(ExitCode.FILE_SELECT, "ERROR: no such module");
        assertSame(own, SessionRunner.failure(own));
        assertEquals(ExitCode.MALLOC, SessionRunner.failure(new AllocationRefused("--max-alloc")).exitCode());
        RsyncException stream = SessionRunner.failure(new ProtocolException("bad varint"));
        assertEquals(ExitCode.STREAM_IO, stream.exitCode());
        assertEquals("rsync: bad varint (error in rsync protocol data stream)", stream.getMessage());
        RsyncException timeout = SessionRunner.failure(
                new UncheckedIOException(new SocketTimeoutException("timeout after 5 s")));
        assertEquals(ExitCode.TIMEOUT, timeout.exitCode());
        RsyncException closed = SessionRunner.failure(new UncheckedIOException(new IOException("Broken pipe")));
        assertEquals(ExitCode.STREAM_IO, closed.exitCode());
        assertEquals("rsync: connection unexpectedly closed: Broken pipe", closed.getMessage());
        assertEquals(ExitCode.IPC, SessionRunner.failure(new IllegalStateException("bug")).exitCode());
    }

    @Test
    void anUnusableArgumentIsASyntaxErrorOnlyOutsideTheRoles() {
        IllegalArgumentException bad = new IllegalArgumentException("a transport carries a daemon session");
        RsyncException atEntry = SessionRunner.clientFailure(bad);
        assertEquals(ExitCode.SYNTAX, atEntry.exitCode());
        assertEquals("jrsync: a transport carries a daemon session", atEntry.getMessage());
        RsyncException inRoles = assertThrows(RsyncException.class, () -> SessionRunner.run(() -> {
            throw bad;
        }));
        assertEquals(ExitCode.IPC, inRoles.exitCode());
        assertEquals(ExitCode.IPC, SessionRunner.clientFailure(inRoles).exitCode(), "mapped once, kept after");
        assertTrue(inRoles.getMessage().startsWith("rsync: internal error"), inRoles.getMessage());
    }

    @Test
    void aFinishedSessionsIoErrorBitsGiveItsCode() {
        assertEquals(ExitCode.OK, SessionRunner.exitCode(0));
        assertEquals(ExitCode.VANISHED, SessionRunner.exitCode(Connection.IOERR_VANISHED));
        assertEquals(ExitCode.PARTIAL, SessionRunner.exitCode(Connection.IOERR_GENERAL));
        assertEquals(ExitCode.PARTIAL, SessionRunner.exitCode(Connection.IOERR_GENERAL | Connection.IOERR_VANISHED));
        assertEquals(42, SessionRunner.run(() -> 42));
    }

    /** rsync/cleanup.c:exit_cleanup's order: a general error, then vanished files, then the --max-delete limit. */
    @Test
    void ioErrorBitsMapToRsyncsExitCodes() {
        assertEquals(ExitCode.OK, SessionRunner.exitCode(0));
        assertEquals(ExitCode.DEL_LIMIT, SessionRunner.exitCode(Connection.IOERR_DEL_LIMIT));
        assertEquals(ExitCode.VANISHED, SessionRunner.exitCode(Connection.IOERR_DEL_LIMIT | Connection.IOERR_VANISHED));
        assertEquals(ExitCode.PARTIAL, SessionRunner.exitCode(Connection.IOERR_GENERAL | Connection.IOERR_VANISHED));
        assertEquals(ExitCode.PARTIAL, SessionRunner.exitCode(64));
    }
}
