package dev.jrsync.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeAssertTest {

    @TempDir
    Path tmp;
    Path expected;
    Path actual;

    /** Two builds of the varied tree must be identical, to the nanosecond: the builder is deterministic. */
    @BeforeEach
    void buildTwins() {
        expected = tmp.resolve("expected");
        actual = tmp.resolve("actual");
        TestTrees.buildVaried(expected, TestTrees.Omit.LARGE_FILES);
        TestTrees.buildVaried(actual, TestTrees.Omit.LARGE_FILES);
    }

    @Test
    void identicalTreesPass() {
        TreeAssert.assertIdentical(expected, actual, TreeAssert.Option.NANOSECONDS, TreeAssert.Option.OWNERSHIP);
    }

    @Test
    void detectsContentChangeOfSameSize() throws IOException {
        Path f = actual.resolve("small.txt");
        FileTime mtime = Files.getLastModifiedTime(f);
        Files.writeString(f, "HELLO from jrsync\n");
        Files.setLastModifiedTime(f, mtime);
        assertEquals(List.of("small.txt: content"), prefixes(TreeAssert.differences(expected, actual)));
    }

    @Test
    void detectsSizeChange() throws IOException {
        Path f = actual.resolve("deep/a/b/c/leaf.txt");
        FileTime mtime = Files.getLastModifiedTime(f);
        Files.writeString(f, "leaf!\n");
        Files.setLastModifiedTime(f, mtime);
        assertEquals(List.of("deep/a/b/c/leaf.txt: size 6, expected 5"), TreeAssert.differences(expected, actual));
    }

    @Test
    void detectsPermissions() throws IOException {
        Files.setPosixFilePermissions(actual.resolve("perm/group-read.txt"), PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(List.of("perm/group-read.txt: permissions 0644, expected 0640"),
                TreeAssert.differences(expected, actual));
        assertEquals(List.of(), TreeAssert.differences(expected, actual, TreeAssert.Option.IGNORE_PERMISSIONS));
    }

    @Test
    void detectsMtimeInSecondsAndNanosOnlyOnRequest() throws IOException {
        Path f = actual.resolve("empty.txt");
        Instant t = Files.getLastModifiedTime(f).toInstant();
        Files.setLastModifiedTime(f, FileTime.from(t.plusNanos(1)));
        assertEquals(List.of(), TreeAssert.differences(expected, actual));
        assertEquals(List.of("empty.txt: mtime"),
                prefixes(TreeAssert.differences(expected, actual, TreeAssert.Option.NANOSECONDS)));

        Files.setLastModifiedTime(f, FileTime.from(t.plusSeconds(1)));
        assertEquals(List.of("empty.txt: mtime"), prefixes(TreeAssert.differences(expected, actual)));
        assertEquals(List.of(), TreeAssert.differences(expected, actual, TreeAssert.Option.IGNORE_MTIMES));
    }

    @Test
    void directoryAndRootMtimesCanBeIgnored() throws IOException {
        Files.setLastModifiedTime(actual.resolve("deep/a"), FileTime.from(Instant.parse("2000-01-01T00:00:00Z")));
        Files.setLastModifiedTime(actual, FileTime.from(Instant.parse("2000-01-01T00:00:00Z")));
        assertEquals(List.of(".: mtime", "deep/a: mtime"), prefixes(TreeAssert.differences(expected, actual)));
        assertEquals(List.of("deep/a: mtime"),
                prefixes(TreeAssert.differences(expected, actual, TreeAssert.Option.IGNORE_ROOT_MTIME)));
        assertEquals(List.of(), TreeAssert.differences(expected, actual, TreeAssert.Option.IGNORE_DIR_MTIMES));
    }

    @Test
    void detectsMissingAndUnexpectedEntries() throws IOException {
        Files.delete(actual.resolve("with space.txt"));
        Files.createDirectory(actual.resolve("extra"));
        assertEquals(List.of("extra: unexpected directory", "with space.txt: missing (expected file of 20 bytes)"),
                TreeAssert.differences(expected, actual, TreeAssert.Option.IGNORE_DIR_MTIMES));
    }

    @Test
    void detectsSymlinkTargetAndKind() throws IOException {
        Path link = actual.resolve("link-to-small");
        FileTime mtime = Files.readAttributes(link, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                .lastModifiedTime();
        Files.delete(link);
        Files.createSymbolicLink(link, Path.of("empty.txt"));
        TestTrees.setMtime(link, mtime.toInstant());
        Files.delete(actual.resolve("dangling"));
        Files.writeString(actual.resolve("dangling"), "not a link");
        assertEquals(List.of("dangling: kind FILE, expected SYMLINK",
                        "link-to-small: symlink target 'empty.txt', expected 'small.txt'"),
                TreeAssert.differences(expected, actual, TreeAssert.Option.IGNORE_DIR_MTIMES));
    }

    @Test
    void detectsFifoReplacedByFile() throws IOException {
        assumeTrue(Files.exists(expected.resolve(TestTrees.FIFO), LinkOption.NOFOLLOW_LINKS), "mkfifo unavailable");
        assertEquals(TreeAssert.Kind.FIFO, TreeAssert.kindOf(expected.resolve(TestTrees.FIFO)));
        Files.delete(actual.resolve(TestTrees.FIFO));
        Files.createFile(actual.resolve(TestTrees.FIFO));
        assertEquals(List.of("special/fifo: kind FILE, expected FIFO"),
                TreeAssert.differences(expected, actual, TreeAssert.Option.IGNORE_DIR_MTIMES));
    }

    @Test
    void detectsOwnershipOnlyOnRequest() throws IOException {
        assumeTrue(CurrentUser.isRoot(), "changing a file's owner needs root");
        Files.setAttribute(actual.resolve("small.txt"), "unix:uid", 4321, LinkOption.NOFOLLOW_LINKS);
        assertEquals(List.of(), TreeAssert.differences(expected, actual));
        long gid = CurrentUser.gid();
        assertEquals(List.of("small.txt: owner 4321:" + gid + ", expected 0:" + gid),
                TreeAssert.differences(expected, actual, TreeAssert.Option.OWNERSHIP));
    }

    @Test
    void failureMessageListsDifferences() throws IOException {
        Files.delete(actual.resolve("empty.txt"));
        Files.delete(actual.resolve("small.txt"));
        AssertionError e = assertThrows(AssertionError.class,
                () -> TreeAssert.assertIdentical(expected, actual, TreeAssert.Option.IGNORE_MTIMES));
        assertTrue(e.getMessage().contains("2 difference(s)"), e.getMessage());
        assertTrue(e.getMessage().contains("  - empty.txt: missing (expected file of 0 bytes)\n"), e.getMessage());
        assertTrue(e.getMessage().contains("  - small.txt: missing"), e.getMessage());
    }

    /** Each difference cut after its first word of detail, so tests need not pin hashes or timestamps. */
    private static List<String> prefixes(List<String> diffs) {
        return diffs.stream().map(d -> {
            int space = d.indexOf(' ', d.indexOf(": ") + 2);
            return space < 0 ? d : d.substring(0, space);
        }).toList();
    }
}
