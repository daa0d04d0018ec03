package dev.jrsync.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jrsync.core.SessionLog;
import dev.jrsync.flist.FileEntry;
import dev.jrsync.flist.XmitFlags;
import dev.jrsync.options.Options;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SourceScanner#addFilesFrom}: a {@code --files-from} list's names as rsync's sender lists them. */
class SourceScannerFilesFromTest {
    @TempDir
    Path root;

    private final ByteArrayOutputStream errors = new ByteArrayOutputStream();

    private Map<String, Integer> scan(boolean recursive, int missingArgs, String... listed) {
        SourceScanner s = new SourceScanner(new ScanOptions(recursive, true, false, false, false, 0, null,
                false, false, ChmodSpec.NONE, ScanOptions.Follow.NONE, true, true, false, null, false, false),
                SessionLog.of(System.out, new PrintStream(errors, true)));
        s.addFilesFrom(root, List.of(listed), ScanFilter.NONE, missingArgs);
        Map<String, Integer> out = new LinkedHashMap<>();
        for (FileEntry e : s.entries()) {
            out.put(new String(e.name(), StandardCharsets.UTF_8), e.isMissing() ? -2 : e.isDirectory() ? e.dirFlags() : -1);
        }
        return out;
    }

    @Test
    void aDotSlashDotMovesTheStartOfTheListedName() throws Exception {
        Files.createDirectories(root.resolve("from/dir/sub/deeper"));
        Files.writeString(root.resolve("from/top"), "t");
        Files.writeString(root.resolve("from/dir/sub/f"), "f");
        Map<String, Integer> entries = scan(false, 0, "from/./dir/sub/f", "from/./");
        // the implied parents, the file, then the source's own directory with its top level ("dir" again,
        // which the receiver's sort drops)
        assertEquals(List.of("dir", "dir/sub", "dir/sub/f", ".", "top"), List.copyOf(entries.keySet()));
        assertEquals(XmitFlags.TOP_DIR, entries.get("."));
    }

    @Test
    void aTrailingSlashSendsADirectorysContentsOneLevelWithoutRecursion() throws Exception {
        Files.createDirectories(root.resolve("d/inner"));
        Files.writeString(root.resolve("d/f"), "f");
        Files.writeString(root.resolve("d/inner/g"), "g");
        assertEquals(List.of("d"), List.copyOf(scan(false, 0, "d").keySet()));
        assertEquals(List.of("d", "d/f", "d/inner"), List.copyOf(scan(false, 0, "d/").keySet()));
        assertEquals(List.of("d", "d/f", "d/inner", "d/inner/g"), List.copyOf(scan(true, 0, "d").keySet()));
    }

    @Test
    void dotDotAndLeadingSlashesStayBelowTheSourceDirectory() throws Exception {
        Files.writeString(root.resolve("f"), "f");
        assertEquals(List.of("f"), List.copyOf(scan(false, 0, "../../f").keySet()));
        assertEquals(List.of("f"), List.copyOf(scan(false, 0, "//f").keySet()));
        assertEquals("f", SourceScanner.sanitized("a/../f"));
        assertEquals("a/./b/", SourceScanner.sanitized("/a/./b/"));
        assertEquals(".", SourceScanner.sanitized(".."));
    }

    @Test
    void aMissingNameIsAnErrorLeftOutOrListedForDeletion() throws Exception {
        Files.writeString(root.resolve("here"), "h");
        assertEquals(List.of("here"), List.copyOf(scan(false, 0, "here", "gone").keySet()));
        assertEquals(true, errors.toString().contains("link_stat"), errors.toString());
        errors.reset();
        assertEquals(List.of("here"), List.copyOf(scan(false, Options.IGNORE_MISSING, "here", "gone").keySet()));
        assertEquals("", errors.toString());
        Map<String, Integer> deleting = scan(false, Options.DELETE_MISSING, "here", "gone");
        assertEquals(-2, deleting.get("gone"));
        assertEquals("", errors.toString());
    }

    @Test
    void aLeadingDotSlashSendsTheDirectoryItStartsFromAsAnImpliedOne() throws Exception {
        Files.createDirectories(root.resolve("d"));
        Files.writeString(root.resolve("d/f"), "f");
        Map<String, Integer> entries = scan(false, 0, "./d/f", "./d");
        assertEquals(List.of(".", "d", "d/f"), List.copyOf(entries.keySet()));
        assertEquals(XmitFlags.TOP_DIR | XmitFlags.NO_CONTENT_DIR, entries.get("."), "rsync's implied-dir encoding");
    }
}
