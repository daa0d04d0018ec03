package dev.jrsync.options;

import dev.jrsync.core.ExitCode;

/**
 * A command line (or a server argument list) that rsync's option parsing would reject. The message is
 * the line rsync prints, with "jrsync" in place of "rsync"; {@link #exitCode()} is the code rsync exits
 * with: {@link ExitCode#SYNTAX} for anything popt or {@code parse_arguments} refuses,
 * {@link ExitCode#UNSUPPORTED} for an unknown checksum or compression name.
 */
public class OptionException extends RuntimeException {
    /** rsync's program-name prefix on option errors ({@code RSYNC_NAME ": "}), renamed. */
    static final String PREFIX = "jrsync: ";

    private final int exitCode;

    public OptionException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    /** A syntax error: {@code "jrsync: " + detail}, exit code 1. */
    static OptionException syntax(String detail) {
        return new OptionException(PREFIX + detail, ExitCode.SYNTAX);
    }

    public int exitCode() {
        return exitCode;
    }
}
