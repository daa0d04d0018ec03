package dev.jrsync.api.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jrsync.api.TransferSpec;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code jrsync --watch}'s command line as a mirror spec. */
class MirrorSpecParseTest {
    @Test
    void theWatchOptionsBecomeDelaysAndTheRestTheTransfer() {
        MirrorSpec spec = MirrorSpec.parse(List.of("-a", "--watch", "--delete", "--watch-delay", "50",
                "--watch-max-delay=700", "src/", "dst"), (user, module) -> null);
        assertEquals(Optional.of(Duration.ofMillis(50)), spec.delay());
        assertEquals(Optional.of(Duration.ofMillis(700)), spec.maxDelay());
        assertEquals(List.of(new TransferSpec.Setting("archive", null), new TransferSpec.Setting("delete", null)),
                spec.transfer().settings());
        assertEquals(List.of("src/"), spec.transfer().sources());
        assertEquals(Optional.of("dst"), spec.transfer().destination());
        assertEquals(Optional.empty(), MirrorSpec.parse(List.of("--watch", "-r", "a/", "b"), (u, m) -> null).delay());
    }

    @Test
    void theWatchBackendIsKeptForTheWatcher() {
        MirrorSpec spec = MirrorSpec.parse(List.of("-a", "--watch", "--watch-backend=fanotify", "src/", "dst"),
                (user, module) -> null);
        assertEquals(Optional.of("fanotify"), spec.watchBackend());
        assertEquals("fanotify", spec.options().watchBackend());
        assertEquals(List.of(new TransferSpec.Setting("archive", null)), spec.transfer().settings());
        assertEquals(null, MirrorSpec.parse(List.of("--watch", "-r", "a/", "b"), (u, m) -> null).options()
                .watchBackend());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MirrorSpec.parse(
                List.of("--watch", "--watch-backend=kqueue", "-r", "a/", "b"), (u, m) -> null));
        assertEquals(true, e.getMessage().contains("expected inotify, fanotify or auto"), e.getMessage());
    }

    @Test
    void aMirrorWithoutADestinationIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> MirrorSpec.parse(List.of("--watch", "-a", "src/"), (user, module) -> null));
    }
}
