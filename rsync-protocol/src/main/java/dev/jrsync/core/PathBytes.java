package dev.jrsync.core;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * File names as the byte strings the kernel holds (rsync's C code never decodes them). A JDK {@link Path}
 * keeps a name's bytes, but turning it into a String ({@code toString}, {@code resolve(String)},
 * {@code Path.of(String)}) decodes and re-encodes it in the platform's file-name charset, and a name that is
 * not valid there (Latin-1 {@code caf\xe9} under a UTF-8 locale) becomes U+FFFD: two such names collapse into
 * one. The only byte-exact doors the JDK offers are its {@code file:} URIs, whose percent-escapes are the raw
 * bytes both ways ({@link Path#toUri()}, {@link Path#of(URI)}), and {@link Path#resolve(Path)},
 * {@link Path#relativize} and {@link Path#getFileName()}, which work on those bytes. This class uses them only
 * for names the charset cannot carry; every other name takes the String route, which costs nothing extra.
 */
public final class PathBytes {
    private PathBytes() {}

    /** How the JDK turns file names into strings and back. */
    static final Charset FS = Charset.forName(System.getProperty("sun.jnu.encoding"), StandardCharsets.UTF_8);
    private static final Path ROOT = Path.of("/");
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** The bytes of {@code path} as the kernel sees them (relative stays relative). */
    public static byte[] of(Path path) {
        String s = path.toString();
        if (s.indexOf('\uFFFD') < 0) {
            // nothing was replaced in decoding, so encoding gives the bytes back
            return s.getBytes(FS);
        }
        boolean relative = !path.isAbsolute();
        String raw = (relative ? ROOT.resolve(path) : path).toUri().getRawPath();
        byte[] b = new byte[raw.length()];
        int n = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                b[n++] = (byte) Integer.parseInt(raw, i + 1, i + 3, 16);
                i += 2;
            } else {
                b[n++] = (byte) c;
            }
        }
        // toUri marks a directory with a trailing '/', which a Path never has
        if (n > 1 && b[n - 1] == '/') {
            n--;
        }
        int from = relative ? 1 : 0;
        byte[] out = new byte[n - from];
        System.arraycopy(b, from, out, 0, out.length);
        return out;
    }

    /** A path (relative unless {@code name} starts with '/') naming exactly {@code name}'s bytes; no NUL. */
    public static Path path(byte[] name) {
        return path(name, 0, name.length);
    }

    /** As {@link #path(byte[])}, for {@code name[off, off+len)}. */
    public static Path path(byte[] name, int off, int len) {
        String decoded = decode(name, off, len);
        if (decoded != null) {
            return Path.of(decoded);
        }
        boolean relative = len == 0 || name[off] != '/';
        StringBuilder uri = new StringBuilder(len * 3 + 8).append(relative ? "file:///" : "file://");
        for (int i = off; i < off + len; i++) {
            int b = name[i] & 0xFF;
            if (b == 0) {
                throw new IllegalArgumentException("a file name holds no NUL byte");
            }
            if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '/'
                    || b == '-' || b == '_' || b == '.' || b == '~') {
                uri.append((char) b);
            } else {
                uri.append('%').append(HEX[b >> 4]).append(HEX[b & 15]);
            }
        }
        Path absolute = Path.of(URI.create(uri.toString()));
        return relative ? ROOT.relativize(absolute) : absolute;
    }

    /** {@code dir} joined with the relative name {@code name}, byte for byte. */
    public static Path resolve(Path dir, byte[] name) {
        return dir.resolve(path(name));
    }

    /**
     * A name as text that maps back to the same bytes ({@link #bytes(String)}), for code that keeps names in
     * Strings (the watcher's events, the mirror's snapshot and batches, path arguments): UTF-8, with each byte
     * that is not part of valid UTF-8 held as the lone surrogate U+DC80+byte (PEP 383's "surrogateescape";
     * valid text never holds a lone surrogate, so nothing else maps to it).
     */
    public static String text(byte[] name) {
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(name);
        CharBuffer out = CharBuffer.allocate(name.length);
        for (CoderResult r = utf8.decode(in, out, true); r.isError(); r = utf8.decode(in, out, true)) {
            for (int k = 0; k < r.length(); k++) {
                out.put((char) (0xDC00 + (in.get() & 0xFF)));
            }
        }
        return out.flip().toString();
    }

    /** {@link #text(byte[])} of a path's bytes. */
    public static String text(Path path) {
        return text(of(path));
    }

    /** The bytes of a name {@link #text(byte[])} made (any other text: its UTF-8). */
    public static byte[] bytes(String text) {
        int escape = -1;
        for (int i = 0; i < text.length() && escape < 0; i++) {
            char c = text.charAt(i);
            escape = c >= 0xDC80 && c <= 0xDCFF ? i : -1;
        }
        if (escape < 0) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(text.length() + 8);
        int plain = 0;
        for (int i = escape; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0xDC80 && c <= 0xDCFF && (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1)))) {
                out.writeBytes(text.substring(plain, i).getBytes(StandardCharsets.UTF_8));
                out.write(c - 0xDC00);
                plain = i + 1;
            }
        }
        out.writeBytes(text.substring(plain).getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** The path a name {@link #text(byte[])} made stands for. */
    public static Path path(String text) {
        return path(bytes(text));
    }

    /** The name's text when the file-name charset carries it exactly, else null. */
    private static String decode(byte[] name, int off, int len) {
        boolean ascii = true;
        for (int i = off; i < off + len && ascii; i++) {
            ascii = name[i] > 0;
        }
        if (ascii) {
            return new String(name, off, len, StandardCharsets.ISO_8859_1);
        }
        try {
            String s = FS.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(name, off, len)).toString();
            return s.indexOf('\uFFFD') < 0 && s.indexOf('\0') < 0 ? s : null;
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
