package dev.jrsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jrsync.testing.StockClient;
import dev.jrsync.testing.StockDaemon;
import dev.jrsync.testing.StockRsync;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code --files-from} between jrsync and stock rsync, each as client and as server, over a remote shell and a
 * daemon: a list beside the sender is read there, one beside the receiver crosses the connection (as "-" to a
 * sending server, or read by a receiving server from {@code --files-from=:path} and sent on), and a "/./" in a
 * name cuts the path the destination gets. Each transfer must bring exactly the listed names and their parents.
 */
class FilesFromIT {
    private static final Path LAUNCHER = Path.of("..", "bin", "jrsync").toAbsolutePath().normalize();
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    /** The list, and what it brings: "c/" with its contents one level, "/./" cutting "x/" off its names. */
    private static final String LIST = "a/b/f1\nc/\ntop.txt\r\nx/./y/z\n";
    private static final List<String> LISTED = List.of("a", "a/b", "a/b/f1", "c", "c/g", "c/sub", "top.txt", "y",
            "y/z");

    /** Who runs the client: stock rsync or jrsync, given the arguments. */
    private enum Client { STOCK, JRSYNC }

    static Stream<Object[]> cases() {
        List<Object[]> out = new ArrayList<>();
        StockRsync.peers().forEach(rsync -> {
            for (Client c : Client.values()) {
                out.add(new Object[] {rsync, c});
            }
        });
        return out.stream();
    }

    private static void run(Client client, StockRsync rsync, List<String> args) {
        if (client == Client.STOCK) {
            StockClient.of(rsync).timeout(TIMEOUT).run(args).assertSuccess();
        } else {
            Jrsync.run(args.toArray(String[]::new)).assertSuccess();
        }
    }

