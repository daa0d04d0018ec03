package dev.jrsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where {@code jrsync --watch} keeps its tree index when {@code --watch-state} does not say. */
class WatchStateTest {
    @Test
    void theIndexGoesWhereXdgSaysStateBelongs() {
        assertEquals(Optional.of(Path.of("/var/state/jrsync")),
                WatchRun.defaultState(Map.of("XDG_STATE_HOME", "/var/state", "HOME", "/home/u")));
        assertEquals(Optional.of(Path.of("/home/u/.local/state/jrsync")),
                WatchRun.defaultState(Map.of("HOME", "/home/u")));
        // A relative XDG_STATE_HOME is invalid (XDG Base Directory): ignored.
        assertEquals(Optional.of(Path.of("/home/u/.local/state/jrsync")),
                WatchRun.defaultState(Map.of("XDG_STATE_HOME", "state", "HOME", "/home/u")));
        assertEquals(Optional.empty(), WatchRun.defaultState(Map.of()));
    }
}
