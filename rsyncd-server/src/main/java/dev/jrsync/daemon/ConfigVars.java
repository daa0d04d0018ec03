package dev.jrsync.daemon;

import java.util.function.Function;

/**
 * {@code %VAR%} references in rsyncd.conf values ({@code rsync/loadparm.c:expand_vars}): a {@code %} followed by
 * an upper-case letter, up to the next {@code %}, names a variable; one that is set is replaced by its value, and
 * anything else (an unset name, an unpaired {@code %}, {@code %%}) stays as written, so a missing variable
 * cannot turn {@code /home/%X%} into {@code /home/}.
 *
 * <p>In the commands a shell runs ({@code early exec}, {@code pre-xfer exec}, {@code post-xfer exec}) a
 * {@code %RSYNC_*%} value may come from the client, so it is quoted for the shell context it lands in
 * ({@code expand_vars_shell_escape}), and one holding a character some shell would act on is refused
 * outright ({@code shell_unsafe_value}): quoting is right for one shell only, and a command such as
 * {@code sh -c '... %RSYNC_USER_NAME% ...'} hands the value to a second one.
 */
final class ConfigVars {
    /** The characters {@code shell_unsafe_value} refuses, besides control characters. */
    private static final String SHELL_UNSAFE = "'\"`$\\;&|<>()*?[]# !~{}";

    /** A {@code %RSYNC_*%} value that must not reach a shell; {@link #getMessage} is rsync's log line. */
    static final class UnsafeValue extends Exception {
        UnsafeValue(String var) {
            super("refusing to run shell hook: %" + var + "% holds a shell metacharacter");
        }
    }

    private enum Quote { NONE, SINGLE, DOUBLE }

    private ConfigVars() {
    }

    /** The value with each set variable's reference replaced, verbatim ({@code expand_vars(str, 0)}). */
    static String expand(String value, Function<String, String> env) {
        try {
            return expand(value, env, false);
        } catch (UnsafeValue e) {
            throw new AssertionError("no value is refused outside a shell command", e);
        }
    }

    /** A shell command with its references replaced, {@code RSYNC_*} ones quoted ({@code expand_vars(str, 1)}). */
    static String expandForShell(String command, Function<String, String> env) throws UnsafeValue {
        return expand(command, env, true);
    }

    private static String expand(String value, Function<String, String> env, boolean shell) throws UnsafeValue {
        if (value == null || value.indexOf('%') < 0) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        Quote quote = Quote.NONE;
        boolean escaped = false;
        int i = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c == '%' && i + 1 < value.length() && value.charAt(i + 1) >= 'A' && value.charAt(i + 1) <= 'Z') {
                int close = value.indexOf('%', i + 1);
                String name = close < 0 ? null : value.substring(i + 1, close);
                String val = name == null ? null : env.apply(name);
                if (val != null) {
                    if (shell && name.startsWith("RSYNC_")) {
                        if (unsafe(val)) {
                            throw new UnsafeValue(name);
                        }
                        val = quoted(val, quote);
                    }
                    out.append(val);
                    i = close + 1;
                    continue;
                }
            }
            if (shell) {
                // where the command's own text leaves the shell's quoting, which decides how a value is quoted
                if (quote == Quote.SINGLE) {
                    if (c == '\'') {
                        quote = Quote.NONE;
                    }
                } else if (escaped) {
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (quote == Quote.DOUBLE) {
                    if (c == '"') {
                        quote = Quote.NONE;
                    }
                } else if (c == '\'') {
                    quote = Quote.SINGLE;
                } else if (c == '"') {
                    quote = Quote.DOUBLE;
                }
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    private static boolean unsafe(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f || SHELL_UNSAFE.indexOf(c) >= 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * A safe value as one shell word: wrapped in single quotes, except inside the command's own single quotes,
     * which already hold it. Inside double quotes the wrap is kept too, for a second shell to see. A safe value
     * holds no quote, backslash, dollar or backtick, so nothing inside it needs escaping.
     */
    private static String quoted(String value, Quote quote) {
        return quote == Quote.SINGLE ? value : "'" + value + "'";
    }
}
