package dev.jrsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.fs.Posix;
import dev.jrsync.testing.CurrentUser;
import dev.jrsync.testing.ProcessResult;
import dev.jrsync.testing.StockClient;
import dev.jrsync.testing.StockDaemon;
import dev.jrsync.testing.StockRsync;
import dev.jrsync.testing.TestTrees;
import dev.jrsync.testing.TreeAssert;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The jrsync command line choosing a pull or a local copy from its arguments, as rsync does. */
class PullAndLocalTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void pullWithBothUrlForms(StockRsync rsync) throws IOException {
        Path module = tmp.resolve("module");
        TestTrees.buildVaried(module);
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("mod", module)).start()) {
            Path viaUrl = tmp.resolve("via-url");
            Jrsync.run("-a", daemon.url("mod"), viaUrl + "/").assertSuccess();
            TreeAssert.assertIdentical(module, viaUrl, TreeAssert.Option.NANOSECONDS);

            Path viaHostSpec = tmp.resolve("via-hostspec");
            Jrsync.run("-a", "--port=" + daemon.port(), StockDaemon.HOST + "::mod/", viaHostSpec + "/").assertSuccess();
            TreeAssert.assertIdentical(module, viaHostSpec, TreeAssert.Option.NANOSECONDS);

            Jrsync listing = Jrsync.run(daemon.url("mod")).assertSuccess();
            // Without a destination the module's top level is listed, rsync's way: mode, size, time, name.
            assertTrue(listing.stdoutLines().stream().anyMatch(l -> l.startsWith("d") && l.endsWith(" data")),
                    listing::transcript);
        }
    }

    /** A local source without a destination is listed, line for line as the stock client lists it. */
    @Test
    void aLocalSourceWithoutADestinationIsListedAsRsyncListsIt() throws IOException {
        StockRsync rsync = StockRsync.requireOnPath();
        Path src = tmp.resolve("src");
        TestTrees.buildVaried(src);
        for (List<String> args : List.of(List.of(src + "/"), List.of("-r", src + "/"), List.of("-rl", src.toString()),
                List.of("-rlh", "--list-only", src + "/"))) {
            var stock = StockClient.of(rsync).run(args.toArray(String[]::new)).assertSuccess();
            Jrsync ours = Jrsync.run(args.toArray(String[]::new)).assertSuccess();
            assertEquals(stock.stdout(), ours.stdout(), String.join(" ", args));
        }
    }

    /**
     * The client checks the sender's file list against the source arguments and its excludes (rsync's
     * "rejecting unrequested/excluded file-list name"): a stock sender's honest lists pass for every shape of
     * argument, and what arrives is what the stock client receives from the same daemon.
     */
    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void honestListsFromAStockSenderAreNotRejected(StockRsync rsync) throws IOException {
        Path module = tmp.resolve("module");
        for (String f : List.of("a.txt", "b.txt", "c.bin", "[x].txt", "dir/x.txt", "dir/sub/y.o", "dir/sub/z.c",
                "dir/.git/config", ".git/HEAD", "other/o.txt")) {
            Files.createDirectories(module.resolve(f).getParent());
            Files.writeString(module.resolve(f), f + "\n");
        }
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("mod", module).readOnly(true)).start()) {
            String url = daemon.url("mod");
            String hostSpec = StockDaemon.HOST + "::mod/";
            String port = "--port=" + daemon.port();
            List<List<String>> cases = List.of(
                    List.of("-a", url + "*.txt"),
                    List.of("-a", url + "[x].txt"),
                    List.of("-a", url + "dir"),
                    List.of("-a", url + "dir/sub/z.c"),
                    List.of("-a", url + "dir", url + "other/"),
                    List.of("-a", port, hostSpec + "a.txt", "::mod/dir/sub", hostSpec + "*.bin"),
                    List.of("-a", "--exclude=.git", "--exclude=*.o", url),
                    List.of("-a", "--exclude=/dir/sub/", url + "dir"),
                    List.of("-a", "--include=*/", "--include=*.txt", "--exclude=*", url),
                    List.of("-a", "--delete", "--exclude=sub", url + "dir/"),
                    List.of("-dt", url + "dir/"),
                    List.of("-rt", url + "dir/."),
                    List.of("-t", url + "b.txt"));
            for (int i = 0; i < cases.size(); i++) {
                List<String> args = cases.get(i);
                Path theirs = Files.createDirectories(tmp.resolve("theirs-" + i));
                Path ours = Files.createDirectories(tmp.resolve("ours-" + i));
                StockClient.of(rsync).run(withDest(args, theirs)).assertSuccess();
                Jrsync r = Jrsync.run(withDest(args, ours).toArray(String[]::new));
                assertEquals(0, r.exitCode(), () -> args + "\n" + r.transcript());
                TreeAssert.assertIdentical(theirs, ours, TreeAssert.Option.IGNORE_ROOT_MTIME);
                try (var arrived = Files.list(ours)) {
                    assertTrue(arrived.findAny().isPresent(), args::toString);
                }
            }
        }
    }

    /** Sources of a pull that are not all on one daemon: refused as stock rsync refuses them, before connecting. */
    @Test
    void mixedSourcesAreRefusedWithRsyncsWords() throws IOException {
        StockRsync rsync = StockRsync.requireOnPath();
        String a = "rsync://127.0.0.1:1/mod/a";
        for (List<String> sources : List.of(List.of(a, "rsync://127.0.0.2:1/mod/b"),
                List.of(a, "rsync://127.0.0.1:2/mod/b"), List.of(a, "localfile"), List.of(a, ":mod/b"),
                List.of("localfile", a))) {
            Path dest = tmp.resolve("never-made");
            var stock = StockClient.of(rsync).workingDirectory(tmp).run(withDest(sources, dest));
            Jrsync ours = Jrsync.run(withDest(sources, dest).toArray(String[]::new));
            assertEquals(1, stock.exitCode(), stock::transcript);
            assertEquals(stock.exitCode(), ours.exitCode(), ours::transcript);
            List<String> stockLines = stock.stderr().lines().filter(l -> !l.startsWith("rsync error:")).toList();
            List<String> ourLines = ours.stderr().lines().filter(l -> !l.startsWith("jrsync error:")).toList();
            assertEquals(stockLines, ourLines, sources::toString);
            assertFalse(Files.exists(dest), sources::toString);
        }
    }

    private static List<String> withDest(List<String> args, Path dest) {
        List<String> all = new ArrayList<>(args);
        all.add(dest + "/");
        return all;
    }

    /**
     * What -v prints for a local copy, line for line as the stock client prints it, byte counts aside: the file
     * list's line ("sending incremental file list", or "building file list ... done" where rsync would not recurse
     * incrementally), "created directory" (and --mkpath's "created N directories for"), the names, and
     * deletions in rsync's order (each directory's sorted listing backwards, contents before the directory).
     */
    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void verboseLocalCopiesPrintWhatRsyncPrints(StockRsync rsync) throws IOException {
        Path src = tmp.resolve("src");
        TestTrees.buildVaried(src, TestTrees.Omit.LARGE_FILES);
        String file = src.resolve("small.txt").toString();
        List<List<String>> runs = List.of(List.of("-av", src + "/", "@new"), List.of("-av", "--delete-after", src + "/",
                "@new"), List.of("-av", file, "@new/"), List.of("-av", "--mkpath", file, "@p/q/"),
                List.of("-av", "--mkpath", src + "/", "@p/q"), List.of("-avn", src + "/", "@new"),
                List.of("-av", "--delete", src + "/", "@old"));
        for (List<String> run : runs) {
            List<String> outputs = new ArrayList<>();
            for (String who : List.of("stock", "ours")) {
                Path base = Files.createDirectories(tmp.resolve(who + "-" + runs.indexOf(run)));
                Path old = base.resolve("old");
                Files.createDirectories(old.resolve("zz/b"));
                Files.createDirectories(old.resolve("zz/a.b"));
                Files.writeString(old.resolve("zz/b/2"), "x");
                Files.writeString(old.resolve("zz/f"), "x");
                Files.writeString(old.resolve("g1"), "x");
                Files.writeString(old.resolve("g2"), "x");
                String[] args = run.stream().map(a -> a.startsWith("@") ? base + "/" + a.substring(1) : a)
                        .toArray(String[]::new);
                String out = who.equals("stock") ? StockClient.of(rsync).run(args).assertSuccess().stdout()
                        : Jrsync.run(args).assertSuccess().stdout();
                outputs.add(out.replace(base.toString(), "BASE").lines()
                        .filter(l -> !l.startsWith("sent ") && !l.startsWith("total size ")).toList().toString());
            }
            assertEquals(outputs.get(0), outputs.get(1), String.join(" ", run));
        }
    }

    /**
     * The --debug words jrsync prints give the stock client's lines in a local copy: the fuzzy basis chosen
     * (FUZZY), the delta search's totals (DELTASUM) and the checksum the two halves agree on (NSTR).
     */
    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void debugWordsPrintWhatRsyncPrints(StockRsync rsync) throws IOException {
        byte[] data = TestTrees.randomBytes(300_000, 7);
        List<String> outputs = new ArrayList<>();
        for (String who : List.of("stock", "ours")) {
            Path base = Files.createDirectories(tmp.resolve("debug-" + who));
            Files.createDirectories(base.resolve("src/d"));
            Files.write(base.resolve("src/d/archive-v2.tar"), data);
            Files.write(base.resolve("src/same.bin"), data);
            Files.createDirectories(base.resolve("dst/d"));
            Files.write(base.resolve("dst/d/archive-v1.tar"), data);
            Files.write(base.resolve("dst/same.bin"), data);
            Files.setLastModifiedTime(base.resolve("dst/same.bin"), java.nio.file.attribute.FileTime.fromMillis(0));
            String[] args = {"-a", "--fuzzy", "--no-whole-file", "--debug=FUZZY,DELTASUM,NSTR", base + "/src/",
                    base + "/dst/"};
            String out = who.equals("stock") ? StockClient.of(rsync).run(args).assertSuccess().stdout()
                    : Jrsync.run(args).assertSuccess().stdout();
            outputs.add(out.lines().filter(l -> l.startsWith("fuzzy basis") || l.startsWith("total: matches")
                    || l.contains(" checksum: ")).toList().toString());
        }
        assertEquals(outputs.get(0), outputs.get(1));
        assertTrue(outputs.get(1).contains("fuzzy basis selected for d/archive-v2.tar: d/archive-v1.tar"), outputs.get(1));
    }

    /**
     * A local copy with -z names the compressor as the stock client does under --debug=NSTR, negotiated or chosen,
     * with its level (rsync's suite: compress-options): jrsync has no pipe to compress, but scripts read the line.
     */
    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void localCompressionChoiceIsNamedAsStockNamesIt(StockRsync rsync) throws IOException {
        Path src = Files.createDirectories(tmp.resolve("z-src/d"));
        Files.writeString(src.resolve("a"), "compress me\n".repeat(100));
        for (List<String> opts : List.of(List.of("-z"), List.of("-z", "--compress-choice=zlib"),
                List.of("-z", "--compress-level=9"), List.of("--zc=lz4"))) {
            List<String> outputs = new ArrayList<>();
            for (String who : List.of("stock", "ours")) {
                List<String> args = new ArrayList<>(List.of("-a", "--debug=NSTR"));
                args.addAll(opts);
                args.add(tmp.resolve("z-src") + "/");
                args.add(tmp.resolve("z-dst-" + who + opts.size() + opts.getLast()) + "/");
                String[] argv = args.toArray(String[]::new);
                String out = who.equals("stock") ? StockClient.of(rsync).run(argv).assertSuccess().stdout()
                        : Jrsync.run(argv).assertSuccess().stdout();
                outputs.add(out.lines().filter(l -> l.contains(" compress: ")).toList().toString());
            }
            assertEquals(outputs.get(0), outputs.get(1), opts::toString);
            assertTrue(outputs.get(1).contains("compress: "), outputs::toString);
        }
    }

    /**
     * A format with %b or %C reports each transferred file once its data moved, as rsync does: %b is what the file
     * took on the wire and, without -c, %C is the checksum its transfer ended with. Pushed to and pulled from a
     * stock daemon, and copied locally, jrsync's lines are the stock client's.
     */
    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void bytesAndTransferChecksumsAreTheStockClients(StockRsync rsync) throws IOException {
        Path base = Files.createDirectories(tmp.resolve("moved"));
        Path src = Files.createDirectories(base.resolve("src/d"));
        Files.writeString(src.resolve("a"), "hello, bytes\n");
        Files.write(src.resolve("b"), TestTrees.randomBytes(70_000, 3));
        Path ours = Files.createDirectories(base.resolve("ours"));
        Path theirs = Files.createDirectories(base.resolve("theirs"));
        String format = "--out-format=%o %n %l %b %C";
        try (StockDaemon daemon = StockDaemon.builder(rsync, base.resolve("daemon"))
                .module(StockDaemon.Module.of("ours", ours)).module(StockDaemon.Module.of("theirs", theirs)).start()) {
            String pushed = Jrsync.run("-r", format, base.resolve("src") + "/", daemon.url("ours")).assertSuccess()
                    .stdout();
            String pushedByStock = StockClient.of(rsync).run("-r", format, base.resolve("src") + "/",
                    daemon.url("theirs")).assertSuccess().stdout();
            assertEquals(pushedByStock, pushed);
            String pulled = Jrsync.run("-r", format, daemon.url("theirs"), base.resolve("pulled") + "/")
                    .assertSuccess().stdout();
            String pulledByStock = StockClient.of(rsync).run("-r", format, daemon.url("theirs"),
                    base.resolve("pulledByStock") + "/").assertSuccess().stdout();
            assertEquals(pulledByStock, pulled);
            assertTrue(pulled.contains("recv d/b 70000 70"), pulled);
        }
        // a local copy reports as rsync's client, its sending half, does: "send", the source's path, its bytes
        String local = Jrsync.run("-r", format + " %f %i", base.resolve("src") + "/",
                Files.createDirectories(base.resolve("local")) + "/").assertSuccess().stdout();
        String localByStock = StockClient.of(rsync).run("-r", format + " %f %i", base.resolve("src") + "/",
                Files.createDirectories(base.resolve("localByStock")) + "/").assertSuccess().stdout();
        assertEquals(localByStock, local);
        assertTrue(local.contains("send d/b 70000 70"), local);
    }

    /**
     * A bad rule in a file that a per-directory rule read from another file names ends the run with a usage error
     * that says where the rule came from but not what it says, nor which file it was: rsync 3.5's message (3.2.7
     * read such a file's lines as patterns).
     */
    @Test
    void aBadRuleInAFileNamedByAFileIsNotShown() throws IOException {
        StockRsync rsync = StockRsync.requireOnPath();
        Path base = Files.createDirectories(tmp.resolve("echo"));
        Path src = Files.createDirectories(base.resolve("src"));
        Files.writeString(src.resolve("f"), "hi\n");
        Files.writeString(base.resolve("secret"), "TOP-SECRET-LINE\n");
        Files.writeString(src.resolve(".rsync-filter"), ": ../secret\n");
        List<String> said = new ArrayList<>();
        for (String who : List.of("stock", "ours")) {
            String[] args = {"-r", "-F", src + "/", base.resolve("dst-" + who) + "/"};
            String stderr;
            if (who.equals("stock")) {
                ProcessResult r = StockClient.of(rsync).run(args);
                assertEquals(1, r.exitCode(), r::transcript);
                stderr = r.stderr();
            } else {
                Jrsync r = Jrsync.run(args);
                assertEquals(1, r.exitCode(), r::transcript);
                stderr = r.stderr();
            }
            assertFalse(stderr.contains("TOP-SECRET") || stderr.contains("secret"), stderr);
            said.add(stderr.lines().findFirst().orElse(""));
        }
        assertEquals(said.get(0), said.get(1));
        assertEquals("Unknown filter rule: <rule from a file read earlier>", said.get(1));
    }

    /**
     * --out-format's %C is each file's checksum as the list carries it with -c, in rsync's digit order (the xxhash
     * family as a number), and blanks for a directory: the stock client's lines (rsync's suite:
     * ki58-log-format-percent). Without -c rsync shows a transferred file's transfer checksum, which jrsync does not
     * yet.
     */
    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void outFormatChecksumsAreTheStockClients(StockRsync rsync) throws IOException {
        Path src = Files.createDirectories(tmp.resolve("csum-src/d"));
        Files.writeString(src.resolve("a"), "hello, checksum\n");
        Files.writeString(src.resolve("b"), "another\n");
        for (List<String> opts : List.of(List.of("-c"), List.of("-c", "--checksum-choice=md5"))) {
            List<String> outputs = new ArrayList<>();
            for (String who : List.of("stock", "ours")) {
                List<String> args = new ArrayList<>(List.of("-r", "--out-format=[%C] %n"));
                args.addAll(opts);
                args.addAll(List.of(src.getParent() + "/", tmp.resolve("csum-" + who + opts.size()) + "/"));
                String out = who.equals("stock") ? StockClient.of(rsync).run(args).assertSuccess().stdout()
                        : Jrsync.run(args.toArray(String[]::new)).assertSuccess().stdout();
                outputs.add(out.lines().sorted().toList().toString());
            }
            assertEquals(outputs.get(0), outputs.get(1), opts.toString());
        }
    }

    /** A tree with a safe and an unsafe link, a link to a directory, and one to nothing; "outside" is beside it. */
    private static Path linkTree(Path base) throws IOException {
        Path src = Files.createDirectories(base.resolve("src/sub"));
        Files.writeString(Files.createDirectories(base.resolve("outside")).resolve("file"), "secret\n");
        Files.writeString(base.resolve("src/file"), "f\n");
        Files.writeString(base.resolve("src/sub/x"), "x\n");
        Files.createSymbolicLink(base.resolve("src/unsafe"), Path.of("../outside/file"));
        Files.createSymbolicLink(base.resolve("src/safe"), Path.of("file"));
        Files.createSymbolicLink(base.resolve("src/dirlink"), Path.of("sub"));
        Files.createSymbolicLink(base.resolve("src/sub/up"), Path.of("../file"));
        return src.getParent();
    }

    /**
     * -L, -k, --copy-unsafe-links, --safe-links and -K give the stock client's trees and exit codes, in a local
     * copy, and -L and --safe-links across a stock daemon (the letters and options a server is sent).
     */
    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void symlinkOptionsGiveTheStockClientsTrees(StockRsync rsync) throws Exception {
        List<List<String>> runs = List.of(List.of("-aL"), List.of("-ak"), List.of("-a", "--copy-unsafe-links"),
                List.of("-av", "--safe-links"), List.of("-aK"));
        for (List<String> opts : runs) {
            List<Path> dests = new ArrayList<>();
            List<Integer> codes = new ArrayList<>();
            for (String who : List.of("stock", "ours")) {
                Path base = Files.createDirectories(tmp.resolve(who + runs.indexOf(opts)));
                Path src = linkTree(base);
                Files.createSymbolicLink(src.resolve("dangling"), Path.of("nowhere"));
                Path dest = Files.createDirectories(base.resolve("dest/real"));
                Files.createSymbolicLink(dest.getParent().resolve("sub"), Path.of("real"));
                List<String> args = new ArrayList<>(opts);
                args.addAll(List.of(src + "/", dest.getParent() + "/"));
                String[] a = args.toArray(String[]::new);
                codes.add(who.equals("stock") ? StockClient.of(rsync).run(a).exitCode() : Jrsync.run(a).exitCode());
                dests.add(dest.getParent());
            }
            // kinds, targets, contents and modes: each run copies its own tree, made at its own time
            TreeAssert.assertIdentical(dests.get(0), dests.get(1), TreeAssert.Option.IGNORE_MTIMES);
            assertEquals(codes.get(0), codes.get(1), opts::toString);
        }

        Path base = Files.createDirectories(tmp.resolve("daemon"));
        Path src = linkTree(base);
        Path ours = Files.createDirectories(base.resolve("ours"));
        Path theirs = Files.createDirectories(base.resolve("theirs"));
        try (StockDaemon daemon = StockDaemon.builder(rsync, base.resolve("d"))
                .module(StockDaemon.Module.of("ours", ours)).module(StockDaemon.Module.of("theirs", theirs)).start()) {
            Jrsync.run("-a", "--safe-links", src + "/", daemon.url("ours")).assertSuccess();
            StockClient.of(rsync).run("-a", "--safe-links", src + "/", daemon.url("theirs")).assertSuccess();
            TreeAssert.assertIdentical(theirs, ours, TreeAssert.Option.IGNORE_SYMLINK_MTIMES);
            Path pulled = base.resolve("pulled");
            Path pulledByStock = base.resolve("pulledByStock");
            Jrsync.run("-aL", "--exclude=unsafe", daemon.url("theirs"), pulled + "/").assertSuccess();
            StockClient.of(rsync).run("-aL", "--exclude=unsafe", daemon.url("theirs"), pulledByStock + "/")
                    .assertSuccess();
            TreeAssert.assertIdentical(pulledByStock, pulled, TreeAssert.Option.IGNORE_SYMLINK_MTIMES);
            assertTrue(Files.isRegularFile(pulled.resolve("file")), "nothing was pulled");
        }
    }

    /**
     * The Java daemon follows -L and -k links only as far as its module reaches: a stock client's pull gets
     * what an in-module link leads to; a link to a directory out of the module arrives as an empty directory,
     * since listing it is refused as rsync's confined opendir refuses it, and one to a file out of it is not sent.
     */
    @Test
    void theJavaDaemonFollowsLinksOnlyInsideItsModule() throws Exception {
        Path base = Files.createDirectories(tmp.resolve("jd"));
        Path src = linkTree(base);
        Files.createSymbolicLink(src.resolve("outdir"), base.resolve("outside"));
        try (ModuleDaemon daemon = ModuleDaemon.start(src, base.resolve("log"), 0, "")) {
            Path pulled = base.resolve("pulled");
            ProcessResult r = StockClient.of(StockRsync.requireOnPath()).run("-aL", daemon.url(), pulled + "/");
            assertEquals(23, r.exitCode(), r::transcript);
            assertEquals("x\n", Files.readString(pulled.resolve("dirlink/x")));
            assertEquals("f\n", Files.readString(pulled.resolve("safe")));
            assertTrue(Files.notExists(pulled.resolve("unsafe")), r::transcript);
            try (var listed = Files.list(pulled.resolve("outdir"))) {
                assertEquals(List.of(), listed.toList(), r::transcript);
            }
            assertTrue(r.stderr().contains("opendir \"outdir\" failed: Too many levels of symbolic links (40)"),
                    r::transcript);
            assertTrue(r.stderr().contains("now leads out of the module"), r::transcript);
        }
    }

    /**
     * With -R --no-implied-dirs the receiver goes through a symlink to a directory it finds on the way, as the
     * stock client does; with implied directories the link is replaced by the directory the list names.
     */
    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void noImpliedDirsGoesThroughAnExistingLinkOnTheWay(StockRsync rsync) throws Exception {
        Path base = Files.createDirectories(tmp.resolve("nid"));
        Files.createDirectories(base.resolve("src/path"));
        Files.writeString(base.resolve("src/path/file"), "new\n");
        for (String opts : List.of("--no-implied-dirs", "--implied-dirs")) {
            List<Path> dests = new ArrayList<>();
            for (String who : List.of("stock", "ours")) {
                Path dest = Files.createDirectories(base.resolve(who + opts + "/real"));
                Files.createSymbolicLink(dest.resolveSibling("path"), Path.of("real"));
                String[] a = {"-aR", opts, base + "/src/./path/file", dest.getParent() + "/"};
                if (who.equals("stock")) {
                    StockClient.of(rsync).run(a).assertSuccess();
                } else {
                    Jrsync.run(a).assertSuccess();
                }
                dests.add(dest.getParent());
            }
            // the links on the way are the test's own, made a moment apart
            TreeAssert.assertIdentical(dests.get(0), dests.get(1), TreeAssert.Option.IGNORE_DIR_MTIMES,
                    TreeAssert.Option.IGNORE_SYMLINK_MTIMES);
            assertEquals(opts.equals("--no-implied-dirs"), Files.isSymbolicLink(dests.get(1).resolve("path")), opts);
        }
        // a link that leads out of the destination is not gone through (rsync 3.5; suite: relative-mkpath-symlink)
        Path outside = Files.createDirectories(base.resolve("outside"));
        Path dest = Files.createDirectories(base.resolve("escape"));
        Files.createSymbolicLink(dest.resolve("path"), outside);
        Jrsync.run("-aR", "--no-implied-dirs", base + "/src/./path/file", dest + "/");
        try (var listed = Files.list(outside)) {
            assertEquals(List.of(), listed.toList(), "written through a link out of the destination");
        }
    }

    /**
     * With -R --no-implied-dirs a directory on the way is made with the default mode, not given the source's, as the
     * stock client makes it (the sender lists it as implied from protocol 30, and the receiver passes it by; rsync's
     * suite: relative-implied).
     */
    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void noImpliedDirsLeavesTheWayWithDefaultModes(StockRsync rsync) throws Exception {
        Path base = Files.createDirectories(tmp.resolve("nidm/src/b/c"));
        Files.writeString(base.resolve("file"), "data\n");
        Files.setPosixFilePermissions(base.getParent(), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---"));
        List<String> modes = new ArrayList<>();
        for (String who : List.of("stock", "ours")) {
            Path dest = tmp.resolve("nidm/" + who);
            String[] a = {"-aR", "--no-implied-dirs", tmp.resolve("nidm/src") + "/./b/c/file", dest + "/"};
            if (who.equals("stock")) {
                StockClient.of(rsync).run(a).assertSuccess();
            } else {
                Jrsync.run(a).assertSuccess();
            }
            modes.add(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dest.resolve("b"))));
        }
        assertEquals(modes.get(0), modes.get(1));
        assertFalse(modes.get(1).equals("rwxr-x---"), "the source's mode was copied to a directory on the way");
    }

    /**
     * -R sends each source by its path, from a "/./" in it, with its parent directories unless
     * --no-implied-dirs (then the receiver makes the missing ones): local copies, a push to and a pull from a
     * stock daemon give the stock client's trees.
     */
    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void relativePathsGiveTheStockClientsTrees(StockRsync rsync) throws Exception {
        List<List<String>> runs = List.of(List.of("-aR", "src/a/b/c", "src/x"), List.of("-aR", "src/./a/b", "src/x/g"),
                List.of("-aR", "--no-implied-dirs", "src/./a/b/c/f"), List.of("-aR", "src/a/b/"),
                List.of("-aR", "@src/x"));
        Path shared = Files.createDirectories(tmp.resolve("rel"));
        Files.createDirectories(shared.resolve("src/a/b/c"));
        Files.createDirectories(shared.resolve("src/x"));
        Files.writeString(shared.resolve("src/a/b/c/f"), "1\n");
        Files.writeString(shared.resolve("src/x/g"), "2\n");
        // every destination exists before the first run, so no run changes the time of "rel", which the
        // absolute source's implied directories copy
        for (int i = 0; i < runs.size(); i++) {
            Files.createDirectories(shared.resolve("stock" + i));
            Files.createDirectories(shared.resolve("ours" + i));
        }
        for (List<String> run : runs) {
            List<Path> dests = new ArrayList<>();
            for (String who : List.of("stock", "ours")) {
                Path dest = shared.resolve(who + runs.indexOf(run));
                List<String> args = new ArrayList<>(run.stream()
                        .map(a -> a.startsWith("@") ? shared + "/" + a.substring(1) : a).toList());
                args.add(dest + "/");
                String[] a = args.toArray(String[]::new);
                if (who.equals("stock")) {
                    StockClient.of(rsync).workingDirectory(shared).run(a).assertSuccess();
                } else {
                    Jrsync.run(relativeTo(shared, a)).assertSuccess();
                }
                dests.add(dest);
            }
            // whole seconds: rsync leaves a directory it made alone when its time is the source's second (same_time);
            // the destination itself is not in a -R list, and its time is when the run made its first entry
            if (run.getLast().startsWith("@")) {
                // the implied /tmp and the test's own directory change whenever anything is made in them, so
                // directory times are compared only from "rel" down, which nothing else touches
                TreeAssert.assertIdentical(dests.get(0), dests.get(1), TreeAssert.Option.IGNORE_DIR_MTIMES);
                Path below = Path.of("/").relativize(shared);
                TreeAssert.assertIdentical(dests.get(0).resolve(below), dests.get(1).resolve(below));
            } else if (run.contains("--no-implied-dirs")) {
                // the directories on the way are made as they would be by mkdir, at the time of each run
                TreeAssert.assertIdentical(dests.get(0), dests.get(1), TreeAssert.Option.IGNORE_DIR_MTIMES);
            } else {
                TreeAssert.assertIdentical(dests.get(0), dests.get(1), TreeAssert.Option.IGNORE_ROOT_MTIME);
            }
        }

        Path base = Files.createDirectories(tmp.resolve("rel-daemon"));
        Files.createDirectories(base.resolve("src/a/b"));
        Files.writeString(base.resolve("src/a/b/f"), "3\n");
        Path ours = Files.createDirectories(base.resolve("ours"));
        Path theirs = Files.createDirectories(base.resolve("theirs"));
        try (StockDaemon daemon = StockDaemon.builder(rsync, base.resolve("d"))
                .module(StockDaemon.Module.of("ours", ours)).module(StockDaemon.Module.of("theirs", theirs)).start()) {
            Jrsync.run("-aR", base + "/src/./a/b", daemon.url("ours")).assertSuccess();
            StockClient.of(rsync).run("-aR", base + "/src/./a/b", daemon.url("theirs")).assertSuccess();
            TreeAssert.assertIdentical(theirs, ours, TreeAssert.Option.IGNORE_ROOT_MTIME);
            assertTrue(Files.isRegularFile(ours.resolve("a/b/f")));
            Path pulled = base.resolve("pulled");
            Path pulledByStock = base.resolve("pulledByStock");
            Jrsync.run("-aR", daemon.url("theirs") + "./a/b", pulled + "/").assertSuccess();
            StockClient.of(rsync).run("-aR", daemon.url("theirs") + "./a/b", pulledByStock + "/").assertSuccess();
            TreeAssert.assertIdentical(pulledByStock, pulled, TreeAssert.Option.IGNORE_ROOT_MTIME);
            assertTrue(Files.isRegularFile(pulled.resolve("a/b/f")), "nothing was pulled");
        }
    }

    /**
     * The "src..." arguments as the stock client in {@code base} reads them, for jrsync in this JVM's directory:
     * below {@code base}, and cut where the relative path starts ("/./") as the working directory cut them.
     */
    private static String[] relativeTo(Path base, String[] args) {
        return java.util.Arrays.stream(args).map(a -> !a.startsWith("src") ? a
                : a.contains("/./") ? base + "/" + a : base + "/./" + a).toArray(String[]::new);
    }

    /**
     * --append keeps what the receiver has and takes only the rest, --append-verify redoes a file whose kept
     * part differs; as the stock client does, in a local copy, a push to a stock daemon and a pull from one
     * (a push used to hang: jrsync's sender waited for block sums that an appending generator does not send).
     */
    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void appendKeepsWhatTheReceiverHasAsRsyncDoes(StockRsync rsync) throws Exception {
        Path base = Files.createDirectories(tmp.resolve("append"));
        Path src = Files.createDirectories(base.resolve("src"));
        Files.writeString(src.resolve("f"), "AAAABBBBCCCC");
        Path module = Files.createDirectories(base.resolve("module"));
        try (StockDaemon daemon = StockDaemon.builder(rsync, base.resolve("d"))
                .module(StockDaemon.Module.of("mod", module)).start()) {
            for (String mode : List.of("--append", "--append-verify")) {
                for (String way : List.of("local", "push", "pull")) {
                    List<String> results = new ArrayList<>();
                    for (String who : List.of("stock", "ours")) {
                        Path dest = Files.createDirectories(base.resolve(who + mode + way));
                        Files.writeString(dest.resolve("f"), "XXXX");
                        Files.writeString(module.resolve("f"), "XXXX");
                        String[] args = switch (way) {
                            case "local" -> new String[] {"-a", mode, src + "/", dest + "/"};
                            case "push" -> new String[] {"-a", mode, src + "/", daemon.url("mod")};
                            default -> new String[] {"-a", mode, daemon.url("mod") + "f", dest + "/"};
                        };
                        if (way.equals("pull")) {
                            Files.writeString(module.resolve("f"), "AAAABBBBCCCC");
                        }
                        int code = who.equals("stock") ? StockClient.of(rsync).run(args).exitCode()
                                : Jrsync.run(args).exitCode();
                        Path got = way.equals("push") ? module.resolve("f") : dest.resolve("f");
                        results.add(code + " " + Files.readString(got));
                    }
                    assertEquals(results.get(0), results.get(1), mode + " " + way);
                    assertTrue(results.get(0).startsWith("0 "), results::toString);
                }
            }
        }
    }

    /**
     * --files-from sends the listed paths below the source directory, with their parents, recursing only with an
     * explicit -r (not -a's), comments left out and a leading '/' taken as relative; --from0 reads NUL-ended
     * names. Local copies and a push to a stock daemon give the stock client's trees; a pull is refused.
     */
    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void filesFromGivesTheStockClientsTrees(StockRsync rsync) throws Exception {
        Path base = Files.createDirectories(tmp.resolve("ff"));
        Path src = Files.createDirectories(base.resolve("src/a/b"));
        Files.createDirectories(base.resolve("src/c"));
        Files.writeString(base.resolve("src/a/b/f"), "1\n");
        Files.writeString(base.resolve("src/c/g"), "2\n");
        Files.writeString(base.resolve("src/top"), "3\n");
        Path list = Files.writeString(base.resolve("list"), "a/b/f\n# a comment\n/top\nc\n");
        Path list0 = Files.writeString(base.resolve("list0"), "a/b/f\0top\0c\0");
        src = src.getParent().getParent();
        List<List<String>> runs = List.of(List.of("-a", "--files-from=" + list), List.of("-ar", "--files-from=" + list),
                List.of("-a", "--from0", "--files-from=" + list0));
        for (List<String> run : runs) {
            List<Path> dests = new ArrayList<>();
            for (String who : List.of("stock", "ours")) {
                Path dest = base.resolve(who + runs.indexOf(run));
                List<String> args = new ArrayList<>(run);
                args.addAll(List.of(src + "/", dest + "/"));
                String[] a = args.toArray(String[]::new);
                if (who.equals("stock")) {
                    StockClient.of(rsync).run(a).assertSuccess();
                } else {
                    Jrsync.run(a).assertSuccess();
                }
                dests.add(dest);
            }
            TreeAssert.assertIdentical(dests.get(0), dests.get(1), TreeAssert.Option.IGNORE_ROOT_MTIME);
            assertTrue(Files.isRegularFile(dests.get(1).resolve("a/b/f")), run::toString);
        }
        Path ours = Files.createDirectories(base.resolve("ours"));
        Path theirs = Files.createDirectories(base.resolve("theirs"));
        try (StockDaemon daemon = StockDaemon.builder(rsync, base.resolve("d"))
                .module(StockDaemon.Module.of("ours", ours)).module(StockDaemon.Module.of("theirs", theirs)).start()) {
            Jrsync.run("-a", "--files-from=" + list, src + "/", daemon.url("ours")).assertSuccess();
            StockClient.of(rsync).run("-a", "--files-from=" + list, src + "/", daemon.url("theirs")).assertSuccess();
            TreeAssert.assertIdentical(theirs, ours, TreeAssert.Option.IGNORE_ROOT_MTIME);
            // a pull sends the list to the daemon's sender after the filter rules (without comments: stock rsync
            // sends them on as names, which its sender then fails to find)
            Jrsync.run("-a", "--from0", "--files-from=" + list0, daemon.url("theirs"), base.resolve("p") + "/")
                    .assertSuccess();
            StockClient.of(rsync).run("-a", "--from0", "--files-from=" + list0, daemon.url("theirs"),
                    base.resolve("sp") + "/").assertSuccess();
            TreeAssert.assertIdentical(base.resolve("sp"), base.resolve("p"), TreeAssert.Option.IGNORE_ROOT_MTIME);
        }
    }

    /**
     * A symlink replaced with -b is kept as a backup too, as rsync's atomic_create makes one (the suite's
     * files-from-leak needs the old link in --backup-dir): the stock client's backup tree.
     */
    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void aReplacedSymlinkIsBackedUpAsRsyncDoes(StockRsync rsync) throws IOException {
        List<Path> dests = new ArrayList<>();
        for (String who : List.of("stock", "ours")) {
            Path base = Files.createDirectories(tmp.resolve("linkbackup-" + who));
            Files.createDirectories(base.resolve("src/sub"));
            Files.createSymbolicLink(base.resolve("src/sub/l"), Path.of("new-target"));
            Files.createDirectories(base.resolve("dst/sub"));
            Files.createSymbolicLink(base.resolve("dst/sub/l"), Path.of("old-target"));
            String[] a = {"-a", "-b", "--backup-dir=" + base.resolve("bak"), base.resolve("src") + "/",
                    base.resolve("dst") + "/"};
            if (who.equals("stock")) {
                StockClient.of(rsync).run(a).assertSuccess();
            } else {
                Jrsync.run(a).assertSuccess();
            }
            assertEquals(Path.of("new-target"), Files.readSymbolicLink(base.resolve("dst/sub/l")));
            dests.add(base.resolve("bak"));
        }
        assertEquals(Path.of("old-target"), Files.readSymbolicLink(dests.get(0).resolve("sub/l")), "stock");
        // the backed-up links are the test's own, made a moment apart
        TreeAssert.assertIdentical(dests.get(0), dests.get(1), TreeAssert.Option.IGNORE_DIR_MTIMES,
                TreeAssert.Option.IGNORE_SYMLINK_MTIMES);
    }

    /**
     * Per-directory merge files found in the destination protect and exclude there for --delete, as rsync's
     * receiver reads them (rsync's suite, delete): "P foo" kept foo, where jrsync deleted it.
     */
    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void mergeFilesInTheDestinationGuardDeletionsAsRsyncDoes(StockRsync rsync) throws IOException {
        List<List<String>> runs = List.of(List.of("-r", "--exclude=baz", "--filter=: filters", "--delete-excluded"),
                List.of("-r", "--filter=: filters", "--delete"));
        for (List<String> run : runs) {
            List<Path> dests = new ArrayList<>();
            for (String who : List.of("stock", "ours")) {
                Path base = Files.createDirectories(tmp.resolve("merge-" + who + runs.indexOf(run)));
                Files.createDirectories(base.resolve("src/sub"));
                Files.writeString(base.resolve("src/keep"), "x\n");
                Files.writeString(base.resolve("src/sub/kept"), "x\n");
                Path dst = Files.createDirectories(base.resolve("dst/sub"));
                Files.writeString(dst.resolve("../filters"), "P foo\n- bar\n");
                Files.writeString(dst.resolve("filters"), "P inner\n");
                for (String name : List.of("../foo", "../bar", "../baz", "inner", "other")) {
                    Files.writeString(dst.resolve(name), "old\n");
                }
                List<String> args = new ArrayList<>(run);
                args.addAll(List.of(base.resolve("src") + "/", base.resolve("dst") + "/"));
                String[] a = args.toArray(String[]::new);
                if (who.equals("stock")) {
                    StockClient.of(rsync).run(a).assertSuccess();
                } else {
                    Jrsync.run(a).assertSuccess();
                }
                dests.add(base.resolve("dst"));
            }
            List<String> theirs;
            List<String> ours;
            try (var t = Files.walk(dests.get(0)); var o = Files.walk(dests.get(1))) {
                theirs = t.map(p -> dests.get(0).relativize(p).toString()).sorted().toList();
                ours = o.map(p -> dests.get(1).relativize(p).toString()).sorted().toList();
            }
            assertEquals(theirs, ours, run::toString);
            assertTrue(ours.contains("foo") && ours.contains("sub/inner"), ours::toString);
        }
    }

    /**
     * Lines rsync 3.5.0's own test suite compares (its missing, itemize and devices tests): --existing names a
     * directory it does not create but nothing below it; -i tells of the destination directory it makes; a dry
     * run's summary says so; a device replaced without -t is itemized with T.
     */
    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void existingItemizeAndDryRunLinesAreTheStockClients(StockRsync rsync) throws IOException {
        List<List<String>> runs = new ArrayList<>(List.of(
                List.of("-n", "-r", "--ignore-non-existing", "-vv", "@src/", "@old/"),
                List.of("-n", "-r", "--delete-after", "-i", "@src/", "@old/"),
                List.of("-iplr", "@src/", "@new/")));
        if (CurrentUser.isRoot()) {
            runs.add(List.of("-Di", "@src/block3", "@old/block"));
        }
        for (List<String> run : runs) {
            List<String> outputs = new ArrayList<>();
            for (String who : List.of("stock", "ours")) {
                Path base = Files.createDirectories(tmp.resolve(who + "-" + runs.indexOf(run)));
                Files.createDirectories(base.resolve("src/subdir"));
                Files.writeString(base.resolve("src/subdir/file"), "data\n");
                Files.createDirectories(base.resolve("old"));
                Files.writeString(base.resolve("old/other"), "data\n");
                if (run.contains("-Di")) {
                    Posix.mknod(base.resolve("src/block3"), 060644, Posix.makedev(1, 2));
                    Posix.mknod(base.resolve("old/block"), 060644, Posix.makedev(3, 4));
                }
                String[] args = run.stream().map(a -> a.startsWith("@") ? base + "/" + a.substring(1) : a)
                        .toArray(String[]::new);
                String out = who.equals("stock") ? StockClient.of(rsync).run(args).assertSuccess().stdout()
                        : Jrsync.run(args).assertSuccess().stdout();
                outputs.add(out.replace(base.toString(), "BASE").lines()
                        .filter(l -> !l.startsWith("sent ") && !l.startsWith("total size ")
                                && !l.startsWith("delta-transmission ") && !l.startsWith("total: "))
                        .toList().toString());
                if (run.contains("-n") && run.contains("-vv")) {
                    assertTrue(out.contains(" (DRY RUN)\n"), out);
                }
            }
            assertEquals(outputs.get(0), outputs.get(1), String.join(" ", run));
        }
    }

    /**
     * A local --remove-source-files leaves the source as rsync leaves it, directories only, and says "sender
     * removed" at -vv only, as the stock client does.
     */
    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void localRemoveSourceFilesLeavesWhatRsyncLeaves(StockRsync rsync) throws IOException {
        for (String verbosity : List.of("-av", "-avv")) {
            List<String> outputs = new ArrayList<>();
            for (String who : List.of("stock", "ours")) {
                Path base = Files.createDirectories(tmp.resolve(who + verbosity));
                Path src = base.resolve("src");
                TestTrees.buildVaried(src, TestTrees.Omit.LARGE_FILES, TestTrees.Omit.SPECIALS);
                String[] args = {verbosity, "--remove-source-files", src + "/", base + "/dst/"};
                String out = who.equals("stock") ? StockClient.of(rsync).run(args).assertSuccess().stdout()
                        : Jrsync.run(args).assertSuccess().stdout();
                outputs.add(out.replace(base.toString(), "BASE").lines().filter(l -> l.startsWith("sender removed"))
                        .sorted().toList().toString());
                try (var left = Files.walk(src)) {
                    List<Path> notDirs = left.filter(p -> !Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                            .toList();
                    assertEquals(List.of(), notDirs, who + " " + verbosity);
                }
            }
            assertEquals(outputs.get(0), outputs.get(1), verbosity);
        }
    }

    /**
     * --max-delete ends with rsync's code 25 and its message, as the stock client does on the same trees; and
     * --cc=none, which implies whole files, copies a changed file even with --no-W (it was an internal error).
     */
    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void maxDeleteEndsWithCode25AndChecksumNoneSendsWholeFiles(StockRsync rsync) throws IOException {
        Path src = tmp.resolve("src");
        TestTrees.buildVaried(src, TestTrees.Omit.LARGE_FILES);
        for (String who : List.of("stock", "ours")) {
            Path dst = tmp.resolve(who);
            for (String extra : List.of("x1", "x2", "x3")) {
                Files.createDirectories(dst);
                Files.writeString(dst.resolve(extra), extra);
            }
            String[] args = {"-av", "--delete", "--max-delete=1", src + "/", dst.toString()};
            int code;
            String err;
            String said;
            if (who.equals("stock")) {
                var r = StockClient.of(rsync).run(args);
                code = r.exitCode();
                err = r.stderr();
                said = r.stdout();
            } else {
                Jrsync r = Jrsync.run(args);
                code = r.exitCode();
                err = r.stderr();
                said = r.stdout();
            }
            assertEquals(25, code, who + ": " + err);
            assertTrue(said.contains("\ntotal size is "), who + " ran to its end and says so: " + said);
            assertTrue(err.contains("Deletions stopped due to --max-delete limit (2 skipped)"), who + ": " + err);
            try (var left = Files.list(dst)) {
                assertEquals(2, left.filter(p -> p.getFileName().toString().startsWith("x")).count(), who);
            }
        }
        Path ours = tmp.resolve("ours");
        Files.writeString(src.resolve("small.txt"), "changed after the first copy\n");
        Jrsync.run("-a", "--no-W", "--cc=none", src + "/", ours.toString()).assertSuccess();
        assertEquals(Files.readString(src.resolve("small.txt")), Files.readString(ours.resolve("small.txt")));
    }

    /**
     * --chmod as rsync's parse_chmod reads it: an item that names no one is filtered by the umask ("D+w" leaves a
     * 755 directory 755 under umask 022), X only where an execute bit is, s and t as rsync places them; with and
     * without -p, the modes jrsync leaves are the stock client's.
     */
    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void chmodGivesTheModesTheStockClientGives(StockRsync rsync) throws IOException {
        Path src = tmp.resolve("src");
        Files.createDirectories(src.resolve("d/e"));
        for (String[] f : new String[][] {{"plain", "rw-r--r--"}, {"tool", "rwxr-x---"}, {"d/e/x", "rw-------"}}) {
            Files.writeString(src.resolve(f[0]), f[0]);
            Files.setPosixFilePermissions(src.resolve(f[0]), java.nio.file.attribute.PosixFilePermissions.fromString(f[1]));
        }
        for (String spec : List.of("D+w", "+x", "go-w", "Fa=r,D+X", "u+s,g+s", "o=t", "a+X", "=rw", "D-rx", "F600")) {
            for (String p : List.of("-r", "-rp")) {
                List<String> modes = new ArrayList<>();
                for (String who : List.of("stock", "ours")) {
                    Path dst = tmp.resolve(who + "-" + spec.replace(',', '_') + p);
                    String[] args = {p, "--chmod=" + spec, src + "/", dst.toString()};
                    if (who.equals("stock")) {
                        StockClient.of(rsync).run(args).assertSuccess();
                    } else {
                        Jrsync.run(args).assertSuccess();
                    }
                    StringBuilder sb = new StringBuilder();
                    for (String name : List.of("d", "d/e", "plain", "tool", "d/e/x")) {
                        sb.append(name).append('=').append(Integer.toOctalString((int) Files.getAttribute(
                                dst.resolve(name), "unix:mode") & 07777)).append(' ');
                    }
                    modes.add(sb.toString());
                }
                assertEquals(modes.get(0), modes.get(1), "--chmod=" + spec + " " + p);
            }
        }
    }

    /**
     * rsync's quick check compares whole seconds (rsync/util1.c:same_time): a file of the same size whose time
     * differs only below the second is left alone, times included, as the stock client leaves it; a negative
     * --modify-window compares nanoseconds and sends it.
     */
    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void theQuickCheckComparesWholeSecondsAsRsyncDoes(StockRsync rsync) throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path file = Files.writeString(src.resolve("a.txt"), "source\n");
        java.nio.file.attribute.FileTime source = java.nio.file.attribute.FileTime.from(
                java.time.Instant.parse("2024-01-01T00:00:00.100Z"));
        Files.setLastModifiedTime(file, source);
        Files.setLastModifiedTime(src, source); // each copy's directory then differs by far more than a second
        java.nio.file.attribute.FileTime local = java.nio.file.attribute.FileTime.from(
                java.time.Instant.parse("2024-01-01T00:00:00.500Z"));
        List<String> printed = new ArrayList<>();
        for (String who : List.of("stock", "ours")) {
            Path dst = Files.createDirectories(tmp.resolve(who));
            Files.writeString(dst.resolve("a.txt"), "local!\n");
            Files.setLastModifiedTime(dst.resolve("a.txt"), local);
            String[] args = {"-ai", src + "/", dst + "/"};
            printed.add(who.equals("stock") ? StockClient.of(rsync).run(args).assertSuccess().stdout()
                    : Jrsync.run(args).assertSuccess().stdout());
            assertEquals("local!\n", Files.readString(dst.resolve("a.txt")), who);
            assertEquals(local, Files.getLastModifiedTime(dst.resolve("a.txt")), who);
        }
        assertEquals(printed.get(0), printed.get(1));
        Jrsync nanos = Jrsync.run("-ai", "--modify-window=-1", src + "/", tmp.resolve("ours") + "/").assertSuccess();
        assertEquals("source\n", Files.readString(tmp.resolve("ours/a.txt")), nanos::transcript);
        assertEquals(source, Files.getLastModifiedTime(tmp.resolve("ours/a.txt")));
    }

    /**
     * --info=stats3 adds a memory block per role to --stats, as stock rsync on Linux prints one per process (the
     * sender, and the server's receiver and generator it forks); jrsync's gives its Java heap, where rsync gives
     * malloc's arena, with the figures a user can check against the JVM's limits.
     */
    @Test
    void infoStats3ReportsTheHeapOfEachRoleAsStockReportsMalloc() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("stats3-src"));
        Files.writeString(src.resolve("f"), "x".repeat(64));
        String[] args = {"-r", "--info=stats3", src + "/", tmp.resolve("stats3-dst") + "/"};
        List<String> roles = new ArrayList<>();
        for (String out : List.of(StockClient.of(StockRsync.requireOnPath()).run(args).assertSuccess().stdout(),
                Jrsync.run(args).assertSuccess().stdout())) {
            roles.add(out.lines().filter(l -> l.endsWith(" heap statistics:")).map(l -> l.replaceAll(".*\\[[0-9]+\\] ", ""))
                    .toList().toString());
            assertTrue(out.contains("Number of files: 2"), out);
        }
        assertEquals("[(sender) heap statistics:, (server receiver) heap statistics:, (server generator) heap statistics:]",
                roles.get(0), "stock's blocks");
        assertEquals(roles.get(0), roles.get(1));
        String ours = Jrsync.run(args).assertSuccess().stdout();
        long used = Long.parseLong(ours.lines().filter(l -> l.startsWith("  used:")).findFirst().orElseThrow()
                .replaceAll("[^0-9]", ""));
        long max = Long.parseLong(ours.lines().filter(l -> l.startsWith("  max:")).findFirst().orElseThrow()
                .replaceAll("[^0-9]", ""));
        assertTrue(used > 0 && used < max, ours);
    }

    /**
     * --backup without --backup-dir, as rsync's parse_arguments sets it up: with --delete a "P *~" rule keeps the
     * backups from being deleted (or backed up again as "x~~"), and directory times are not kept (-O implied). The
     * destination ends as the stock client leaves it, and --info=backup names each backup as the stock client does.
     */
    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void backupsBesideTheFilesAreKeptAsRsyncKeepsThem(StockRsync rsync) throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src/d"));
        Files.writeString(src.resolve("f"), "new\n");
        Files.setLastModifiedTime(src, java.nio.file.attribute.FileTime.fromMillis(1_000_000_000_000L));
        List<String> trees = new ArrayList<>();
        List<List<String>> told = new ArrayList<>();
        for (String who : List.of("stock", "ours")) {
            Path dst = Files.createDirectories(tmp.resolve(who));
            Files.writeString(dst.resolve("stale"), "stale\n");
            Files.writeString(dst.resolve("stale~"), "older backup\n");
            Files.writeString(dst.resolve("kept~"), "a backup\n");
            String[] args = {"-a", "--backup", "--delete", "--info=backup", tmp.resolve("src") + "/", dst + "/"};
            String out = who.equals("stock") ? StockClient.of(rsync).run(args).assertSuccess().stdout()
                    : Jrsync.run(args).assertSuccess().stdout();
            told.add(out.lines().filter(l -> l.startsWith("backed up")).sorted().toList());
            StringBuilder sb = new StringBuilder();
            try (var walk = Files.walk(dst)) {
                for (Path p : walk.sorted().toList()) {
                    sb.append(dst.relativize(p)).append(Files.isRegularFile(p) ? "=" + Files.readString(p).strip() : "")
                            .append(' ');
                }
            }
            trees.add(sb.toString());
            assertFalse(Files.getLastModifiedTime(dst.resolve("d")).toMillis() == 1_000_000_000_000L,
                    who + " kept the directory's time");
        }
        assertEquals(trees.get(0), trees.get(1));
        assertTrue(trees.get(1).contains("stale~=stale") && trees.get(1).contains("kept~=a backup"), trees.get(1));
        assertEquals(List.of("backed up stale to stale~"), told.get(0), "--info=backup names each backup");
        assertEquals(told.get(0), told.get(1));
    }

    /**
     * What a file of another type replaces, or a deletion removes, is backed up whatever its type (a symlink, a
     * fifo), as rsync's make_backup keeps it; under --safe-links a symlink leading out of the transfer is dropped
     * instead (rsync's suite: ki72-safe-links-backup, backup-crossdev-copy).
     */
    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void replacedAndDeletedItemsOfEveryTypeAreBackedUp(StockRsync rsync) throws IOException {
        Path src = Files.createDirectories(tmp.resolve("types-src"));
        Files.writeString(src.resolve("escape"), "a file now\n");
        Files.writeString(src.resolve("safe"), "a file now\n");
        Files.writeString(src.resolve("pipe"), "a file now\n");
        for (String safeLinks : List.of("--links", "--safe-links")) {
            if (safeLinks.equals("--safe-links") && !rsync.version().startsWith("3.5")) {
                continue; // 3.2.7 still backs up an unsafe link (rsync's KI-72, fixed in 3.5)
            }
            List<String> trees = new ArrayList<>();
            for (String who : List.of("stock", "ours")) {
                Path dst = Files.createDirectories(tmp.resolve("types-" + who + safeLinks));
                Files.createSymbolicLink(dst.resolve("escape"), Path.of("../../sensitive"));
                Files.createSymbolicLink(dst.resolve("safe"), Path.of("pipe"));
                Files.createSymbolicLink(dst.resolve("gone"), Path.of("../elsewhere"));
                Posix.mkfifo(dst.resolve("pipe"), 0644);
                String[] args = {"-a", safeLinks, "--backup", "--suffix=.bak", "--delete", src + "/", dst + "/"};
                if (who.equals("stock")) {
                    StockClient.of(rsync).run(args).assertSuccess();
                } else {
                    Jrsync.run(args).assertSuccess();
                }
                StringBuilder sb = new StringBuilder();
                try (var walk = Files.list(dst)) {
                    for (Path p : walk.sorted().toList()) {
                        sb.append(dst.relativize(p)).append(Files.isSymbolicLink(p) ? "->" + Files.readSymbolicLink(p)
                                : Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? "=file"
                                : "=other").append(' ');
                    }
                }
                trees.add(sb.toString());
            }
            assertEquals(trees.get(0), trees.get(1), safeLinks);
            assertEquals(safeLinks.equals("--links"), trees.get(1).contains("escape.bak->../../sensitive"), trees.get(1));
            assertTrue(trees.get(1).contains("pipe.bak=other") && trees.get(1).contains("safe.bak->pipe"), trees.get(1));
        }
    }

    /**
     * A deletion removes a file that is a backup itself instead of backing it up again as "x~~" (rsync's
     * is_backup_file; rsync's suite, delete-deep), once a rule lets --delete reach it.
     */
    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void aBackupIsDeletedNotBackedUpAgain(StockRsync rsync) throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("f"), "new\n");
        List<String> trees = new ArrayList<>();
        for (String who : List.of("stock", "ours")) {
            Path dst = Files.createDirectories(tmp.resolve(who));
            Files.writeString(dst.resolve("stale~"), "a backup\n");
            Files.writeString(dst.resolve("stale"), "stale\n");
            String[] args = {"-a", "-b", "--delete", "--filter=R *~", src + "/", dst + "/"};
            if (who.equals("stock")) {
                StockClient.of(rsync).run(args).assertSuccess();
            } else {
                Jrsync.run(args).assertSuccess();
            }
            try (var list = Files.list(dst)) {
                trees.add(list.map(p -> p.getFileName().toString()).sorted().toList().toString());
            }
        }
        assertEquals(trees.get(0), trees.get(1));
        assertEquals("[f, stale~]", trees.get(1), "stale became the backup; the old backup was deleted, not kept as stale~~");
    }

    /**
     * Where the destination is, as rsync's get_local_name finds it: a symlink to a directory is followed (the files
     * go into the directory, the link stays); a directory made under a set-group-id parent keeps the bit it
     * inherits, without -p only; a --temp-dir on another file system works, the temporary file renamed from
     * beside the target.
     */
    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void destinationsAreFoundAndMadeAsRsyncMakesThem(StockRsync rsync) throws IOException {
        Path src = tmp.resolve("src");
        Files.createDirectories(src.resolve("d"));
        Files.writeString(src.resolve("d/f"), "data\n");
        for (String who : List.of("stock", "ours")) {
            Path real = Files.createDirectories(tmp.resolve(who + "-real"));
            Path link = Files.createSymbolicLink(tmp.resolve(who + "-link"), real);
            Path sgid = Files.createDirectories(tmp.resolve(who + "-sgid"));
            Files.setAttribute(sgid, "unix:mode", 02755);
            for (String[] args : new String[][] {{"-a", src + "/", link.toString()}, {"-r", src + "/", sgid + "/"},
                    {"-rp", src + "/d", sgid + "/p/"}}) {
                if (who.equals("stock")) {
                    StockClient.of(rsync).run(args).assertSuccess();
                } else {
                    Jrsync.run(args).assertSuccess();
                }
            }
            assertTrue(Files.isSymbolicLink(link), who);
            assertEquals("data\n", Files.readString(real.resolve("d/f")), who);
            assertEquals(02000, (int) Files.getAttribute(sgid.resolve("d"), "unix:mode") & 02000, who + " -r");
            assertEquals(0, (int) Files.getAttribute(sgid.resolve("p/d"), "unix:mode") & 02000, who + " -rp");
        }
        Path shm = Path.of("/dev/shm");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(shm)
                && !Files.getFileStore(shm).equals(Files.getFileStore(tmp)), "/dev/shm is not another file system here");
        Path tempDir = Files.createTempDirectory(shm, "jrsync-temp");
        try {
            Path dst = tmp.resolve("via-temp-dir");
            Jrsync.run("-a", "--temp-dir=" + tempDir, src + "/", dst.toString()).assertSuccess();
            TreeAssert.assertIdentical(src, dst, TreeAssert.Option.NANOSECONDS);
            try (var left = Files.list(tempDir)) {
                assertEquals(0, left.count(), "temporary files left in " + tempDir);
            }
        } finally {
            Files.deleteIfExists(tempDir);
        }
    }

    /**
     * Itemized symlink changes as the stock client prints them: a link whose target changed is compared with the
     * link it replaces ("cLc.t......", "cLc.T......" without -t), and a file that a link replaces goes first, so
     * the link is new ("cL+++++++++").
     */
    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void itemizedLinkChangesAreTheStockClients(StockRsync rsync) throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("a"), "a\n");
        // seconds away from any copy's own time: without -t the quick check then sends it on every run alike
        Files.setLastModifiedTime(src.resolve("a"), java.nio.file.attribute.FileTime.fromMillis(1_000_000_000_000L));
        Files.createSymbolicLink(src.resolve("l"), Path.of("a"));
        Files.writeString(src.resolve("was-file"), "a file\n");
        for (String flags : List.of("-a", "-rl")) {
            List<String> printed = new ArrayList<>();
            for (String who : List.of("stock", "ours")) {
                Path dst = tmp.resolve(who + flags);
                StockClient.of(rsync).run(flags, src + "/", dst + "/").assertSuccess();
                Files.delete(dst.resolve("l"));
                Files.createSymbolicLink(dst.resolve("l"), Path.of("old-target"));
                Files.getFileAttributeView(dst.resolve("l"), java.nio.file.attribute.BasicFileAttributeView.class,
                        java.nio.file.LinkOption.NOFOLLOW_LINKS).setTimes(
                        java.nio.file.attribute.FileTime.fromMillis(1_000_000_000_000L), null, null);
                Files.delete(src.resolve("was-file"));
                Files.createSymbolicLink(src.resolve("was-file"), Path.of("a"));
                // the source directory keeps the time its copy has: a second ticking over changes no line
                Files.setLastModifiedTime(src, Files.getLastModifiedTime(dst));
                String[] args = {flags + "i", src + "/", dst + "/"};
                printed.add(who.equals("stock") ? StockClient.of(rsync).run(args).assertSuccess().stdout()
                        : Jrsync.run(args).assertSuccess().stdout());
                Files.delete(src.resolve("was-file"));
                Files.writeString(src.resolve("was-file"), "a file\n");
            }
            assertEquals(printed.get(0), printed.get(1), flags);
            assertTrue(printed.get(1).contains("cL+++++++++ was-file -> a"), printed.get(1));
        }
    }

    /**
     * -x sends a directory that is another file system's mount point, without its contents; -xx leaves it out
     * (rsync/flist.c). /dev/shm, a tmpfs under /dev, is such a mount point here; what arrives is what the stock
     * client copies.
     */
    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void oneFileSystemStopsAtMountPointsAsRsyncDoes(StockRsync rsync) throws IOException {
        Path dev = Path.of("/dev");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(dev.resolve("shm"))
                && !Files.getAttribute(dev, "unix:dev").equals(Files.getAttribute(dev.resolve("shm"), "unix:dev")),
                "/dev/shm is not a mount point here");
        for (String x : List.of("-x", "-xx")) {
            List<List<String>> trees = new ArrayList<>();
            for (String who : List.of("stock", "ours")) {
                Path dst = tmp.resolve(who + x);
                String[] args = {"-a", x, "--include=/shm", "--exclude=/*", "/dev/", dst.toString()};
                if (who.equals("stock")) {
                    StockClient.of(rsync).run(args).assertSuccess();
                } else {
                    Jrsync.run(args).assertSuccess();
                }
                try (var walk = Files.walk(dst)) {
                    trees.add(walk.map(p -> dst.relativize(p).toString()).sorted().toList());
                }
            }
            assertEquals(trees.get(0), trees.get(1), x);
            assertEquals(x.equals("-x") ? List.of("", "shm") : List.of(""), trees.get(1), x);
        }
    }

    @Test
    void localCopyAndRecopyWithDelete() throws IOException {
        Path src = tmp.resolve("src");
        Path dst = tmp.resolve("dst");
        TestTrees.buildVaried(src);
        Jrsync.run("-a", src + "/", dst.toString()).assertSuccess();
        TreeAssert.assertIdentical(src, dst, TreeAssert.Option.NANOSECONDS);

        Files.delete(src.resolve(TestTrees.MEDIUM_FILE));
        Files.writeString(dst.resolve("extra.txt"), "not in the source\n");
        Jrsync r = Jrsync.run("-av", "--delete", src + "/", dst.toString()).assertSuccess();
        assertFalse(Files.exists(dst.resolve("extra.txt")), r::transcript);
        TreeAssert.assertIdentical(src, dst, TreeAssert.Option.NANOSECONDS);
    }

    /** host:path with no -e goes over the in-process ssh (SshIT): a host that does not resolve fails as ssh does. */
    @Test
    void remoteShellSyntaxGoesOverSsh() {
        Jrsync r = Jrsync.run("-a", "nosuchhost.invalid:/path", tmp.toString());
        assertEquals(12, r.exitCode(), r::transcript); // a local source that does not exist would be 23
    }

    /** rsync's destination rules for one file: a bare name, "DIR/", a missing parent, and --mkpath. */
    @Test
    void singleFileDestinations() throws IOException {
        Path file = Files.writeString(tmp.resolve("one.txt"), "one\n");
        Path work = Files.createDirectory(tmp.resolve("work"));
        Jrsync.run("-a", file.toString(), work.resolve("renamed.txt").toString()).assertSuccess();
        assertEquals("one\n", Files.readString(work.resolve("renamed.txt")));

        Jrsync.run("-a", file.toString(), work.resolve("newdir") + "/").assertSuccess();
        assertEquals("one\n", Files.readString(work.resolve("newdir/one.txt")));

        Jrsync missing = Jrsync.run("-a", file.toString(), work.resolve("no/such") + "/");
        assertEquals(11, missing.exitCode(), missing::transcript);
        assertTrue(missing.stderr().contains("No such file or directory"), missing::transcript);

        Jrsync.run("-a", "--mkpath", file.toString(), work.resolve("deep/er/path") + "/").assertSuccess();
        assertEquals("one\n", Files.readString(work.resolve("deep/er/path/one.txt")));
    }

    /** Symlink targets are bytes: "//" and a trailing "/" survive a copy, as with rsync. */
    @Test
    void symlinkTargetsArriveByteForByte() throws IOException {
        Path src = Files.createDirectory(tmp.resolve("src"));
        byte[] odd = "some//where/".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] absolute = "/rsyncd-munged//etc/x".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        dev.jrsync.fs.Posix.symlink(odd, src.resolve("odd"));
        dev.jrsync.fs.Posix.symlink(absolute, src.resolve("abs"));
        Path dst = tmp.resolve("dst");
        Jrsync.run("-a", src + "/", dst + "/").assertSuccess();
        org.junit.jupiter.api.Assertions.assertArrayEquals(odd, dev.jrsync.fs.Posix.readlink(dst.resolve("odd")));
        org.junit.jupiter.api.Assertions.assertArrayEquals(absolute, dev.jrsync.fs.Posix.readlink(dst.resolve("abs")));
    }
}
