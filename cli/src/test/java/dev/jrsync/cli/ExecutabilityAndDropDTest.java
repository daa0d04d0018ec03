package dev.jrsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.fs.Posix;
import dev.jrsync.testing.StockRsync;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -E} (an existing file's execute bits follow the sender's, without {@code -p}) and {@code --drop-D} (the
 * receiver makes no special file), each run by jrsync and by stock rsync on the same trees.
 */
class ExecutabilityAndDropDTest {
    @TempDir
    Path tmp;

    private static String perms(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    private static void chmod(Path p, String perms) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
    }

    /** rsync's testsuite/executability: the second run with -E flips x on one file and off the other. */
    @Test
    void executeBitsFollowTheSenderWithDashE() throws IOException {
        StockRsync rsync = StockRsync.requireOnPath();
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("1"), "#!/bin/sh\n");
        Files.writeString(src.resolve("2"), "#!/bin/sh\n");
        chmod(src.resolve("1"), "rwx------");
        chmod(src.resolve("2"), "rw-------");
        for (String who : List.of("ours", "theirs")) {
            Path dest = tmp.resolve(who);
            Jrsync.runSucceeding(who, rsync, "-r", src + "/", dest + "/");
        }
        chmod(src.resolve("1"), "rw-------");
        chmod(src.resolve("2"), "rw------x");
        for (String who : List.of("ours", "theirs")) {
            Path dest = tmp.resolve(who);
            chmod(dest.resolve("2"), "rw----r--");
            Jrsync.runSucceeding(who, rsync, "-r", src + "/", dest + "/");
            assertEquals("rwx------", perms(dest.resolve("1")), who + ": without -E the local bits stay");
            Jrsync.runSucceeding(who, rsync, "-rE", src + "/", dest + "/");
        }
        assertEquals("rw-------", perms(tmp.resolve("ours/1")));
        assertEquals("rwx---r-x", perms(tmp.resolve("ours/2")));
        assertEquals(perms(tmp.resolve("theirs/1")), perms(tmp.resolve("ours/1")));
        assertEquals(perms(tmp.resolve("theirs/2")), perms(tmp.resolve("ours/2")));
    }

    @Test
    void dropDMakesNoSpecialFiles() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("plain"), "data\n");
        Posix.mknod(src.resolve("fifo"), 0010644, 0);
        Jrsync r = Jrsync.run("-av", "--drop-D", src + "/", tmp.resolve("dest") + "/").assertSuccess();
        assertTrue(Files.exists(tmp.resolve("dest/plain")));
        assertFalse(Files.exists(tmp.resolve("dest/fifo"), LinkOption.NOFOLLOW_LINKS), r::transcript);
        assertTrue(r.stdout().contains("skipping non-regular file \"fifo\""), r::transcript);
        Jrsync.run("-a", "--drop-D", "--no-drop-D", src + "/", tmp.resolve("dest") + "/").assertSuccess();
        assertTrue(Files.exists(tmp.resolve("dest/fifo"), LinkOption.NOFOLLOW_LINKS));
    }
}
