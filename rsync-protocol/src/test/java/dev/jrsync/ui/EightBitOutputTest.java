package dev.jrsync.ui;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.jrsync.core.Escaped;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** {@code -8}: the bytes a line goes out as, against what rsync 3.5.0 {@code -8} prints for the same names. */
class EightBitOutputTest {
    private static byte[] printed(String line) {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        PrintStream out = EightBitOutput.of(new PrintStream(sink, false, StandardCharsets.UTF_8));
        out.print(line);
        out.flush();
        return sink.toByteArray();
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Test
    void aHighBitByteGoesOutRaw() {
        String line = ">f+++++++++ " + Escaped.of(hex("68 69 f9 6e 61 6d 65")); // hi\#371name
        assertArrayEquals(hex("3e 66 2b 2b 2b 2b 2b 2b 2b 2b 2b 20 68 69 f9 6e 61 6d 65"), printed(line));
    }

    @Test
    void controlCharactersAndABackslashStayEscaped() {
        // a newline, then a name holding the text "\#371": rsync escapes its backslash, and -8 keeps that escape
        byte[] name = hex("61 0a 5c 23 33 37 31");
        assertArrayEquals("a\\#012\\#134#371".getBytes(StandardCharsets.US_ASCII), printed(Escaped.of(name)));
    }

    @Test
    void anEscapeAfterAStrayBackslashAndAtTheEndIsFound() {
        assertArrayEquals(hex("5c e9"), printed("\\\\#351"));
        assertArrayEquals(hex("5c 23 34 ff"), printed("\\#4\\#377"));
        assertArrayEquals(hex("5c 23 33"), printed("\\#3"));
    }

    @Test
    void textKeptAsCharactersGoesOutAsTheUtf8ItCameFrom() {
        assertArrayEquals(hex("63 61 66 c3 a9"), printed(Escaped.of(hex("63 61 66 c3 a9"))));
    }
}
