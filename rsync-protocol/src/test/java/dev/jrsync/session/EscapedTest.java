package dev.jrsync.session;

import dev.jrsync.core.Escaped;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EscapedTest {

    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    @Test
    void latin1BytesAreEscapedOneByOne() {
        assertEquals("caf\\#351", Escaped.of(bytes('c', 'a', 'f', 0xE9)));
        assertEquals("caf\\#350", Escaped.of(bytes('c', 'a', 'f', 0xE8)));
    }

    @Test
    void validUtf8IsKept() {
        assertEquals("café/日本", Escaped.of("café/日本".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aNewlineCannotStartANewLine() {
        assertEquals("a\\#012fake log line", Escaped.of("a\nfake log line"));
        assertEquals("tab\\#011x\\#177", Escaped.of(bytes('t', 'a', 'b', 9, 'x', 0x7F)));
    }

    @Test
    void anEscapeLookalikeIsEscapedItself() {
        assertEquals("\\#134#012", Escaped.of("\\#012"));
        assertEquals("a\\b", Escaped.of("a\\b"));
    }

    @Test
    void truncatedOverlongAndSurrogateSequencesAreBytes() {
        assertEquals("\\#342\\#202", Escaped.of(bytes(0xE2, 0x82)));
        assertEquals("\\#300\\#257", Escaped.of(bytes(0xC0, 0xAF)));
        assertEquals("\\#355\\#240\\#200", Escaped.of(bytes(0xED, 0xA0, 0x80)));
    }

    @Test
    void c1ControlsAreEscaped() {
        assertEquals("\\#302\\#205", Escaped.of("\u0085"));
    }

    /** What a daemon sends its client: the bytes, which the client escapes once when it prints them. */
    @Test
    void rawUndoesTheEscapes() {
        byte[][] names = {bytes('c', 'a', 'f', 0xE9), "a\nb\\#012c\\d".getBytes(StandardCharsets.UTF_8),
                "café/日本\t".getBytes(StandardCharsets.UTF_8), bytes(0xED, 0xA0, 0x80, '\\'), bytes()};
        for (byte[] name : names) {
            assertArrayEquals(name, Escaped.raw(Escaped.of(name)), Escaped.of(name));
        }
        assertArrayEquals(bytes('x', 0xE9, '\\', '#', '3', '9', '9'), Escaped.raw("x\\#351\\#399"));
        assertArrayEquals(bytes('\\', '#', '0', '1'), Escaped.raw("\\#01"));
    }
}
