package dev.jrsync.watcher.tree;

import dev.jrsync.core.PathBytes;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** One directory's entries by name (sorted, so synthesized events come in a stable order). */
final class DirListing {
    private DirListing() {}

    /** @throws IOException if the directory itself cannot be read; entries that vanish meanwhile are skipped */
    static Map<String, DirEntry> list(String dirPath) throws IOException {
        Map<String, DirEntry> entries = new TreeMap<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(PathBytes.path(dirPath))) {
            for (Path p : stream) {
                try {
                    entries.put(PathBytes.text(p.getFileName()), DirEntry.of(p));
                } catch (NoSuchFileException gone) {
                    // Deleted between readdir and stat: its DELETE event (or the next rescan) covers it.
                }
            }
        }
        return entries;
    }
}
