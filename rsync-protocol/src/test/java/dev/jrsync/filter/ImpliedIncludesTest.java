package dev.jrsync.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.testing.ProcessResult;
import dev.jrsync.testing.StockClient;
import dev.jrsync.testing.StockRsync;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The include rules a pull's source arguments imply, against the ones stock rsync builds for the same
 * arguments (it prints each with {@code --debug=filter3} before it connects), and what they accept.
 */
class ImpliedIncludesTest {
    private static final byte[] DOT = {(byte) '.'};
    private static final List<String> ARGS = List.of("mod/only.txt", "mod/dir", "mod/dir2/", "mod/a*.txt",
            "mod/x\\y", "mod/b[12]", "mod/.", "mod/d/.", "mod/a\\]b", "mod/q\\]*", "mod", "mod/", "mod/sub/deep.txt",
            "mod/[ab]/x\\*y", "mod/..", "mod/.hidden");
    /** The arguments as a daemon reads them: without the module name. */
    private static List<String> inModule(List<String> args) {
        return args.stream().map(a -> a.indexOf('/') < 0 ? "" : a.substring(a.indexOf('/') + 1)).toList();
    }

    private static final Pattern DEBUG_LINE = Pattern.compile("add_implied_include\\((.*)\\)$");

    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void rulesAreTheOnesStockRsyncBuildsForTheSameArguments(StockRsync rsync) throws IOException {
        for (String flags : List.of("-r", "-d", "-t")) {
            assertEquals(stockRules(rsync, flags, ARGS),
                    ImpliedIncludes.forArgs(inModule(ARGS), flags.equals("-r"), !flags.equals("-t")).patterns(),
                    rsync + " " + flags);
        }
    }

    /**
     * The patterns stock rsync prints for a pull of {@code args}; the daemon it then connects to hangs up at
     * once, so the run ends there.
     */
    private static List<String> stockRules(StockRsync rsync, String flags, List<String> args) throws IOException {
        try (ServerSocket hangUp = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
            Thread t = Thread.ofVirtual().start(() -> {
                try (Socket s = hangUp.accept()) {
                    s.getOutputStream().flush();
                } catch (IOException closed) {
                    // the test is over
                }
            });
            List<String> argv = new ArrayList<>(List.of("--debug=filter3", flags));
            String base = "rsync://127.0.0.1:" + hangUp.getLocalPort() + "/";
            argv.add(base + args.getFirst());
            args.subList(1, args.size()).forEach(a -> argv.add("::" + a));
            argv.add("/nonexistent-destination/");
            ProcessResult r = StockClient.of(rsync).run(argv);
            t.interrupt();
            List<String> rules = new ArrayList<>();
            for (String line : (r.stdout() + "\n" + r.stderr()).split("\n")) {
                Matcher m = DEBUG_LINE.matcher(line.strip());
                if (m.find()) {
                    rules.add(m.group(1));
                }
            }
            return rules;
        }
    }

    private static boolean requested(ImpliedIncludes rules, String name, boolean dir) {
        return rules.requested(name.getBytes(StandardCharsets.UTF_8), dir);
    }

    @Test
    void aFileArgumentRequestsThatNameAndWithRecursionWhatIsBelowIt() {
        ImpliedIncludes rules = ImpliedIncludes.forArgs(inModule(List.of("mod/sub/only.txt")), true, true);
        assertTrue(requested(rules, "only.txt", false));
        assertTrue(requested(rules, "only.txt/x/y", false)); // had it been a directory
        assertFalse(requested(rules, ".ssh", true));
        assertFalse(requested(rules, ".ssh/authorized_keys", false));
        assertFalse(requested(rules, "sub/only.txt", false));
        assertFalse(requested(rules, "only.txt.bak", false));
        assertTrue(rules.parentOnly(DOT));
    }

    @Test
    void aDirectoryWithoutTrailingSlashRequestsItselfAndItsTree() {
        ImpliedIncludes r = ImpliedIncludes.forArgs(inModule(List.of("mod/dir")), true, true);
        assertTrue(requested(r, "dir", true));
        assertTrue(requested(r, "dir/a/b", false));
        assertFalse(requested(r, "dirx", true));
        ImpliedIncludes d = ImpliedIncludes.forArgs(inModule(List.of("mod/dir")), false, true);
        assertTrue(requested(d, "dir/a", false));
        assertFalse(requested(d, "dir/a/b", false));
    }

    @Test
    void aTrailingSlashRequestsTheContentsAndMakesTheRootAContentDirectory() {
        ImpliedIncludes r = ImpliedIncludes.forArgs(inModule(List.of("mod/dir/")), true, true);
        assertTrue(requested(r, ".ssh/authorized_keys", false));
        assertFalse(r.parentOnly(DOT));
        ImpliedIncludes none = ImpliedIncludes.forArgs(inModule(List.of("mod/dir/")), false, false);
        assertTrue(requested(none, "anything", false)); // rsync has no rule to check against then
        assertFalse(none.parentOnly(DOT));
    }

    @Test
    void wildcardsAndBracketsThatMatchedNothing() {
        ImpliedIncludes r = ImpliedIncludes.forArgs(inModule(List.of("mod/*.txt", "mod/b[12]")), true, true);
        assertTrue(requested(r, "a.txt", false));
        assertFalse(requested(r, "sub/a.txt", false));
        assertFalse(requested(r, "a.bin", false));
        assertTrue(requested(r, "b1", false));
        assertTrue(requested(r, "b[12]", false)); // the literal name a glob that matched nothing leaves
        assertFalse(requested(r, "b3", false));
    }
}
