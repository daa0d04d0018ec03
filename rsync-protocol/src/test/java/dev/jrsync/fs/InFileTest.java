package dev.jrsync.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --open-noatime}'s reads: the whole content, in chunks larger and smaller than its buffer, and the access
 * time left as it was where an ordinary read moves it (a relatime mount moves an atime older than the mtime).
 */
class InFileTest {
    /** 2001-02-03, before any mtime a test file gets. */
    private static final long OLD_ATIME = 981_220_662L;

    @TempDir
    Path tmp;

    @Test
    void readsTheWholeFileAndItsSize() throws IOException {
        byte[] data = new byte[700_000];
        new Random(7).nextBytes(data);
        Path f = Files.write(tmp.resolve("f"), data);
        try (InFile in = InFile.open(f, false)) {
            assertEquals(data.length, in.size());
            assertArrayEquals(data, Channels.newInputStream(in).readAllBytes());
            assertEquals(data.length, in.position());
            assertEquals(-1, in.read(ByteBuffer.allocate(10)));
            in.position(5);
            ByteBuffer direct = ByteBuffer.allocateDirect(3);
            assertEquals(3, in.read(direct));
            direct.flip();
            assertEquals(data[5], direct.get());
        }
    }

    @Test
    void leavesTheAccessTimeWhereAPlainReadMovesIt() throws IOException {
        Path f = Files.writeString(tmp.resolve("f"), "content\n");
        Posix.setAtime(f, OLD_ATIME);
        try (InputStream in = Channels.newInputStream(FileChannel.open(f, StandardOpenOption.READ))) {
            in.readAllBytes();
        }
        Assumptions.assumeTrue(LocalStat.of(f).atimeSeconds() != OLD_ATIME, "this file system keeps no atimes");

        Posix.setAtime(f, OLD_ATIME);
        try (InputStream in = Channels.newInputStream(InFile.open(f, false))) {
            assertEquals("content\n", new String(in.readAllBytes()));
        }
        assertEquals(OLD_ATIME, LocalStat.of(f).atimeSeconds());
    }

    @Test
    void aSymlinkIsOpenedOnlyWhenFollowed() throws IOException {
        Path f = Files.writeString(tmp.resolve("f"), "x");
        Path link = Files.createSymbolicLink(tmp.resolve("l"), f.getFileName());
        assertThrows(IOException.class, () -> InFile.open(link, false));
        try (InFile in = InFile.open(link, true)) {
            assertEquals(1, in.size());
        }
    }
}
