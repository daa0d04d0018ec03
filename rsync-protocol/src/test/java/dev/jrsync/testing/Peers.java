package dev.jrsync.testing;

import java.util.function.Supplier;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The one place a test says it needs a peer (stock rsync, inotify-tools, root). On a developer's machine a
 * missing peer skips the test with a message; in CI ({@code CI=true}, where .ci/run installs every peer) it
 * fails, so an interop test can never pass by not running.
 */
public final class Peers {
    private Peers() {}

    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Skips (or in CI fails) the current test unless {@code present}. */
    public static void require(boolean present, Supplier<String> absence) {
        if (!present && inCi()) {
            Assertions.fail("CI=true and a test peer is missing: " + absence.get());
        }
        Assumptions.assumeTrue(present, absence);
    }
}
