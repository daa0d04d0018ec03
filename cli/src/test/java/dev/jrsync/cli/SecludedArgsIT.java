package dev.jrsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.testing.StockClient;
import dev.jrsync.testing.StockDaemon;
import dev.jrsync.testing.StockRsync;
import dev.jrsync.testing.TestTrees;
import dev.jrsync.testing.TreeAssert;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code -s}/{@code --secluded-args} and {@code --old-args} against stock rsync: over a remote shell the command
 * line carries only the option letters, the rest (names a shell would split or expand included) goes down the
 * pipe, in both directions and at either end; to a daemon the second list follows the first. {@code --old-args}
 * and {@code RSYNC_OLD_ARGS} leave a remote name to the remote shell's splitting.
 */
class SecludedArgsIT {
    private static final Path LAUNCHER = Path.of("..", "bin", "jrsync").toAbsolutePath().normalize();
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    /** A name a remote shell would split, expand and run commands from, were it on the command line. */
    private static final String WEIRD = "we ird $(touch pwned);*[x]'q\"";

    @TempDir
    Path tmp;

    /** The test's remote shell for "localhost" ({@link RemoteShellIT#localShell}), which logs each command line. */
    private Path loggingShell() throws IOException {
        Path script = tmp.resolve("lsh-log");
        Files.writeString(script, """
                #!/bin/sh
                [ "$1" = -l ] && shift 2
                [ "$1" = localhost ] || exit 255
                shift
                printf '%s\\n' "$*" >> "$(dirname "$0")/commands.log"
                exec sh -c "$*"
                """);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private String commands() throws IOException {
        Path log = tmp.resolve("commands.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void secludedArgsOverARemoteShellEitherEnd(StockRsync rsync) throws Exception {
        Path shell = loggingShell();
        Path src = tmp.resolve(WEIRD);
        TestTrees.buildVaried(src, TestTrees.Omit.SPECIALS);
        Files.writeString(src.resolve("-dash " + WEIRD), "a name that starts like an option\n");
        // back in the past, as the tree's other directories: rsync leaves a directory time of the same second alone
        Files.setLastModifiedTime(src, Files.getLastModifiedTime(src.resolve("bin")));
        Path backups = tmp.resolve("bak " + WEIRD);
        for (String client : List.of("jrsync", "stock")) {
            for (String server : List.of("jrsync", "stock")) {
                String program = (server.equals("jrsync") ? LAUNCHER : rsync.binary()).toString();
                Path dest = tmp.resolve(client + "-" + server + " " + WEIRD);
                Path back = tmp.resolve(client + "-" + server + " back " + WEIRD);
                List<String> common = List.of("-e", shell.toString(), "--rsync-path=" + program, "-as");
                run(client, rsync, common, "--backup-dir=" + backups, src + "/", "localhost:" + dest + "/");
                TreeAssert.assertIdentical(src, dest, TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));
                run(client, rsync, common, "localhost:" + dest + "/", back + "/");
                TreeAssert.assertIdentical(src, back, TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));
            }
        }
        String commands = commands();
        assertFalse(commands.contains("we ird"), "a secluded name reached a command line:\n" + commands);
        assertFalse(commands.contains("--backup-dir"), commands);
        assertEquals(8, commands.lines().filter(l -> l.matches(".* --server (--sender )?-s[a-zA-Z.]*")).count(), commands);
        assertTrue(Files.notExists(tmp.resolve("pwned")) && Files.notExists(Path.of("pwned")));
    }

    private static void run(String client, StockRsync rsync, List<String> common, String... rest) {
        List<String> args = new ArrayList<>(common);
        args.addAll(List.of(rest));
        if (client.equals("jrsync")) {
            Jrsync.run(args.toArray(String[]::new)).assertSuccess();
        } else {
            StockClient.of(rsync).timeout(TIMEOUT).run(args).assertSuccess();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void secludedArgsToAndFromDaemons(StockRsync rsync) throws Exception {
        Path src = tmp.resolve("src");
        TestTrees.buildVaried(src, TestTrees.Omit.SPECIALS);
        Path stockModule = Files.createDirectories(tmp.resolve("stock-module"));
        Path javaModule = Files.createDirectories(tmp.resolve("java-module"));
        String inModule = "sub " + WEIRD + "/";
        try (StockDaemon stock = StockDaemon.builder(rsync, tmp.resolve("d"))
                .module(StockDaemon.Module.of("dst", stockModule).readOnly(false)).start();
             ModuleDaemon java = ModuleDaemon.start(javaModule, tmp.resolve("rsyncd.log"), 0, "")) {
            Jrsync.run("-as", "--mkpath", "--suffix=.old *", src + "/", stock.url("dst") + "/" + inModule)
                    .assertSuccess();
            TreeAssert.assertIdentical(src, stockModule.resolve(inModule),
                    TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));
            Path pulled = tmp.resolve("pulled");
            Jrsync.run("-as", stock.url("dst") + "/" + inModule, pulled + "/").assertSuccess();
            TreeAssert.assertIdentical(src, pulled, TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));

            StockClient client = StockClient.of(rsync).timeout(TIMEOUT);
            client.run("-as", "--mkpath", src + "/", java.url() + inModule).assertSuccess();
            TreeAssert.assertIdentical(src, javaModule.resolve(inModule),
                    TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));
            Path back = tmp.resolve("back");
            client.run("-as", java.url() + inModule, back + "/").assertSuccess();
            TreeAssert.assertIdentical(src, back, TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));
            // the Java daemon logs the request it parsed from both lists
            assertTrue(Files.readString(tmp.resolve("rsyncd.log")).contains("mod/" + inModule), java::toString);
        }
    }

    @Test
    void oldArgsLeaveANameToTheRemoteShell() throws Exception {
        Path shell = loggingShell();
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("one"), "1\n");
        Files.writeString(src.resolve("two"), "2\n");
        String[] common = {"-e", shell.toString(), "--rsync-path=" + LAUNCHER, "-a"};
        Path dest = tmp.resolve("dest");
        for (Map<String, String> env : List.of(Map.<String, String>of(), Map.of("RSYNC_OLD_ARGS", "1"))) {
            List<String> args = new ArrayList<>(List.of(common));
            if (env.isEmpty()) {
                args.add("--old-args");
            }
            args.addAll(List.of("localhost:" + src + "/one " + src + "/two", dest + "/"));
            Jrsync.run(env, args.toArray(String[]::new)).assertSuccess();
            assertEquals("2\n", Files.readString(dest.resolve("two")), env::toString);
            assertEquals("1\n", Files.readString(dest.resolve("one")), env::toString);
            Files.delete(dest.resolve("one"));
            Files.delete(dest.resolve("two"));
        }
        // without it the name is one name, which does not exist: rsync's vanished-source failure
        Jrsync whole = Jrsync.run(common[0], common[1], common[2], common[3], "localhost:" + src + "/one two", dest + "/");
        assertEquals(23, whole.exitCode(), whole::transcript);

        Jrsync both = Jrsync.run("-s", "--old-args", src + "/", dest + "/");
        assertEquals(1, both.exitCode(), both::transcript);
        assertTrue(both.stderr().contains("--secluded-args conflicts with --old-args."), both::transcript);
    }
}
