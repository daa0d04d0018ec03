package dev.jrsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.fs.Posix;
import dev.jrsync.testing.ProcessResult;
import dev.jrsync.testing.StockClient;
import dev.jrsync.testing.StockDaemon;
import dev.jrsync.testing.StockRsync;
import dev.jrsync.testing.TestTrees;
import dev.jrsync.testing.TreeAssert;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names that are not UTF-8 ({@code caf\xe9} and {@code caf\xe8}, two files) arrive byte for byte, each with its
 * own contents, on every way a tree travels: jrsync pushing and pulling against the stock daemon and the Java
 * daemon, a stock client pushing to and pulling from the Java daemon, and a local copy. rsync never decodes a
 * name; a side that does writes both files as one {@code caf\uFFFD}. Each name is printed as rsync prints it,
 * {@code caf\#351}.
 */
class Latin1NamesTest {
    @TempDir
    Path tmp;
    private Path src;
    private Path dst;
    private List<String> names;

    @BeforeEach
    void tree() throws Exception {
        src = tmp.resolve("src");
        names = TestTrees.buildLatin1Names(src);
        dst = Files.createDirectory(tmp.resolve("dst"));
    }

    private void assertArrived(String output) {
        TreeAssert.assertIdentical(src, dst, TreeAssert.Option.IGNORE_ROOT_MTIME);
        for (String name : names) {
            assertTrue(output.contains(name), () -> "no " + name + " in the output\n" + output);
        }
    }

    private StockDaemon stockDaemon(Path module) {
        return StockDaemon.builder(StockRsync.requireOnPath(), tmp.resolve("stock-daemon"))
                .module(StockDaemon.Module.of("mod", module)).start();
    }

    private ModuleDaemon javaDaemon(Path module) throws Exception {
        return ModuleDaemon.start(module, tmp.resolve("java-daemon.log"), 0, "");
    }

    @Test
    void localCopy() {
        Jrsync r = Jrsync.run("-ai", src + "/", dst.toString()).assertSuccess();
        assertArrived(r.stdout());
        assertTrue(r.stdoutLines().contains(">f+++++++++ caf\\#351"), r::transcript);
        assertTrue(r.stdoutLines().contains("cL+++++++++ lien\\#351 -> caf\\#351"), r::transcript);
    }

    @Test
    void jrsyncPushesToTheStockDaemon() {
        try (StockDaemon daemon = stockDaemon(dst)) {
            Jrsync r = Jrsync.run("-av", src + "/", daemon.url("mod")).assertSuccess();
            assertArrived(r.stdout());
        }
    }

    @Test
    void jrsyncPullsFromTheStockDaemon() {
        try (StockDaemon daemon = stockDaemon(src)) {
            Jrsync r = Jrsync.run("-av", daemon.url("mod"), dst + "/").assertSuccess();
            assertArrived(r.stdout());
        }
    }

    @Test
    void jrsyncPushesToTheJavaDaemon() throws Exception {
        try (ModuleDaemon daemon = javaDaemon(dst)) {
            Jrsync r = Jrsync.run("-av", src + "/", daemon.url()).assertSuccess();
            assertArrived(r.stdout());
        }
    }

    @Test
    void jrsyncPullsFromTheJavaDaemon() throws Exception {
        try (ModuleDaemon daemon = javaDaemon(src)) {
            Jrsync r = Jrsync.run("-av", daemon.url(), dst + "/").assertSuccess();
            assertArrived(r.stdout());
        }
    }

    @Test
    void stockClientPushesToTheJavaDaemon() throws Exception {
        try (ModuleDaemon daemon = javaDaemon(dst)) {
            ProcessResult r = StockClient.of(StockRsync.requireOnPath()).run("-av", src + "/", daemon.url());
            assertEquals(0, r.exitCode(), r::transcript);
            assertArrived(r.stdout());
        }
    }

    @Test
    void stockClientPullsFromTheJavaDaemon() throws Exception {
        try (ModuleDaemon daemon = javaDaemon(src)) {
            ProcessResult r = StockClient.of(StockRsync.requireOnPath()).run("-av", daemon.url(), dst + "/");
            assertEquals(0, r.exitCode(), r::transcript);
            assertArrived(r.stdout());
        }
    }

    /** The daemon expands a wildcard argument to the names' bytes, and sends each file as itself. */
    @Test
    void stockClientPullsWhatAWildcardMatchesFromTheJavaDaemon() throws Exception {
        try (ModuleDaemon daemon = javaDaemon(src)) {
            ProcessResult r = StockClient.of(StockRsync.requireOnPath()).run("-av", daemon.url() + "caf?", dst + "/");
            assertEquals(0, r.exitCode(), r::transcript);
            for (String name : List.of("caf\u00e9", "caf\u00e8")) {
                Path file = TestTrees.latin1(name);
                assertEquals(-1, Files.mismatch(src.resolve(file), dst.resolve(file)), r::transcript);
            }
            try (Stream<Path> listed = Files.list(dst)) {
                assertEquals(2, listed.count(), r::transcript);
            }
        }
    }

    /** A deletion on the far side is reported with the name escaped, and removes only that name. */
    @Test
    void aDeletedNameIsReportedEscaped() throws Exception {
        Files.writeString(dst.resolve(TestTrees.latin1("vieux\u00e9")), "only at the destination\n");
        try (ModuleDaemon daemon = javaDaemon(dst)) {
            Jrsync r = Jrsync.run("-av", "--delete", src + "/", daemon.url()).assertSuccess();
            assertArrived(r.stdout());
            assertTrue(r.stdout().contains("deleting vieux\\#351"), r::transcript);
        }
    }

    /** A message about a name prints it escaped too. */
    @Test
    void aSkippedNameIsReportedEscaped() throws Exception {
        Posix.mkfifo(src.resolve(TestTrees.latin1("tuyau\u00e9")), 0644);
        Jrsync r = Jrsync.run("-rv", src + "/", dst.toString()).assertSuccess();
        assertTrue((r.stdout() + r.stderr()).contains("skipping non-regular file \"tuyau\\#351\""), r::transcript);
    }

    /**
     * A daemon's message names a file by its bytes; jrsync escapes it once as it prints, a newline in it too
     * (the Java daemon sends raw bytes since it stopped escaping for its clients).
     */
    @Test
    void aDaemonsMessageIsEscapedOnceByJrsync() throws Exception {
        Path push = Files.createDirectory(tmp.resolve("push"));
        for (Path name : List.of(TestTrees.latin1("caf\u00e9"), Path.of("new\nline"))) {
            Files.writeString(push.resolve(name), "a file now\n");
            Files.writeString(Files.createDirectory(dst.resolve(name)).resolve("kept"), "not empty\n");
        }
        try (ModuleDaemon daemon = javaDaemon(dst)) {
            Jrsync r = Jrsync.run("-r", push + "/", daemon.url());
            assertEquals(23, r.exitCode(), r::transcript);
            assertTrue(r.stderr().contains("cannot delete non-empty directory: caf\\#351\n"), r::transcript);
            assertTrue(r.stderr().contains("cannot delete non-empty directory: new\\#012line\n"), r::transcript);
            assertTrue(!r.stderr().contains("\\#134"), r::transcript);
        }
    }
}
