package dev.jrsync.watcher;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import dev.jrsync.fs.Posix;
import dev.jrsync.watcher.fanotify.Fanotify;
import dev.jrsync.watcher.inotify.ErrnoException;
import java.nio.file.Path;

/**
 * The backends the behavioural tests run on. fanotify is skipped, saying why, where the kernel refuses it (no
 * CAP_SYS_ADMIN, a kernel before 5.17), except in CI as root, where it must work.
 */
final class Backends {
    private Backends() {}

    static WatchOptions options(WatchOptions.Backend backend, Path root) {
        if (backend == WatchOptions.Backend.FANOTIFY) {
            requireFanotify(root);
        }
        return WatchOptions.defaults().withBackend(backend)
                .withWarnings(m -> fail("unexpected warning from the " + backend + " watcher: " + m));
    }

    static void requireFanotify(Path root) {
        try (Fanotify f = Fanotify.open(root)) {
            return;
        } catch (ErrnoException e) {
            String why = "fanotify is not permitted here (" + e.getMessage() + "): it needs CAP_SYS_ADMIN and Linux 5.17+";
            if ("true".equals(System.getenv("CI")) && Posix.geteuid() == 0) {
                fail("running as root in CI, fanotify must work: " + why);
            }
            abort(why);
        }
    }
}
