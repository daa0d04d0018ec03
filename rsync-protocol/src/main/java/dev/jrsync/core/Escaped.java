package dev.jrsync.core;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Text a peer or the file system supplied, made safe to print or log (rsync/log.c:filtered_fwrite, as rsync
 * runs in a UTF-8 locale): control characters and bytes that are not valid UTF-8 become {@code \#ooo} (three
 * octal digits), so a newline in a name cannot forge a log line and {@code caf\xe9} prints as
 * {@code caf\#351}. A backslash that would start such an escape is escaped itself, so the output maps back to
 * one byte string.
 */
public final class Escaped {
    private Escaped() {}

    /** The escaped form of a byte string (a file name, a symlink target, a path argument). */
    public static String of(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length + 8);
        int i = 0;
        while (i < bytes.length) {
            int b = bytes[i] & 0xFF;
            if (b < 0x80) {
                if (b < 0x20 || b == 0x7F || (b == '\\' && i + 1 < bytes.length && bytes[i + 1] == '#')) {
                    octal(sb, b);
                } else {
                    sb.append((char) b);
                }
                i++;
                continue;
            }
            int len = utf8Length(bytes, i);
            int cp = len == 0 ? -1 : new String(bytes, i, len, StandardCharsets.UTF_8).codePointAt(0);
            if (cp < 0 || Character.isISOControl(cp) || !printable(cp)) {
                int n = Math.max(len, 1);
                for (int k = 0; k < n; k++) {
                    octal(sb, bytes[i + k] & 0xFF);
                }
                i += n;
            } else {
                sb.appendCodePoint(cp);
                i += len;
            }
        }
        return sb.toString();
    }

    /** The escaped form of a path's bytes (a JDK Path keeps them; its toString would not). */
    public static String of(Path path) {
        return of(PathBytes.of(path));
    }

    /**
     * The escaped form of text already decoded (an argument, a user name, an error from the JDK), or of a name
     * {@link PathBytes#text} made.
     */
    public static String of(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7F || c == '\\' || (c >= 0x80 && c <= 0x9F) || Character.isSurrogate(c)) {
                return of(PathBytes.bytes(text));
            }
        }
        return text;
    }

    /**
     * The byte string an escaped text stands for, the inverse of {@link #of(byte[])}: each {@code \#ooo} back
     * to its byte, the rest as {@link PathBytes#bytes} gives it. What goes to a peer is raw, as rsync sends it
     * (rsync/log.c:rwrite): the side that prints escapes it, and escaping here as well would show the
     * backslash escaped ({@code caf\#134#351}). Text that holds such a sequence without having been escaped
     * maps to the byte too, which printing escapes back to the same sequence.
     */
    public static byte[] raw(String escaped) {
        int at = escaped.indexOf("\\#");
        if (at < 0) {
            return PathBytes.bytes(escaped);
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(escaped.length());
        int plain = 0;
        for (; at >= 0; at = escaped.indexOf("\\#", at + 1)) {
            if (at + 5 <= escaped.length() && octalDigit(escaped, at + 2, '3') && octalDigit(escaped, at + 3, '7')
                    && octalDigit(escaped, at + 4, '7')) {
                out.writeBytes(PathBytes.bytes(escaped.substring(plain, at)));
                out.write(Integer.parseInt(escaped, at + 2, at + 5, 8));
                plain = at + 5;
                at += 4;
            }
        }
        out.writeBytes(PathBytes.bytes(escaped.substring(plain)));
        return out.toByteArray();
    }

    private static boolean octalDigit(String s, int i, char max) {
        char c = s.charAt(i);
        return c >= '0' && c <= max;
    }

    private static void octal(StringBuilder sb, int b) {
        sb.append("\\#").append((char) ('0' + (b >> 6))).append((char) ('0' + ((b >> 3) & 7)))
                .append((char) ('0' + (b & 7)));
    }

    private static boolean printable(int cp) {
        int type = Character.getType(cp);
        return type != Character.UNASSIGNED && type != Character.SURROGATE && type != Character.FORMAT
                && type != Character.PRIVATE_USE;
    }

    /** The length of the well-formed UTF-8 sequence starting at {@code i}, or 0 when there is none. */
    private static int utf8Length(byte[] s, int i) {
        int b = s[i] & 0xFF;
        int len;
        int min;
        if (b >= 0xC2 && b <= 0xDF) {
            len = 2;
            min = 0x80;
        } else if (b >= 0xE0 && b <= 0xEF) {
            len = 3;
            min = 0x800;
        } else if (b >= 0xF0 && b <= 0xF4) {
            len = 4;
            min = 0x10000;
        } else {
            return 0;
        }
        if (i + len > s.length) {
            return 0;
        }
        int cp = b & (0xFF >> (len + 1));
        for (int k = 1; k < len; k++) {
            int c = s[i + k] & 0xFF;
            if ((c & 0xC0) != 0x80) {
                return 0;
            }
            cp = (cp << 6) | (c & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            return 0;
        }
        return len;
    }
}
