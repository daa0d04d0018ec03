package dev.jrsync.api;

import java.time.Duration;
import java.util.Optional;

/**
 * How a transfer ended. A failure is an outcome, not an exception: its exit code is the one rsync would give
 * ({@code 0} success, {@code 23} partial transfer, {@code 24} vanished source files, {@code 20} cancelled, ...),
 * and {@link #error()} says why, as rsync would print it.
 *
 * @param exitCode rsync's exit code
 * @param error    what ended the transfer early, if it did
 * @param stats    the figures of what was done; zeros for a transfer that never started
 * @param elapsed  from the start of the transfer to its end
 */
public record TransferOutcome(int exitCode, Optional<String> error, Stats stats, Duration elapsed) {
    /** Whether everything was transferred (exit code 0). */
    public boolean ok() {
        return exitCode == 0;
    }
}
