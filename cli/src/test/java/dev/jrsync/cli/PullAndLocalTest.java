package dev.jrsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.testing.StockDaemon;
import dev.jrsync.testing.StockRsync;
import dev.jrsync.testing.TestTrees;
import dev.jrsync.testing.TreeAssert;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    @Test
    void remoteShellSyntaxIsRefusedClearly() {
        Jrsync r = Jrsync.run("-a", "some-host:/path", tmp.toString());
        assertEquals(4, r.exitCode(), r::transcript);
        assertTrue(r.stderr().contains("remote shell"), r::transcript);
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
