package dev.jrsync.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jrsync.core.SessionLog;
import dev.jrsync.flist.FileEntry;
import dev.jrsync.flist.XmitFlags;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --files-from} placement: listed paths keep their names, parents come along without contents. */
class SourceScannerListedTest {
    @TempDir
    Path root;

    private Map<String, Integer> scan(boolean recursive, List<String> listed) {
        SourceScanner s = new SourceScanner(new ScanOptions(recursive, true, false, false, false, 0, null),
                SessionLog.of(System.out, System.err));
        s.addSources(List.of(root + "/"), listed, ScanFilter.NONE);
        Map<String, Integer> out = new LinkedHashMap<>();
        for (FileEntry e : s.entries()) {
            out.put(new String(e.name(), StandardCharsets.UTF_8), e.isDirectory() ? e.dirFlags() : -1);
        }
        assertEquals(0, s.ioError());
        return out;
    }

    @Test
    void listedPathsBringTheirParentsAndListedDirectoriesTheirContents() throws Exception {
        Files.createDirectories(root.resolve("a/b"));
        Files.writeString(root.resolve("a/b/f"), "f");
        Files.writeString(root.resolve("a/b/not-listed"), "n");
        Files.createDirectories(root.resolve("c/d"));
        Files.writeString(root.resolve("c/d/x"), "x");
        Map<String, Integer> entries = scan(true, List.of("a/b/f", "c", "gone/with/parents"));
        assertEquals(List.of(".", "a", "a/b", "a/b/f", "c", "c/d", "c/d/x"), List.copyOf(entries.keySet()));
        assertEquals(XmitFlags.TOP_DIR, entries.get("."));
        assertEquals(XmitFlags.NO_CONTENT_DIR, entries.get("a"));
        assertEquals(XmitFlags.NO_CONTENT_DIR, entries.get("a/b"));
        assertEquals(0, entries.get("c"));
    }

    @Test
    void withoutRecursionAListedDirectoryIsSentWithoutItsContents() throws Exception {
        Files.createDirectories(root.resolve("c/d"));
        Map<String, Integer> entries = scan(false, List.of("c"));
        assertEquals(List.of(".", "c"), List.copyOf(entries.keySet()));
        assertEquals(XmitFlags.NO_CONTENT_DIR, entries.get("c"));
    }
}
