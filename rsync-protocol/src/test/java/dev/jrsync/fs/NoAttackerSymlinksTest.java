package dev.jrsync.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.testing.CurrentUser;
import dev.jrsync.testing.Peers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NoAttackerSymlinksTest {
    @TempDir
    Path tmp;

    @Test
    void followsOurOwnSymlinksAndReportsTheOpenedFile() throws IOException {
        Path conf = Files.createDirectories(tmp.resolve("etc/conf"));
        Path file = Files.writeString(conf.resolve("secrets"), "alice:pw\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        Files.createSymbolicLink(tmp.resolve("abs"), conf);
        Files.createSymbolicLink(tmp.resolve("rel"), Path.of("etc/./conf/../conf"));
        Files.createSymbolicLink(conf.resolve("link"), Path.of("secrets"));
        for (Path p : new Path[] {file, tmp.resolve("abs/secrets"), tmp.resolve("rel/secrets"), conf.resolve("link")}) {
            NoAttackerSymlinks.Contents c = NoAttackerSymlinks.read(p, 1024);
            assertEquals("alice:pw\n", c.text(), p.toString());
            assertEquals(0640, c.mode(), "the mode of the file, not of a symlink to it");
            assertEquals(CurrentUser.uid(), c.uid());
        }
        assertEquals("alice", new String(NoAttackerSymlinks.read(file, 5).bytes()), "bounded");
    }

    @Test
    void refusesSymlinksOwnedBySomeoneElseAnywhereOnThePath() throws IOException {
        Peers.require(CurrentUser.isRoot(), () -> "planting a symlink owned by another user needs root");
        Path conf = Files.createDirectories(tmp.resolve("conf"));
        Files.writeString(conf.resolve("secrets"), "alice:pw\n");
        Path dirLink = Files.createSymbolicLink(tmp.resolve("planted-dir"), conf);
        Path leafLink = Files.createSymbolicLink(tmp.resolve("planted-leaf"), conf.resolve("secrets"));
        Posix.lchown(dirLink, 65534, -1);
        Posix.lchown(leafLink, 65534, -1);
        for (Path p : new Path[] {dirLink.resolve("secrets"), leafLink}) {
            IOException e = assertThrows(IOException.class, () -> NoAttackerSymlinks.read(p, 1024));
            assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("refusing to follow a symlink owned by uid 65534"), e.getMessage());
        }
    }

    @Test
    void errorsNameThePathGivenAndNoDescriptor() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("d"));
        Files.createSymbolicLink(dir.resolve("loop"), Path.of("loop"));
        Files.createFile(dir.resolve("file"));
        assertThrows(NoSuchFileException.class, () -> NoAttackerSymlinks.read(dir.resolve("missing"), 10));
        for (Path p : new Path[] {dir.resolve("loop"), dir.resolve("file/below"), dir}) {
            IOException e = assertThrows(IOException.class, () -> NoAttackerSymlinks.read(p, 10));
            assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
            assertFalse(e.getMessage().contains("/proc/"), e.getMessage());
        }
    }
}
