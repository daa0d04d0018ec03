package dev.jrsync.watcher.fanotify;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import dev.jrsync.fs.Posix;
import dev.jrsync.watcher.inotify.ErrnoException;
import java.nio.file.Path;

/**
 * A fanotify mark for a test, or the test skipped saying why the kernel refused it (no CAP_SYS_ADMIN, a kernel
 * before 5.17); in CI as root the refusal fails the test instead, as fanotify must work there.
 */
public final class FanotifyOrSkip {
    private FanotifyOrSkip() {}

    public static Fanotify open(Path root) {
        try {
            return Fanotify.open(root);
        } catch (ErrnoException e) {
            String why = "fanotify is not permitted here (" + e.getMessage()
                    + "): it needs CAP_SYS_ADMIN and Linux 5.17+";
            if ("true".equals(System.getenv("CI")) && Posix.geteuid() == 0) {
                fail("running as root in CI, fanotify must work: " + why);
            }
            return abort(why);
        }
    }
}
