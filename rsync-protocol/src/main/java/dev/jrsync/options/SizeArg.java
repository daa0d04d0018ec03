package dev.jrsync.options;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Size-valued option arguments ({@code --max-size}, {@code --min-size}, {@code --bwlimit},
 * {@code --block-size}): a decimal number with an optional fraction, a unit letter (B, K, M, G, T, P;
 * the option's default when absent), then "B" for powers of 1000 or nothing/"iB" for powers of 1024,
 * then optionally "+1" or "-1" ({@code rsync/options.c:parse_size_arg}).
 */
final class SizeArg {
    private SizeArg() {}

    /** What C's {@code strtod} reads from the start of the text (rsync applies it to the whole argument). */
    private static final Pattern LEADING_NUMBER =
            Pattern.compile("^[ \\t\\n\\u000b\\f\\r]*[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    /**
     * Parses {@code text} for the option {@code optName} (without dashes, for messages).
     *
     * @param defaultUnit  the unit letter assumed when none is given
     * @param min          the smallest accepted value
     * @param max          the largest accepted value, or -1 for "no limit but the type's"
     * @param zeroUnlimited whether 0 is accepted below {@code min} (it means "unlimited")
     */
    // rsync/options.c:parse_size_arg
    static long parse(String text, char defaultUnit, String optName, long min, long max, boolean zeroUnlimited) {
        long sizeMax = max >= 0 ? max : Long.MAX_VALUE;
        int len = text.length();
        int i = skipDigits(text, 0);
        if (i < len && text.charAt(i) == '.') {
            i = skipDigits(text, i + 1);
        }
        char unit = i < len && text.charAt(i) != '+' && text.charAt(i) != '-' ? text.charAt(i++) : defaultUnit;
        int reps = "bkmgtp".indexOf(Character.toLowerCase(unit));
        if (reps < 0) {
            throw failure(text, optName, "invalid", null, -1, zeroUnlimited);
        }
        long mult;
        if (i < len && (text.charAt(i) == 'b' || text.charAt(i) == 'B')) {
            mult = 1000;
            i++;
        } else if (i == len || text.charAt(i) == '+' || text.charAt(i) == '-') {
            mult = 1024;
        } else if (text.regionMatches(true, i, "ib", 0, 2)) {
            mult = 1024;
            i += 2;
        } else {
            throw failure(text, optName, "invalid", null, -1, zeroUnlimited);
        }
        long size = 1;
        for (int r = 0; r < reps; r++) {
            if (size > sizeMax / mult) {
                throw failure(text, optName, "too large", "max", max, zeroUnlimited);
            }
            size *= mult;
        }
        double number = leadingNumber(text);
        double limit = (double) sizeMax / size;
        if (number < 0 || number > limit || (max < 0 && number >= limit)) {
            throw failure(text, optName, "too large", "max", max, zeroUnlimited);
        }
        size = (long) (number * size);
        // The +1/-1 adjustment only counts after a number, so "-1" alone stays a (negative) number.
        if (i > 0 && i + 1 < len && (text.charAt(i) == '+' || text.charAt(i) == '-') && text.charAt(i + 1) == '1') {
            if (text.charAt(i) == '+') {
                if (size == sizeMax) {
                    throw failure(text, optName, "too large", "max", max, zeroUnlimited);
                }
                size++;
            } else {
                size--;
            }
            i += 2;
        }
        if (i < len) {
            throw failure(text, optName, "invalid", null, -1, zeroUnlimited);
        }
        if (size < 0 || (max >= 0 && size > max)) {
            throw failure(text, optName, "too large", "max", max, zeroUnlimited);
        }
        if (size < min && (!zeroUnlimited || size != 0)) {
            throw failure(text, optName, "too small", "min", min, zeroUnlimited);
        }
        return size;
    }

    private static int skipDigits(String s, int i) {
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i;
    }

    private static double leadingNumber(String text) {
        Matcher m = LEADING_NUMBER.matcher(text);
        return m.find() ? Double.parseDouble(m.group().strip()) : 0;
    }

    private static OptionException failure(String text, String optName, String what, String minMax, long limit,
                                           boolean zeroUnlimited) {
        StringBuilder sb = new StringBuilder("--").append(optName).append('=').append(text).append(" is ").append(what);
        if (minMax != null && limit >= 0) {
            sb.append(" (").append(minMax).append(": ").append(humanNumber(limit));
            if (zeroUnlimited && minMax.equals("min")) {
                sb.append(" or 0 for unlimited");
            }
            sb.append(')');
        }
        return OptionException.syntax(sb.toString());
    }

    /** A limit as rsync shows it in these messages: powers of 1024 with two decimals, small values plain. */
    // rsync/lib/compat.c:do_big_num with human_flag 3
    static String humanNumber(long n) {
        if (n < 1024) {
            return Long.toString(n);
        }
        double d = n / 1024.0;
        String units = "KMGTP";
        int u = 0;
        while (d >= 1024 && u < units.length() - 1) {
            d /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.2f%c", d, units.charAt(u));
    }
}
