package dev.jrsync.options;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jrsync.options.ServerArgsGoldens.Case;
import dev.jrsync.options.ServerArgsGoldens.Direction;
import dev.jrsync.testing.ArgsRecordingDaemon;
import dev.jrsync.testing.Peers;
import dev.jrsync.testing.StockClient;
import dev.jrsync.testing.StockRsync;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the golden server argument lists ({@link ServerArgsGoldens}) honest: each installed stock client is run
 * against {@link ArgsRecordingDaemon} for every combination and must still send exactly what its golden file
 * says. The same recording rewrites the golden files ({@link #record}) when run as
 * {@code -Dtest=ServerArgsGoldenPeerTest#record -Djrsync.recordServerArgs=true}.
 */
class ServerArgsGoldenPeerTest {

    @TempDir
    Path work;

    @Test
    void stock350StillSendsItsGoldens() throws IOException {
        assertStillSent(StockRsync.requireOnPath());
    }

    @Test
    void stock327StillSendsItsGoldens() throws IOException {
        assertStillSent(StockRsync.require327());
    }

    /** The generator: re-records every available stock client into the source tree's golden files. */
    @Test
    @EnabledIfSystemProperty(named = "jrsync.recordServerArgs", matches = "true")
    void record() throws IOException {
        for (StockRsync rsync : StockRsync.available()) {
            for (Direction direction : Direction.values()) {
                ServerArgsGoldens.write(rsync.toString(), direction, rsync.version(), recordAll(rsync, direction));
            }
        }
    }

    private void assertStillSent(StockRsync rsync) throws IOException {
        for (Direction direction : Direction.values()) {
            Optional<List<Case>> golden = ServerArgsGoldens.read(rsync.version(), direction);
            Peers.require(golden.isPresent(), () -> "no golden server arguments for " + rsync + " (have "
                    + ServerArgsGoldens.VERSIONS + "); record them with -Djrsync.recordServerArgs=true");
            List<Case> now = recordAll(rsync, direction);
            List<String> changed = new ArrayList<>();
            for (int i = 0; i < now.size(); i++) {
                Case was = i < golden.get().size() ? golden.get().get(i) : null;
                if (!now.get(i).equals(was)) {
                    changed.add(now.get(i) + ": golden " + (was == null ? "missing" : was.serverArgs())
                            + ", now " + now.get(i).serverArgs());
                }
            }
            assertEquals(List.of(), changed, rsync + " " + direction + " no longer sends its golden lists");
            assertEquals(golden.get().size(), now.size(), "golden cases no longer in " + direction.inputs());
        }
    }

    private List<Case> recordAll(StockRsync rsync, Direction direction) throws IOException {
        // the push's source must exist for the client to get as far as connecting
        Files.createDirectories(work.resolve("src"));
        Files.writeString(work.resolve("src/file"), "x");
        Files.createDirectories(work.resolve("dst"));
        StockClient client = StockClient.of(rsync).workingDirectory(work);
        List<Case> cases = new ArrayList<>();
        for (List<String> input : ServerArgsGoldens.inputs(direction)) {
            cases.add(new Case(input, ArgsRecordingDaemon.record(client, port -> direction.argv(input, port))));
        }
        return cases;
    }
}
