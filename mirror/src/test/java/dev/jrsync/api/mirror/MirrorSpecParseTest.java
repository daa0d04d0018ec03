package dev.jrsync.api.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.api.TransferSpec;
import java.nio.file.Path;
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

    /** --watch-state names the index's directory; without it (or with --no-watch-state) the spec keeps none. */
    @Test
    void theStateDirectoryIsTheIndexsAndNoneByDefault() {
        MirrorSpec spec = MirrorSpec.parse(List.of("-a", "--watch", "--watch-state=/var/lib/m", "src/", "dst"),
                (user, module) -> null);
        assertEquals(Optional.of(Path.of("/var/lib/m")), spec.state());
        assertEquals("/var/lib/m", spec.options().watchState());
        assertEquals(List.of(new TransferSpec.Setting("archive", null)), spec.transfer().settings());
        assertEquals(Optional.empty(), MirrorSpec.parse(List.of("--watch", "-r", "a/", "b"), (u, m) -> null).state());
        assertEquals(Optional.empty(), MirrorSpec.parse(List.of("--watch", "--no-watch-state", "-r", "a/", "b"),
                (u, m) -> null).state());
    }

    @Test
    void eachWatchTargetIsOneMoreDestinationAfterTheLastOperand() {
        MirrorSpec spec = MirrorSpec.parse(List.of("-a", "--watch", "src/", "dst", "--watch-target=rsync://h/m/",
                "--watch-target", "/mnt/copy"), (user, module) -> null);
        assertEquals(List.of("dst", "rsync://h/m/", "/mnt/copy"), spec.destinations());
        assertEquals(Optional.of("dst"), spec.transfer().destination());
        assertEquals(List.of("rsync://h/m/", "/mnt/copy"), spec.options().watchTargets());
        assertThrows(IllegalArgumentException.class, () -> MirrorSpec.parse(List.of("--watch", "-a", "src/", "dst",
                "--watch-target=dst"), (user, module) -> null));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MirrorSpec.parse(List.of("-a", "src/", "dst",
                "--watch-target=other"), (user, module) -> null)).getMessage()
                .contains("--watch-target needs --watch"));
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
