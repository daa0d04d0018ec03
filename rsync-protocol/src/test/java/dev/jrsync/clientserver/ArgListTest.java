package dev.jrsync.clientserver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jrsync.wire.ProtocolException;
import dev.jrsync.wire.ProtocolInput;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ArgList}'s byte formats, as rsync's read_args and send_protected_args have them. */
class ArgListTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static ProtocolInput input(String s) {
        return new ProtocolInput(new ByteArrayInputStream(bytes(s)), 32);
    }

    @Test
    void listsEndWithAnEmptyArgumentInEitherSeparator() {
        List<String> args = List.of("--server", "-logDtpre.iLsfxCIvu", ".", "mod/a b");
        assertArrayEquals(bytes("--server\0-logDtpre.iLsfxCIvu\0.\0mod/a b\0\0"), ArgList.encode(args, 0));
        assertArrayEquals(bytes("--server\n-logDtpre.iLsfxCIvu\n.\nmod/a b\n\n"),
                ArgList.encode(args, ArgList.separator(29)));
        assertEquals(args, ArgList.read(input("--server\0-logDtpre.iLsfxCIvu\0.\0mod/a b\0\0"), 0));
        // a telnet user's CR LF before protocol 30
        assertEquals(args, ArgList.read(input("--server\r\n-logDtpre.iLsfxCIvu\r\n.\r\nmod/a b\r\n\r\n"), '\n'));
    }

    @Test
    void theSecludedListHasAProgramNameAndNoEmptyArgument() {
        byte[] sent = ArgList.secluded(List.of("--delete", ".", "", "a\nb"));
        assertArrayEquals(bytes("rsync\0--delete\0.\0.\0a\nb\0\0"), sent);
        assertEquals(List.of("--delete", ".", ".", "a\nb"),
                ArgList.readSecluded(new ProtocolInput(new ByteArrayInputStream(sent), 32)));
        assertEquals(List.of(), ArgList.readSecluded(input("\0")));
    }

    @Test
    void aPeerCannotMakeTheListUnbounded() {
        assertThrows(ProtocolException.class, () -> ArgList.read(input("x".repeat(ArgList.MAX_ARG_LENGTH + 1)), 0));
        assertThrows(ProtocolException.class, () -> ArgList.read(input("-x\0".repeat(ArgList.MAX_ARGS + 1)), 0));
    }
}
