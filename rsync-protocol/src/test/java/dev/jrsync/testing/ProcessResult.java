package dev.jrsync.testing;

import java.util.List;

/** What a finished external process left behind: its command line, exit code and captured output. */
public record ProcessResult(List<String> command, int exitCode, String stdout, String stderr) {

    /** Returns this result, or fails the test with the whole transcript when the exit code is not 0. */
    public ProcessResult assertSuccess() {
        if (exitCode != 0) {
            throw new AssertionError("command failed with exit code " + exitCode + "\n" + transcript());
        }
        return this;
    }

    /** Parses rsync's {@code --stats} block from stdout (the command must have been run with {@code --stats}). */
    public TransferStats stats() {
        return TransferStats.parse(stdout);
    }

    /** Command, exit code, stdout and stderr, for failure messages. */
    public String transcript() {
        return "$ " + String.join(" ", command) + "\nexit code: " + exitCode
                + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
    }
}
