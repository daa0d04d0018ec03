package dev.jrsync.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModulePathsTest {
    @TempDir
    Path tmp;
    Path root;
    ModulePaths paths;

    @BeforeEach
    void tree() throws IOException {
        root = Files.createDirectories(tmp.resolve("mod"));
        Files.createDirectories(root.resolve("sub/deeper"));
        Files.writeString(root.resolve("sub/file.txt"), "x");
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "s");
        Files.createSymbolicLink(root.resolve("escape"), outside);
        Files.createSymbolicLink(root.resolve("inner"), Path.of("sub"));
        Files.createSymbolicLink(root.resolve("abs-escape"), outside.toAbsolutePath());
        paths = new ModulePaths("mod", root);
    }

    @Test
    void moduleAndInnerPaths() throws Exception {
        Path real = root.toRealPath();
        assertEquals(real + "/", paths.resolveArgument("mod/"));
        assertEquals(real + "/", paths.resolveArgument("mod"));
        assertEquals(real + "/sub", paths.resolveArgument("mod/sub"));
        assertEquals(real + "/sub/", paths.resolveArgument("mod/sub/"));
        assertEquals(real + "/sub/file.txt", paths.resolveArgument("mod/./sub//file.txt"));
    }

    @Test
    void dotDotAndAbsoluteNamesAreRefused() {
        assertThrows(ModulePaths.Refused.class, () -> paths.resolveArgument("mod/../"));
        assertThrows(ModulePaths.Refused.class, () -> paths.resolveArgument("mod/sub/../../x"));
        assertThrows(ModulePaths.Refused.class, () -> paths.resolveArgument("mod//etc/passwd"));
        assertThrows(ModulePaths.Refused.class, () -> paths.resolveArgument("other/x"));
    }

    @Test
    void symlinkedParentsLeavingTheModuleAreNotFollowed() throws Exception {
        assertThrows(ModulePaths.Refused.class, () -> paths.resolveArgument("mod/escape/secret.txt"));
        assertThrows(ModulePaths.Refused.class, () -> paths.resolveArgument("mod/escape/"));
        assertThrows(ModulePaths.Refused.class, () -> paths.resolveArgument("mod/abs-escape/secret.txt"));
        // The link itself, without a trailing slash, is sent as a symlink: not followed, so allowed.
        assertEquals(root.toRealPath() + "/escape", paths.resolveArgument("mod/escape"));
    }

    @Test
    void wildcardsExpandInsideTheModuleOnly() throws Exception {
        Files.writeString(root.resolve("sub/b.txt"), "b");
        Files.writeString(root.resolve("sub/.hidden.txt"), "h");
        String real = root.toRealPath().toString();
        assertEquals(List.of(real + "/sub/b.txt", real + "/sub/file.txt"), paths.expandArgument("mod/sub/*.txt"));
        assertEquals(List.of(real + "/sub/.hidden.txt"), paths.expandArgument("mod/sub/.h*"));
        assertEquals(List.of(real + "/sub/b.txt", real + "/sub/file.txt"), paths.expandArgument("mod/s?b/*.txt"));
        assertEquals(List.of(real + "/sub/deeper/"), paths.expandArgument("mod/*/deep*/"));
        assertEquals(List.of(real + "/sub/nothing*"), paths.expandArgument("mod/sub/nothing*"), "no match: literal");
        assertEquals(List.of(real + "/esc*/*"), paths.expandArgument("mod/esc*/*"),
                "a symlink leading out is no match; the literal name then does not exist");
        assertThrows(ModulePaths.Refused.class, () -> paths.expandArgument("mod/*/../../x"));
    }

    @Test
    void symlinksThatStayInsideAreFollowed() throws Exception {
        assertEquals(root.toRealPath() + "/sub/file.txt", paths.resolveArgument("mod/inner/file.txt"));
        assertEquals(root.toRealPath() + "/sub/", paths.resolveArgument("mod/inner/"));
    }
}
