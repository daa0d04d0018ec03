package dev.jrsync.testing;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;


/**
 * A stock (C) rsync binary that interop tests run against: its path, its version and the newest protocol it speaks.
 *
 * <p>Two peers are looked for: {@code rsync} on {@code PATH} (3.5.x on the build hosts) and the older 3.2.7 release.
 * The 3.2.7 binary is found through {@code $JRSYNC_RSYNC327}, else {@code .peers/rsync-3.2.7/usr/bin/rsync} in the
 * current directory or any parent (where CI unpacks the Debian package), else {@code /opt/rsync327/usr/bin/rsync}.
 * A candidate only counts if {@code --version} runs and parses, so a Debian binary missing its shared libraries is
 * reported as absent with the loader's message.
 *
 * <p>Parameterise a test over every peer found with
 * {@code @MethodSource("dev.jrsync.testing.StockRsync#peers")}.
 */
public record StockRsync(Path binary, String version, int protocol) {

    /** The environment variable naming the 3.2.7 binary explicitly. */
    public static final String RSYNC327_ENV = "JRSYNC_RSYNC327";

    private static final Path PEER_327_RELATIVE = Path.of(".peers", "rsync-3.2.7", "usr", "bin", "rsync");
    private static final Path PEER_327_SYSTEM = Path.of("/opt/rsync327/usr/bin/rsync");
    private static final Pattern VERSION_LINE =
            Pattern.compile("rsync\\s+version\\s+v?(\\S+)\\s+protocol version\\s+(\\d+)");
    private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(10);

    /** Result of looking for one peer: the binary, or why none is usable. */
    private record Lookup(Optional<StockRsync> rsync, String absence) {
    }

    /** Detection runs once per JVM: it forks processes, and the answer cannot change during a test run. */
    private static final class Found {
        static final Lookup ON_PATH = lookupOnPath();
        static final Lookup V327 = lookup327();
    }

    /** The {@code rsync} found on {@code PATH}, if it runs. */
    public static Optional<StockRsync> onPath() {
        return Found.ON_PATH.rsync();
    }

    /** The 3.2.7 peer, if found and it runs. */
    public static Optional<StockRsync> v327() {
        return Found.V327.rsync();
    }

    /** Every distinct usable peer: PATH first, then 3.2.7 (omitted when it is the same binary or version). */
    public static List<StockRsync> available() {
        List<StockRsync> peers = new ArrayList<>();
        onPath().ifPresent(peers::add);
        v327().ifPresent(old -> {
            boolean duplicate = peers.stream().anyMatch(p -> p.version().equals(old.version()));
            if (!duplicate) {
                peers.add(old);
            }
        });
        return List.copyOf(peers);
    }

    /**
     * {@code @MethodSource} factory over {@link #available()}. With no peer at all the calling test is skipped
     * (aborted) rather than failed, because a missing tool is not a defect of jrsync.
     */
    public static Stream<StockRsync> peers() {
        List<StockRsync> peers = available();
        Peers.require(!peers.isEmpty(), () -> onPathAbsence() + "; " + v327Absence());
        return peers.stream();
    }

    /** The PATH rsync, or skips the current test with instructions when it is missing. */
    public static StockRsync requireOnPath() {
        Peers.require(onPath().isPresent(), StockRsync::onPathAbsence);
        return onPath().orElseThrow();
    }

    /** The 3.2.7 peer, or skips the current test with instructions when it is missing. */
    public static StockRsync require327() {
        Peers.require(v327().isPresent(), StockRsync::v327Absence);
        return v327().orElseThrow();
    }

    /** Why the PATH rsync is unusable, phrased as a skip message; empty-ish when it is present. */
    public static String onPathAbsence() {
        return Found.ON_PATH.absence();
    }

    /** Why the 3.2.7 peer is unusable, phrased as a skip message. */
    public static String v327Absence() {
        return Found.V327.absence();
    }

