package dev.jrsync.filter;

import java.nio.charset.StandardCharsets;

/**
 * rsync's shell-style matcher over raw bytes ({@code rsync/lib/wildmatch.c}): {@code ?} and {@code *}
 * stop at '/', {@code **} crosses it, {@code [...]} classes (with {@code !}/{@code ^}, ranges and
 * {@code [:name:]} ASCII classes), and a backslash quotes the next character.
 */
public final class WildMatch {
    private WildMatch() {}

    private static final int TRUE = 1;
    private static final int FALSE = 0;
    /** The rest of the text cannot match at all: no shorter or longer {@code *} expansion helps. */
    private static final int ABORT_ALL = -1;
    /** A single {@code *} ran into a '/': only an enclosing {@code **} may go on trying. */
    private static final int ABORT_TO_STARSTAR = -2;

    /** Whether {@code pattern} matches all of {@code text}. */
    static boolean matches(byte[] pattern, byte[] text) {
        return match(pattern, 0, text, 0) == TRUE;
    }

    /** The same over text (a daemon's user, group and host names), both sides as UTF-8. */
    public static boolean matches(String pattern, String text) {
        return matches(pattern.getBytes(StandardCharsets.UTF_8), text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * rsync/lib/wildmatch.c:wildmatch_array over one already-joined text. {@code where} = 0: the whole
     * text; {@code > 0}: only its last {@code where} '/'-separated elements; {@code < 0}: the start of
     * the text or any point just after a '/'.
     */
    static boolean matchesArray(byte[] pattern, byte[] text, int where) {
        int start = where > 0 ? trailingElements(text, where) : 0;
        if (start < 0) {
            return false;
        }
        int matched = match(pattern, 0, text, start);
        if (matched != TRUE && where < 0 && matched != ABORT_ALL) {
            int t = start;
            while (true) {
                if (t >= text.length) {
                    return false;
                }
                if (text[t++] == '/' && (matched = match(pattern, 0, text, t)) != FALSE
                        && matched != ABORT_TO_STARSTAR) {
                    break;
                }
            }
        }
        return matched == TRUE;
    }

    /** rsync/lib/wildmatch.c:litmatch_array: a pattern without wildcards, same {@code where} as above. */
    static boolean literalArray(byte[] literal, byte[] text, int where) {
        int start = where > 0 ? trailingElements(text, where) : 0;
        if (start < 0 || text.length - start != literal.length) {
            return false;
        }
        for (int i = 0; i < literal.length; i++) {
            if (literal[i] != text[start + i]) {
                return false;
            }
        }
        return true;
    }

    // rsync/lib/wildmatch.c:trailing_N_elements; -1 when the text has fewer elements
    private static int trailingElements(byte[] text, int count) {
        for (int i = text.length - 1; i >= 0; i--) {
            if (text[i] == '/' && --count == 0) {
                return i + 1;
            }
        }
        return count == 1 ? 0 : -1;
    }

    private static int at(byte[] p, int i) {
        return i < p.length ? p[i] & 0xFF : 0;
    }

    // rsync/lib/wildmatch.c:dowild
    private static int match(byte[] p, int pi, byte[] text, int ti) {
        for (; pi < p.length; pi++, ti++) {
            int pc = p[pi] & 0xFF;
            if (ti >= text.length && pc != '*') {
                return ABORT_ALL;
            }
            int tc = at(text, ti);
            switch (pc) {
                case '?' -> {
                    if (tc == '/') {
                        return FALSE;
                    }
                }
                case '*' -> {
                    return star(p, pi, text, ti);
                }
                case '[' -> {
                    int end = charClass(p, pi, tc);
                    if (end < 0) {
                        return end == -1 ? ABORT_ALL : FALSE;
                    }
                    pi = end;
                }
                default -> {
                    if (pc == '\\') {
                        pc = at(p, ++pi);
                    }
                    if (tc != pc) {
                        return FALSE;
                    }
                }
            }
        }
        return ti < text.length ? FALSE : TRUE;
    }

    private static int star(byte[] p, int pi, byte[] text, int ti) {
        boolean doubled = at(p, pi + 1) == '*';
        pi++;
        while (at(p, pi) == '*' && pi < p.length) {
            pi++;
        }
        if (pi >= p.length) {
            // A trailing "**" takes everything; a trailing "*" only what is left of this element.
            if (!doubled) {
                for (int i = ti; i < text.length; i++) {
                    if (text[i] == '/') {
                        return FALSE;
                    }
                }
            }
            return TRUE;
        }
        for (; ti < text.length; ti++) {
            int matched = match(p, pi, text, ti);
            if (matched != FALSE) {
                if (!doubled || matched != ABORT_TO_STARSTAR) {
                    return matched;
                }
            } else if (!doubled && text[ti] == '/') {
                return ABORT_TO_STARSTAR;
            }
        }
        return ABORT_ALL;
    }

    /**
     * Matches {@code tc} against the class opening at {@code p[pi]}. Returns the index of its closing
     * ']', -1 for a malformed class (rsync's ABORT_ALL) or -2 when the character is not in it.
     */
    private static int charClass(byte[] p, int pi, int tc) {
        int pc = at(p, ++pi);
        if (pc == '^') {
            pc = '!';
        }
        boolean negated = pc == '!';
        if (negated) {
            pc = at(p, ++pi);
        }
        int prev = 0;
        boolean matched = false;
        while (true) { // the first member may be ']' itself, so test for the end after each member
            if (pc == 0) {
                return -1;
            }
            if (pc == '\\') {
                pc = at(p, ++pi);
                if (pc == 0) {
                    return -1;
                }
                matched |= tc == pc;
            } else if (pc == '-' && prev != 0 && at(p, pi + 1) != 0 && at(p, pi + 1) != ']') {
                pc = at(p, ++pi);
                if (pc == '\\') {
                    pc = at(p, ++pi);
                    if (pc == 0) {
                        return -1;
                    }
                }
                matched |= tc <= pc && tc >= prev;
                pc = 0; // a range's end cannot start another range
            } else if (pc == '[' && at(p, pi + 1) == ':') {
                int s = pi + 2;
                int e = s;
                while (at(p, e) != 0 && at(p, e) != ']') {
                    e++;
                }
                if (at(p, e) == 0) {
                    return -1;
                }
                int len = e - s - 1;
                if (len < 0 || at(p, e - 1) != ':') {
                    matched |= tc == '['; // no ":]": an ordinary '[' member after all
                } else {
                    Boolean in = namedClass(new String(p, s, len, StandardCharsets.ISO_8859_1), tc);
                    if (in == null) {
                        return -1;
                    }
                    matched |= in;
                    pi = e;
                    pc = 0;
                }
            } else {
                matched |= tc == pc;
            }
            prev = pc;
            pc = at(p, ++pi);
            if (pc == ']') {
                break;
            }
        }
        return matched == negated || tc == '/' ? -2 : pi;
    }

    // The C locale's ctype on single bytes: nothing above 0x7F belongs to a class.
    private static Boolean namedClass(String name, int c) {
        boolean alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        boolean digit = c >= '0' && c <= '9';
        boolean graph = c > 32 && c < 127;
        return switch (name) {
            case "alnum" -> alpha || digit;
            case "alpha" -> alpha;
            case "blank" -> c == ' ' || c == '\t';
            case "cntrl" -> c < 32 || c == 127;
            case "digit" -> digit;
            case "graph" -> graph;
            case "lower" -> c >= 'a' && c <= 'z';
            case "print" -> graph || c == ' ';
            case "punct" -> graph && !alpha && !digit;
            case "space" -> c == ' ' || (c >= 9 && c <= 13);
            case "upper" -> c >= 'A' && c <= 'Z';
            case "xdigit" -> digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            default -> null;
        };
    }
}
