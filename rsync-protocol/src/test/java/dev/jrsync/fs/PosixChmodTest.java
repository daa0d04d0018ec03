package dev.jrsync.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PosixChmodTest {
    @TempDir
    Path tmp;

    private static String perms(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void setsTheBitsOfFilesAndFifosWithoutOpeningThem() throws IOException {
        Path f = Files.writeString(tmp.resolve("f"), "x");
        Posix.chmod(f, 0640);
        assertEquals("rw-r-----", perms(f));
        Path fifo = tmp.resolve("fifo");
        Posix.mkfifo(fifo, 0600);
        Posix.chmod(fifo, 0604);
        assertEquals("rw----r--", perms(fifo));
    }

    @Test
    void neverFollowsASymlink() throws IOException {
        Path target = Files.writeString(tmp.resolve("target"), "x");
        Posix.chmod(target, 0600);
        Path link = Files.createSymbolicLink(tmp.resolve("link"), target);
        assertThrows(IOException.class, () -> Posix.chmod(link, 0777));
        assertEquals("rw-------", perms(target));
    }
}