    private static Path tree(Path base) throws IOException {
        Path src = Files.createDirectories(base.resolve("src"));
        Files.createDirectories(src.resolve("a/b"));
        Files.writeString(src.resolve("a/b/f1"), "one");
        Files.writeString(src.resolve("a/b/f2"), "not listed");
        Files.createDirectories(src.resolve("c/sub"));
        Files.writeString(src.resolve("c/g"), "gee");
        Files.writeString(src.resolve("c/sub/deep"), "below the listed level");
        Files.writeString(src.resolve("top.txt"), "top");
        Files.writeString(src.resolve("unlisted.txt"), "no");
        Files.createDirectories(src.resolve("x/y"));
        Files.writeString(src.resolve("x/y/z"), "zed");
        Files.writeString(base.resolve("list"), LIST);
        return src;
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    @ParameterizedTest(name = "{0} {1} client")
    @MethodSource("cases")
    void overARemoteShellTheListIsReadOnEitherSide(StockRsync rsync, Client client, @TempDir Path tmp)
            throws Exception {
        Path src = tree(tmp);
        Path list = tmp.resolve("list");
        Path shell = RemoteShellIT.localShell(tmp);
        String server = client == Client.STOCK ? LAUNCHER.toString() : rsync.binary().toString();
        Function<String, List<String>> remote = fromTo -> new ArrayList<>(List.of("-a", "-e", shell.toString(),
                "--rsync-path=" + server, fromTo));
        int n = 0;
        for (String listArg : List.of(list.toString(), ":" + list)) {
            Path pushed = tmp.resolve("pushed" + n);
            List<String> push = remote.apply("--files-from=" + listArg);
            push.addAll(List.of(src + "/", "localhost:" + pushed + "/"));
            run(client, rsync, push);
            assertEquals(LISTED, listing(pushed), "push, list " + listArg);
            assertEquals("zed", Files.readString(pushed.resolve("y/z")));

            Path pulled = tmp.resolve("pulled" + n++);
            List<String> pull = remote.apply("--files-from=" + listArg);
            pull.addAll(List.of("localhost:" + src + "/", pulled + "/"));
            run(client, rsync, pull);
            assertEquals(LISTED, listing(pulled), "pull, list " + listArg);
            assertEquals("one", Files.readString(pulled.resolve("a/b/f1")));
        }
    }

    /**
     * The sending side's module is the source itself: stock daemons (3.2.7, 3.5.0) with "use chroot = no" fail a
     * listed pull from a directory below a module's root ("file has vanished").
     */
    @ParameterizedTest(name = "{0} {1} client")
    @MethodSource("cases")
    void withADaemonTheListIsReadOnEitherSide(StockRsync rsync, Client client, @TempDir Path tmp) throws Exception {
        Path src = tree(tmp);
        Path list = tmp.resolve("list");
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        Files.copy(list, src.resolve("list"));
        Files.copy(list, dst.resolve("list"));
        // a stock client talks to jrsync's daemon, jrsync's client to stock rsync's
        try (StockDaemon stock = client == Client.JRSYNC ? StockDaemon.builder(rsync, tmp.resolve("d"))
                .module(StockDaemon.Module.of("mod", dst).readOnly(false))
                .module(StockDaemon.Module.of("src", src)).start() : null;
             ModuleDaemon java = client == Client.STOCK ? ModuleDaemon.start(dst, tmp.resolve("rsyncd.log"), 0,
                     "[src]\npath = " + src + "\n") : null) {
            String dstUrl = java != null ? java.url() : stock.url("mod") + "/";
            String srcUrl = dstUrl.replace("/mod/", "/src/");
            int n = 0;
            for (String listArg : List.of(list.toString(), ":list")) {
                String pushedName = "pushed" + n;
                run(client, rsync, List.of("-a", "--files-from=" + listArg, src + "/", dstUrl + pushedName + "/"));
                assertEquals(LISTED, listing(dst.resolve(pushedName)), "push, list " + listArg);

                Path pulled = tmp.resolve("pulled" + n++);
                run(client, rsync, List.of("-a", "--files-from=" + listArg, srcUrl, pulled + "/"));
                assertEquals(LISTED, listing(pulled), "pull, list " + listArg);
                assertEquals("gee", Files.readString(pulled.resolve("c/g")));
            }
        }
    }

    /**
     * A listed name the sender does not have: {@code --delete-missing-args} sends it with mode 0 and the receiver
     * deletes its own (a directory with its contents only with {@code --delete}); {@code --ignore-missing-args} leaves
     * it be, without error.
     */
    @ParameterizedTest(name = "{0} {1} client")
    @MethodSource("cases")
    void aMissingListedNameIsDeletedOrIgnored(StockRsync rsync, Client client, @TempDir Path tmp) throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("keep.txt"), "keep-me");
        Path list = Files.writeString(tmp.resolve("list"), "keep.txt\nghost.txt\nghostdir\n");
        Path shell = RemoteShellIT.localShell(tmp);
        String server = client == Client.STOCK ? LAUNCHER.toString() : rsync.binary().toString();
        for (boolean push : List.of(true, false)) {
            Path dst = Files.createDirectories(tmp.resolve(push ? "pushed" : "pulled"));
            Files.writeString(dst.resolve("keep.txt"), "stale");
            Files.writeString(dst.resolve("ghost.txt"), "delete-me");
            Files.createDirectories(dst.resolve("ghostdir/inner"));
            Files.writeString(dst.resolve("ghostdir/inner/f"), "delete-me-too");
            List<String> args = new ArrayList<>(List.of("-a", "-e", shell.toString(), "--rsync-path=" + server,
                    "--files-from=" + list));
            String from = push ? src + "/" : "localhost:" + src + "/";
            String to = push ? "localhost:" + dst + "/" : dst + "/";

            List<String> ignoring = new ArrayList<>(args);
            ignoring.addAll(List.of("--ignore-missing-args", from, to));
            run(client, rsync, ignoring);
            assertEquals(List.of("ghost.txt", "ghostdir", "ghostdir/inner", "ghostdir/inner/f", "keep.txt"),
                    listing(dst), push ? "push" : "pull");
            assertEquals("keep-me", Files.readString(dst.resolve("keep.txt")));

            boolean stockReceives = push == (client == Client.JRSYNC);
            if (stockReceives && !rsync.version().startsWith("3.5")) {
                continue; // this 3.2.7 build's receiver refuses the mode-0 entry (rsync's #910)
            }
            // without --delete a directory that is not empty stays (rsync's delete_item without DEL_RECURSE)
            List<String> deleting = new ArrayList<>(args);
            deleting.addAll(List.of("--delete-missing-args", from, to));
            run(client, rsync, deleting);
            assertEquals(List.of("ghostdir", "ghostdir/inner", "ghostdir/inner/f", "keep.txt"), listing(dst),
                    push ? "push" : "pull");
            deleting.add(deleting.size() - 2, "--delete");
            run(client, rsync, deleting);
            assertEquals(List.of("keep.txt"), listing(dst), push ? "push" : "pull");
        }
    }

    /**
     * -R --no-implied-dirs: from protocol 30 the sender still lists the directories on the way, flagged as implied,
     * and the receiver passes them by, making missing ones as it needs them. A stock receiver refuses a list without
     * them ("ABORTING due to invalid path from sender"); a leading "./" sends the directory it starts from.
     */
    @ParameterizedTest(name = "{0} {1} client")
    @MethodSource("cases")
    void relativePathsWithoutImpliedDirsGiveTheStockTrees(StockRsync rsync, Client client, @TempDir Path tmp)
            throws Exception {
        Path src = tree(tmp);
        Path shell = RemoteShellIT.localShell(tmp);
        String server = client == Client.STOCK ? LAUNCHER.toString() : rsync.binary().toString();
        for (List<String> shape : List.of(List.of("-R", "--no-implied-dirs", ":" + src + "/./a/b/f1"),
                List.of("-R", ":" + src + "/./x/y/z"))) {
            List<Path> got = new ArrayList<>();
            for (boolean stockOnly : List.of(true, false)) {
                Path dest = tmp.resolve((stockOnly ? "stock" : "mixed") + shape.size());
                List<String> args = new ArrayList<>(List.of("-a", "-e", shell.toString(), "--rsync-path="
                        + (stockOnly ? rsync.binary().toString() : server)));
                shape.forEach(a -> args.add(a.startsWith(":") ? "localhost" + a : a));
                args.add(dest + "/");
                run(stockOnly ? Client.STOCK : client, rsync, args);
                got.add(dest);
            }
            assertEquals(listing(got.get(0)), listing(got.get(1)), shape.toString());
            assertEquals(false, listing(got.get(1)).isEmpty(), shape.toString());
        }
    }

    /**
     * jrsync's daemon holds a client's list to the module: a list file its rules exclude rejects the options, and a
     * listed name that leads out through a symlink is left out with an error, its target never sent.
     */
    @org.junit.jupiter.api.Test
    void aDaemonKeepsTheListAndItsNamesInsideTheModule(@TempDir Path tmp) throws Exception {
        Path src = tree(tmp);
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "NO_ONE_SHOULD_README");
        Files.createSymbolicLink(src.resolve("escape"), outside);
        Files.writeString(src.resolve("hidden-list"), "top.txt\n");
        Files.writeString(src.resolve("list"), "top.txt\nescape/secret\n");
        StockClient stock = StockClient.of(StockRsync.requireOnPath()).timeout(TIMEOUT);
        try (ModuleDaemon java = ModuleDaemon.start(Files.createDirectories(tmp.resolve("dst")),
                tmp.resolve("rsyncd.log"), 0, "[src]\npath = " + src + "\nexclude = hidden-list\n")) {
            String srcUrl = java.url().replace("/mod/", "/src/");
            Path refused = tmp.resolve("refused");
            var r = stock.run(List.of("-a", "--files-from=:hidden-list", srcUrl, refused + "/"));
            assertEquals(true, r.exitCode() != 0, r::transcript);
            assertEquals(false, Files.exists(refused.resolve("top.txt")), r::transcript);

            Path pulled = tmp.resolve("pulled");
            r = stock.run(List.of("-a", "--files-from=:list", srcUrl, pulled + "/"));
            assertEquals(23, r.exitCode(), r::transcript);
            assertEquals(List.of("top.txt"), listing(pulled), r::transcript);
        }
    }
}
