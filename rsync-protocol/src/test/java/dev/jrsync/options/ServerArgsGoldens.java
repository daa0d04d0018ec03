package dev.jrsync.options;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The golden server argument lists under {@code serverargs/} in the test resources: what stock rsync clients
 * send a daemon for each option combination of {@code combinations.txt} and each source list of
 * {@code sources.txt}, one file per client version and {@link Direction} ({@code 3.5.0-push.txt}), each line
 * {@code OPTIONS<TAB>SERVER ARGS} ({@code SOURCES<TAB>SERVER ARGS}).
 *
 * <p>Within a field arguments are separated by one space; "%20" stands for a space inside an argument and
 * "%25" for a percent sign, so every list reads back exactly.
 */
final class ServerArgsGoldens {
    private ServerArgsGoldens() {}

    /** The stock client versions the goldens are recorded from. */
    static final List<String> VERSIONS = List.of("3.5.0", "3.2.7");

    /** Where the recorder writes, relative to the module directory Maven runs the tests in. */
    static final Path SOURCE_DIR = Path.of("src", "test", "resources", "serverargs");

    private static final String RESOURCE_DIR = "/serverargs/";

    /**
     * Which way the files go; the client's command line differs only in where the daemon URL stands. A listing
     * is a pull without a destination, which rsync turns into {@code --list-only}. {@code SOURCES} pins the
     * path arguments instead of the options: a recursive pull of each line of {@code sources.txt}.
     */
    enum Direction {
        PUSH, PULL, LIST, SOURCES;

        boolean serverIsSender() {
            return this != PUSH;
        }

        /** The resource listing what is recorded in this direction. */
        String inputs() {
            return this == SOURCES ? "sources.txt" : "combinations.txt";
        }

        /**
         * The client's whole command line for a daemon on {@code port}: the options, or for {@code SOURCES} the
         * remote sources, each but a "::module/path" one given as a URL.
         */
        List<String> argv(List<String> input, int port) {
            String url = "rsync://127.0.0.1:" + port + "/";
            List<String> argv = new ArrayList<>(this == SOURCES ? List.of("-r") : input);
            switch (this) {
                case PUSH -> argv.addAll(List.of("src/", url + "mod/dst/"));
                case PULL -> argv.addAll(List.of(url + "mod/src/", "dst/"));
                case LIST -> argv.add(url + "mod/src/");
                case SOURCES -> {
                    input.forEach(source -> argv.add(source.startsWith("::") ? source : url + source));
                    argv.add("dst/");
                }
            }
            return argv;
        }

        String fileName(String version) {
            return version + "-" + name().toLowerCase() + ".txt";
        }
    }

    /**
     * One recorded combination: the user's options (the sources for {@code SOURCES}) and the whole list the
     * client sent, paths included.
     */
    record Case(List<String> input, List<String> serverArgs) {
        Case {
            input = List.copyOf(input);
            serverArgs = List.copyOf(serverArgs);
        }

        @Override
        public String toString() {
            return encode(input);
        }
    }

    /** What to record in {@code direction}, in file order. */
    static List<List<String>> inputs(Direction direction) {
        return lines(direction.inputs()).orElseThrow().stream().map(ServerArgsGoldens::decode).toList();
    }

    /** The golden cases for one stock client version and direction; empty when none were recorded. */
    static Optional<List<Case>> read(String version, Direction direction) {
        return lines(direction.fileName(version)).map(ls -> ls.stream().map(line -> {
            int tab = line.indexOf('\t');
            return new Case(decode(line.substring(0, tab)), decode(line.substring(tab + 1)));
        }).toList());
    }

    /** Writes the goldens of one version and direction into the source tree (not the compiled copy). */
    static void write(String rsyncBanner, Direction direction, String version, List<Case> cases) {
        List<String> out = new ArrayList<>();
        out.add("# What stock " + rsyncBanner + " sends a daemon for each line of " + direction.inputs() + " as a "
                + direction + " (ServerArgsGoldens.Direction); recorded by ServerArgsGoldenPeerTest#record.");
        cases.forEach(c -> out.add(encode(c.input()) + "\t" + encode(c.serverArgs())));
        try {
            Files.createDirectories(SOURCE_DIR);
            Files.write(SOURCE_DIR.resolve(direction.fileName(version)), out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String encode(List<String> args) {
        return String.join(" ", args.stream().map(a -> a.replace("%", "%25").replace(" ", "%20")).toList());
    }

    static List<String> decode(String field) {
        return Arrays.stream(field.split(" ")).map(a -> a.replace("%20", " ").replace("%25", "%")).toList();
    }

    /** The resource's lines without blank lines and "#" comments; empty when it does not exist. */
    private static Optional<List<String>> lines(String name) {
        InputStream in = ServerArgsGoldens.class.getResourceAsStream(RESOURCE_DIR + name);
        if (in == null) {
            return Optional.empty();
        }
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return Optional.of(r.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
