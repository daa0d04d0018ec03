package dev.jrsync.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The calls a receiver makes per file: lstat, create, write, chmod, rename, also beneath a directory descriptor. */
class ReceiverFileCallsTest {
    @TempDir
    Path tmp;

    @Test
    void lstatReportsWhatTheJdkReports() throws IOException {
        Path file = Files.writeString(tmp.resolve("f"), "12345");
        Files.setLastModifiedTime(file, FileTime.from(1_700_000_000_123_456_789L, TimeUnit.NANOSECONDS));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), file);
        for (Path p : new Path[] {file, tmp, link, Path.of("/dev/null")}) {
            LocalStat st = LocalStat.of(p);
            Map<String, Object> a = Files.readAttributes(p, "unix:mode,size,lastModifiedTime,uid,gid,rdev,dev,ino,nlink",
                    LinkOption.NOFOLLOW_LINKS);
            assertEquals(a.get("mode"), st.mode(), p.toString());
            assertEquals(a.get("size"), st.size(), p.toString());
            assertEquals(a.get("uid"), st.uid(), p.toString());
            assertEquals(a.get("gid"), st.gid(), p.toString());
            assertEquals(a.get("rdev"), st.rdev(), p.toString());
            assertEquals(a.get("dev"), st.dev(), p.toString());
            assertEquals(a.get("ino"), st.ino(), p.toString());
            assertEquals(a.get("nlink"), st.nlink(), p.toString());
            long nanos = ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS);
            assertEquals(nanos, st.mtimeSeconds() * 1_000_000_000L + st.mtimeNanos(), p.toString());
        }
        assertNull(LocalStat.ofOrNull(tmp.resolve("missing")));
        assertNull(LocalStat.ofOrNull(file.resolve("below-a-file")));
        assertThrows(NoSuchFileException.class, () -> LocalStat.of(tmp.resolve("missing")));
    }

    @Test
    void namesBelowADirectoryDescriptorReachThatDirectory() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("d"));
        try (DirectoryStream<Path> pinned = Files.newDirectoryStream(dir)) {
            int fd = descriptorOf(dir);
            Path f = Posix.below(fd, "f".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            try (OutFile out = OutFile.createNew(f, 0600)) {
                out.write("hello world".getBytes(), 6, 5, 0);
                out.write("hello world".getBytes(), 0, 6, 5);
            }
            assertEquals("worldhello ", Files.readString(dir.resolve("f")));
            assertEquals(0600, LocalStat.of(f).mode() & 07777);
            Posix.chmod(f, 0644);
            Posix.rename(f, Posix.below(fd, "g".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            assertNull(LocalStat.ofOrNull(Posix.below(fd, "f".getBytes(java.nio.charset.StandardCharsets.US_ASCII))));
            assertEquals(0644, LocalStat.of(dir.resolve("g")).mode() & 07777);
        }
    }

    @Test
    void aNewFileNeverReplacesOrFollowsWhatIsThere() throws IOException {
        Path target = Files.writeString(tmp.resolve("target"), "kept");
        Path link = Files.createSymbolicLink(tmp.resolve("link"), target);
        assertThrows(FileAlreadyExistsException.class, () -> OutFile.createNew(target, 0600));
        assertThrows(FileAlreadyExistsException.class, () -> OutFile.createNew(link, 0600));
        assertThrows(IOException.class, () -> OutFile.update(link));
        assertEquals("kept", Files.readString(target));
    }

    @Test
    void anUpdateKeepsTheDataAndTruncates() throws IOException {
        Path f = Files.writeString(tmp.resolve("f"), "0123456789");
        try (OutFile out = OutFile.update(f)) {
            out.write(new byte[] {'x', 'y'}, 0, 2, 3);
            out.truncate(6);
        }
        assertArrayEquals("012xy5".getBytes(), Files.readAllBytes(f));
    }

    /** The descriptor number this process holds open on {@code dir}, found through /proc/self/fd. */
    private static int descriptorOf(Path dir) throws IOException {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    if (Files.readSymbolicLink(fd).equals(dir)) {
                        return Integer.parseInt(fd.getFileName().toString());
                    }
                } catch (IOException gone) {
                    // the listing's own descriptor, closed by now
                }
            }
        }
        throw new IOException("no descriptor open on " + dir);
    }
}
