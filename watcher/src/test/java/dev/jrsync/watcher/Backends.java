package dev.jrsync.watcher;

import static org.junit.jupiter.api.Assertions.fail;

import dev.jrsync.watcher.fanotify.FanotifyOrSkip;
import java.nio.file.Path;

/** The backends the behavioural tests run on; fanotify as {@link FanotifyOrSkip} allows. */
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
        FanotifyOrSkip.open(root).close();
    }
}