    /**
     * Probes one binary by running {@code --version}; empty when it does not run or prints no version line.
     * Public so tests can pin other builds (e.g. a locally compiled rsync).
     */
    public static Optional<StockRsync> probe(Path binary) {
        return probeLookup(binary, "").rsync();
    }

    /**
     * Parses the first line of {@code rsync --version}, e.g. {@code rsync  version 3.2.7  protocol version 32}.
     * Mirrors what rsync/usage.c:print_rsync_version prints; returns empty when the text is not such a banner.
     */
    public static Optional<StockRsync> parseVersion(Path binary, String versionOutput) {
        Matcher m = VERSION_LINE.matcher(versionOutput);
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(new StockRsync(binary, m.group(1), Integer.parseInt(m.group(2))));
    }

    /** True when this binary's version is at least {@code major.minor.patch} (numeric comparison, suffixes ignored). */
    public boolean atLeast(int major, int minor, int patch) {
        int[] mine = numericVersion();
        int[] want = {major, minor, patch};
        for (int i = 0; i < want.length; i++) {
            if (mine[i] != want[i]) {
                return mine[i] > want[i];
            }
        }
        return true;
    }

    private int[] numericVersion() {
        int[] parts = new int[3];
        Matcher m = Pattern.compile("(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?").matcher(version);
        if (m.lookingAt()) {
            for (int i = 0; i < parts.length; i++) {
                String g = m.group(i + 1);
                parts[i] = g == null ? 0 : Integer.parseInt(g);
            }
        }
        return parts;
    }

    /** Shown as the parameterised test's display name, e.g. {@code rsync 3.2.7 (protocol 32)}. */
    @Override
    public String toString() {
        return "rsync " + version + " (protocol " + protocol + ")";
    }

    private static Lookup lookupOnPath() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                if (dir.isEmpty()) {
                    continue;
                }
                Path candidate = Path.of(dir, "rsync");
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return probeLookup(candidate, "stock rsync on PATH");
                }
            }
        }
        return new Lookup(Optional.empty(),
                "stock rsync not found on PATH: install it (apt-get install rsync) to run interop tests");
    }

    private static Lookup lookup327() {
        String howTo = "stock rsync 3.2.7 not found: set " + RSYNC327_ENV + " to its binary, or unpack it with "
                + "'apt-get download rsync=3.2.7-1+deb12u6 && dpkg -x rsync_3.2.7*.deb .peers/rsync-3.2.7' "
                + "(or into /opt/rsync327) to run the 3.2.7 interop tests";
        Lookup found = locate327();
        return found.rsync().isPresent() ? found : new Lookup(Optional.empty(), found.absence() + howTo);
    }

    private static Lookup locate327() {
        String env = System.getenv(RSYNC327_ENV);
        if (env != null && !env.isBlank()) {
            return probeLookup(Path.of(env), RSYNC327_ENV + "=" + env);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(PEER_327_RELATIVE);
            if (Files.isExecutable(candidate)) {
                return probeLookup(candidate, "stock rsync 3.2.7 at " + candidate);
            }
        }
        if (Files.isExecutable(PEER_327_SYSTEM)) {
            return probeLookup(PEER_327_SYSTEM, "stock rsync 3.2.7 at " + PEER_327_SYSTEM);
        }
        return new Lookup(Optional.empty(), "");
    }

    private static Lookup probeLookup(Path binary, String what) {
        ProcessResult r;
        try {
            r = Processes.run(new ProcessBuilder(binary.toString(), "--version"), VERSION_TIMEOUT);
        } catch (AssertionError | UncheckedIOException e) {
            return new Lookup(Optional.empty(), what + " cannot run --version: " + e.getMessage() + ". ");
        }
        Optional<StockRsync> parsed = r.exitCode() == 0 ? parseVersion(binary, r.stdout()) : Optional.empty();
        if (parsed.isEmpty()) {
            return new Lookup(Optional.empty(), what + " does not run (missing shared libraries?): exit "
                    + r.exitCode() + ": " + (r.stdout() + r.stderr()).strip() + ". ");
        }
        return new Lookup(parsed, "");
    }
}
