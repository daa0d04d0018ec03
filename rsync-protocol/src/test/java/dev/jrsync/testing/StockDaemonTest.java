package dev.jrsync.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Stock daemon + stock client round trips: proves the fixtures themselves before jrsync is measured with them. */
class StockDaemonTest {

    private static final Duration LOG_WAIT = Duration.ofSeconds(10);

    @TempDir
    Path tmp;

    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void pushOfVariedTreeIsIdenticalAndLoggedPerFile(StockRsync rsync) throws IOException {
        Path src = tmp.resolve("src");
        Path dst = Files.createDirectory(tmp.resolve("dst"));
        TestTrees.buildVaried(src);
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("mod", dst)).start()) {
            StockClient client = StockClient.of(rsync);
            TransferStats stats = client.run("-a", "--stats", src + "/", daemon.url("mod")).assertSuccess().stats();

            List<TreeAssert.Option> options = new ArrayList<>(List.of(TreeAssert.Option.NANOSECONDS));
            if (CurrentUser.isRoot()) {
                options.add(TreeAssert.Option.OWNERSHIP);
            }
            TreeAssert.assertIdentical(src, dst, options.toArray(TreeAssert.Option[]::new));

            TransferLog log = daemon.awaitSessions(1, LOG_WAIT);
            TransferLog.Session session = log.lastSession();
            assertTrue(session.push(), daemon::diagnostics);
            assertEquals("mod/", session.module());
            List<Path> regular = regularFiles(src);
            assertEquals(regular.size(), log.files().size(), daemon::diagnostics);
            assertEquals(sizeOf(regular), log.totalFileLength());
            assertEquals(stats.totalFileSize(), session.totalSize());
            TransferLog.Entry big = log.entry(TestTrees.BIG_FILE);
            assertEquals(TestTrees.BIG_SIZE, big.length());
            // A new file travels whole: at least its bytes, plus a little token framing and the checksum.
            assertTrue(big.bytes() >= TestTrees.BIG_SIZE && big.bytes() < TestTrees.BIG_SIZE * 1.01, big::toString);
            assertEquals(stats.totalTransferredFileSize(), stats.literalData());
            // The client prints its stats before the goodbye; the daemon counts the goodbye frames too.
            long goodbye = session.received() - stats.totalBytesSent();
            assertTrue(goodbye >= 0 && goodbye <= 16, () -> "client sent " + stats.totalBytesSent()
                    + ", the daemon received " + session.received());

            TestTrees.editInPlace(src.resolve(TestTrees.BIG_FILE), 1, 3);
            TransferStats delta = client.run("-a", "--stats", src + "/", daemon.url("mod")).assertSuccess().stats();
            TreeAssert.assertIdentical(src, dst, TreeAssert.Option.NANOSECONDS);
            TransferLog second = daemon.awaitSessions(2, LOG_WAIT);
            TransferLog.Entry edited = second.of(second.lastSession()).entry(TestTrees.BIG_FILE);
            assertTrue(edited.bytes() < TestTrees.BIG_SIZE / 20, () -> "delta sent " + edited);
            assertEquals(TestTrees.BIG_SIZE, delta.matchedData() + delta.literalData());
            assertTrue(delta.matchedData() > TestTrees.BIG_SIZE * 0.9, () -> "matched " + delta.matchedData());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void authenticatedModuleChecksThePassword(StockRsync rsync) throws IOException {
        Path src = tmp.resolve("src");
        Path dst = Files.createDirectory(tmp.resolve("dst"));
        TestTrees.buildVaried(src, TestTrees.Omit.LARGE_FILES);
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("secure", dst).authUser("alice", "s3cret")).start()) {
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(tmp.resolve("daemon/secure.secrets"))));
            String url = daemon.url("alice", "secure");

            ProcessResult wrong = StockClient.of(rsync).password("wrong").run("-a", src + "/", url);
            assertEquals(5, wrong.exitCode(), wrong::transcript); // RERR_STARTCLIENT: auth failed
            assertTrue(wrong.stderr().contains("auth failed"), wrong::transcript);

            StockClient.of(rsync).password("s3cret").run("-a", src + "/", url).assertSuccess();
            TreeAssert.assertIdentical(src, dst);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void readOnlyModuleServesPullsAndRefusesPushes(StockRsync rsync) throws IOException {
        Path served = tmp.resolve("served");
        Path pulled = tmp.resolve("pulled");
        TestTrees.buildVaried(served, TestTrees.Omit.LARGE_FILES);
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("ro", served).readOnly(true)).start()) {
            StockClient client = StockClient.of(rsync);
            client.run("-a", daemon.url("ro"), pulled + "/").assertSuccess();
            TreeAssert.assertIdentical(served, pulled, TreeAssert.Option.NANOSECONDS);
            TransferLog log = daemon.awaitSessions(1, LOG_WAIT);
            assertEquals(false, log.lastSession().push());
            assertEquals("send", log.entry("small.txt").operation());

            ProcessResult push = client.run("-a", pulled + "/", daemon.url("ro"));
            assertNotEquals(0, push.exitCode(), push::transcript);
            assertTrue(push.stderr().contains("read only"), push::transcript);
        }
    }

    private static List<Path> regularFiles(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList();
        }
    }

    private static long sizeOf(List<Path> files) throws IOException {
        long total = 0;
        for (Path f : files) {
            total += Files.size(f);
        }
        return total;
    }
}
