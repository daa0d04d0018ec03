package dev.jrsync.api;

/** A line of text rsync would print: information, or a warning or error (both on rsync's stderr). */
public record Message(Level level, String text) {
    /** Where rsync would print the line. */
    public enum Level {
        /** stdout: the daemon's greeting text (MOTD), listings, verbose lines */
        INFO,
        /** stderr: warnings and errors, including the peer's */
        ERROR
    }
}
