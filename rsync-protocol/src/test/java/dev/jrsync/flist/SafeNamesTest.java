package dev.jrsync.flist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.wire.ProtocolException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SafeNamesTest {
    @TempDir
    Path tmp;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "/etc/x", "a/../../x", "a/..", "..", "a//b", "a/./b", "a/", "x\0y"})
    void hostileNamesAreRefused(String name) {
        assertFalse(SafeNames.isSafeRelative(b(name)));
        assertThrows(SafeNames.UnsafePathException.class, () -> SafeNames.resolve(tmp, b(name)));
    }

    @Test
    void ordinaryNamesResolveUnderTheRoot() throws IOException {
        assertEquals(tmp, SafeNames.resolve(tmp, b(".")));
        assertEquals(tmp.resolve("a/b/c.txt"), SafeNames.resolve(tmp, b("a/b/c.txt")));
        Files.createDirectories(tmp.resolve("a/b"));
        assertEquals(tmp.resolve("a/b/c.txt"), SafeNames.resolve(tmp, b("a/b/c.txt")));
        assertEquals(tmp.resolve("..x"), SafeNames.resolve(tmp, b("..x")));
    }

    /** A destination of "." (its normal form the empty path) holds its names: "jrsync -a src/ ." copies. */
    @Test
    void theCurrentDirectoryAsDestination() throws Exception {
        Path dot = Path.of(".");
        assertEquals(dot.resolve("f"), SafeNames.resolve(dot, b("f")));
        assertEquals(dot.resolve("missing/dir/f"), SafeNames.resolve(dot, b("missing/dir/f")));
    }

    @Test
    void aSymlinkedParentDirectoryIsRefused() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path root = Files.createDirectories(tmp.resolve("root"));
        Files.createDirectories(root.resolve("a"));
        Files.createSymbolicLink(root.resolve("a/link"), outside);
        var e = assertThrows(SafeNames.UnsafePathException.class, () -> SafeNames.resolve(root, b("a/link/x")));
        assertTrue(e.getMessage().contains("symlink"), e.getMessage());
        // The symlink itself, as a last component, is the caller's to lstat and replace.
        assertEquals(root.resolve("a/link"), SafeNames.resolve(root, b("a/link")));
        Files.writeString(root.resolve("file"), "x");
        assertThrows(SafeNames.UnsafePathException.class, () -> SafeNames.resolve(root, b("file/x")));
    }

    @Test
    void aListWhoseParentIsASymlinkOrMissingIsRefused() {
        FileEntry dot = FileEntry.builder(".", FileMode.S_IFDIR | 0755).build();
        FileEntry link = FileEntry.builder("sub", FileMode.S_IFLNK | 0777).linkTarget(b("/etc")).build();
        FileEntry inside = FileEntry.builder("sub/passwd", FileMode.S_IFREG | 0644).size(3).build();
        FileList list = FileList.forReceiver(List.of(dot, link, inside), 31);
        ProtocolException e = assertThrows(ProtocolException.class, () -> SafeNames.checkParentsListed(list));
        assertTrue(e.getMessage().contains("sub/passwd"), e.getMessage());

        FileList orphan = FileList.forReceiver(List.of(dot,
                FileEntry.builder("nodir/x", FileMode.S_IFREG | 0644).build()), 31);
        assertThrows(ProtocolException.class, () -> SafeNames.checkParentsListed(orphan));

        FileList fine = FileList.forReceiver(List.of(dot, FileEntry.builder("d", FileMode.S_IFDIR | 0755).build(),
                FileEntry.builder("d/x", FileMode.S_IFREG | 0644).build()), 31);
        SafeNames.checkParentsListed(fine);
    }
}
