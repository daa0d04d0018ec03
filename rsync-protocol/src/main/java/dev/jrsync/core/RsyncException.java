package dev.jrsync.core;

/** A failure that ends the run with one of rsync's exit codes and a message the user can act on. */
public class RsyncException extends RuntimeException {
    private final int exitCode;

    public RsyncException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public RsyncException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
