package dev.jrsync.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.client.DaemonAddress;
import dev.jrsync.client.PullSources;
import dev.jrsync.options.ServerArgsGoldens.Case;
import dev.jrsync.options.ServerArgsGoldens.Direction;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ServerArgs#forDaemon} against the golden lists stock rsync 3.5.0 and 3.2.7 clients send a daemon
 * ({@link ServerArgsGoldens}, kept current by {@link ServerArgsGoldenPeerTest}): for every recorded combination
 * jrsync must send the same list, paths included, except for the capability letters {@link CapabilityDeviation}
 * and the paths {@link PathDeviation} list with their reasons.
 */
class ServerArgsGoldenTest {

    static Stream<Arguments> goldens() {
        List<Arguments> all = new ArrayList<>();
        for (String version : ServerArgsGoldens.VERSIONS) {
            for (Direction direction : Direction.values()) {
                for (Case c : ServerArgsGoldens.read(version, direction).orElseThrow()) {
                    all.add(Arguments.of(version, direction, c));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "rsync {0} {1}: {2}")
    @MethodSource("goldens")
    void sendsWhatStockSends(String version, Direction direction, Case golden) {
        Options o = parse(direction, golden);
        int protocol = Math.min(o.protocolVersion(), ServerArgs.PROTOCOL_VERSION);

        List<String> expected = PathDeviation.applyTo(CapabilityDeviation.applyTo(golden.serverArgs(), o, direction));
        assertEquals(expected, ServerArgs.forDaemon(o, direction.serverIsSender(), protocol, remoteArgs(direction, o)));
    }

    private static Options parse(Direction direction, Case golden) {
        return OptionParser.parse(direction.argv(golden.input(), DaemonAddress.DEFAULT_PORT));
    }

    /** The path arguments the client's Push or Pull hands {@link ServerArgs#forDaemon}. */
    private static List<String> remoteArgs(Direction direction, Options o) {
        List<String> operands = o.args();
        if (direction == Direction.PUSH) {
            return List.of(DaemonAddress.parse(operands.getLast(), DaemonAddress.DEFAULT_PORT).remoteArg());
        }
        List<String> sources = direction == Direction.LIST ? operands : operands.subList(0, operands.size() - 1);
        return PullSources.parse(sources, DaemonAddress.DEFAULT_PORT).stream().map(DaemonAddress::remoteArg).toList();
    }

    /** Each golden file holds exactly what its input file lists, so nothing can go unrecorded. */
    @Test
    void everyCombinationIsRecordedForEveryVersionAndDirection() {
        for (String version : ServerArgsGoldens.VERSIONS) {
            for (Direction direction : Direction.values()) {
                List<List<String>> recorded = ServerArgsGoldens.read(version, direction).orElseThrow().stream()
                        .map(Case::input).toList();
                assertEquals(ServerArgsGoldens.inputs(direction), recorded, version + " " + direction);
            }
        }
    }

    /** Every documented deviation still applies to some recorded combination: none is left over. */
    @Test
    void everyDeviationIsExercised() {
        for (CapabilityDeviation d : CapabilityDeviation.values()) {
            boolean used = goldens().anyMatch(a -> {
                Direction direction = (Direction) a.get()[1];
                Case c = (Case) a.get()[2];
                Options o = parse(direction, c);
                return d.appliesTo(o, direction) && CapabilityDeviation.capabilities(c.serverArgs())
                        .indexOf(d.letter) >= 0;
            });
            assertTrue(used, d + " never applies to a recorded combination");
        }
        for (PathDeviation d : PathDeviation.values()) {
            assertTrue(goldens().anyMatch(a -> d.appliesTo(((Case) a.get()[2]).serverArgs())),
                    d + " never applies to a recorded source list");
        }
    }
}
