package dev.jrsync.options;

/**
 * Backslash quoting of option values in the server argument list. rsync's client escapes them because
 * a remote shell would otherwise interpret them ({@code rsync/options.c:safe_arg}); a daemon since
 * 3.4.4 removes the escapes again ({@code rsync/io.c:unbackslash_arg}), 3.2.7's does not.
 */
final class SafeArg {
    private SafeArg() {}

    /** Shell metacharacters plus the wildcard characters, all escaped in an option value. */
    private static final String ESCAPED = "*?[]!#$&;|<>(){}\"'` \t\n\r\\";

    /** {@code value} with a backslash before each character a shell or a glob would interpret. */
    // rsync/options.c:safe_arg (option form, i.e. not a file-name argument)
    static String escapeOptionValue(String value) {
        StringBuilder sb = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (ESCAPED.indexOf(c) >= 0) {
                if (sb == null) {
                    sb = new StringBuilder(value.length() + 8).append(value, 0, i);
                }
                sb.append('\\');
            }
            if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? value : sb.toString();
    }

    /** The shell metacharacters escaped in a file-name argument; wildcards stay, for the remote shell to expand. */
    private static final String SHELL_CHARS = "!#$&;|<>(){}\"'` \t\n\r\\";
    private static final String WILDCARDS = "*?[]";

    /**
     * A path argument for a remote shell's command line (rsync 3.5's {@code safe_arg} for a file name): shell
     * metacharacters, newlines included, escaped, a backslash doubled unless it escapes a wildcard, and a leading
     * "-" made "./-" so that it cannot read as an option.
     */
    static String escapeFileName(String arg) {
        StringBuilder sb = new StringBuilder(arg.length() + 8);
        if (arg.startsWith("-")) {
            sb.append("./");
        }
        for (int i = 0; i < arg.length(); i++) {
            char c = arg.charAt(i);
            if (c == '\\') {
                if (i + 1 >= arg.length() || WILDCARDS.indexOf(arg.charAt(i + 1)) < 0) {
                    sb.append('\\');
                }
            } else if (SHELL_CHARS.indexOf(c) >= 0) {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /**
     * A path argument that no shell will see (rsync's {@code safe_arg} with {@code -s} or {@code --old-args}): only
     * a leading "-" made "./-".
     */
    static String dashFree(String arg) {
        return arg.startsWith("-") ? "./" + arg : arg;
    }

    /** Undoes {@link #escapeOptionValue}: drops each backslash that has a character after it. */
    // rsync/io.c:unbackslash_arg
    static String unescape(String arg) {
        if (arg.indexOf('\\') < 0) {
            return arg;
        }
        StringBuilder sb = new StringBuilder(arg.length());
        for (int i = 0; i < arg.length(); i++) {
            char c = arg.charAt(i);
            if (c == '\\' && i + 1 < arg.length()) {
                c = arg.charAt(++i);
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
