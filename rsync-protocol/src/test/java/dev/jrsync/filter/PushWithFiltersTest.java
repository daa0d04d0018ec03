package dev.jrsync.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.client.Credentials;
import dev.jrsync.client.DaemonAddress;
import dev.jrsync.client.Filters;
import dev.jrsync.client.Push;
import dev.jrsync.core.SessionLog;
import dev.jrsync.options.OptionParser;
import dev.jrsync.options.Options;
import dev.jrsync.testing.Peers;
import dev.jrsync.testing.StockClient;
import dev.jrsync.testing.StockDaemon;
import dev.jrsync.testing.StockRsync;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A live push to a stock daemon with --delete and filters: the daemon's receiver acts on the rules we
 * send, so its module must end up exactly as after the same push by stock rsync.
 */
class PushWithFiltersTest {
    @TempDir
    Path tmp;

    static Stream<Arguments> pushes() {
        return Stream.of(
                List.of("--exclude=*.o"),
                List.of("--exclude=*.o", "--include=/keep/", "-fP /prot"),
                List.of("--delete-excluded", "--exclude=*.o", "-fP /prot"),
                List.of("-F"),
                List.of("-FF", "--delete-excluded"),
                List.of("-fprotect,p *.o", "-frisk keep/old.o"),
                List.of("-fH *.c", "-fS a.c")).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pushes")
    void daemonDeletesWhatItWouldForStockRsync(List<String> filterArgs) throws IOException {
        Optional<StockRsync> found = StockRsync.onPath();
        Peers.require(found.isPresent(), StockRsync::onPathAbsence);
        StockRsync rsync = found.orElseThrow();
        Path src = tmp.resolve("src");
        for (String f : List.of("a.c", "a.o", "b.c", "keep/k.c", "keep/k.o", "sub/s.c", "sub/s.o")) {
            write(src.resolve(f), f);
        }
        write(src.resolve(".rsync-filter"), "- b.c\nP keep/old.o\n");
        Path theirs = destination(tmp.resolve("theirs"));
        Path ours = destination(tmp.resolve("ours"));
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("theirs", theirs))
                .module(StockDaemon.Module.of("ours", ours)).start()) {
            List<String> stockArgs = new ArrayList<>(List.of("-r", "--delete"));
            stockArgs.addAll(filterArgs);
            stockArgs.add(src + "/");
            stockArgs.add(daemon.url("theirs"));
            StockClient.of(rsync).run(stockArgs.toArray(String[]::new)).assertSuccess();

            List<String> argv = new ArrayList<>(List.of("-r", "--delete"));
            argv.addAll(filterArgs);
            argv.add(src + "/");
            argv.add(daemon.url("ours"));
            Options options = OptionParser.parse(argv);
            ByteArrayOutputStream messages = new ByteArrayOutputStream();
            PrintStream ps = new PrintStream(messages, true, StandardCharsets.UTF_8);
            Push.run(options, List.of(src + "/"), DaemonAddress.parse(daemon.url("ours"), DaemonAddress.DEFAULT_PORT),
                    Filters.from(options), SessionLog.of(ps, ps), Credentials.NONE);
            assertEquals(tree(theirs), tree(ours), () -> messages.toString(StandardCharsets.UTF_8)
                    + daemon.diagnostics());
            TreeSet<String> after = tree(ours);
            assertTrue(after.contains("a.o") != filterArgs.contains("--exclude=*.o") && !after.contains("extra.c"),
                    "the push should have sent files and deleted unprotected extras");
        }
    }

    private static Path destination(Path dst) throws IOException {
        for (String f : List.of("a.c", "x.o", "extra.c", "prot", "b.c", "keep/old.o", "keep/new", "gone/g.c",
                "sub/t.o")) {
            write(dst.resolve(f), "old");
        }
        return dst;
    }

    private static TreeSet<String> tree(Path root) throws IOException {
        TreeSet<String> names = new TreeSet<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.forEach(p -> names.add(root.relativize(p) + (Files.isDirectory(p) ? "/" : "")));
        }
        return names;
    }

    private static void write(Path p, String content) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }
}
