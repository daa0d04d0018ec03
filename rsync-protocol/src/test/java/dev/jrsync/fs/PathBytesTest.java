package dev.jrsync.fs;

import dev.jrsync.core.PathBytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PathBytesTest {
    private static final byte[] CAF_E9 = {'c', 'a', 'f', (byte) 0xE9};
    private static final byte[] CAF_E8 = {'c', 'a', 'f', (byte) 0xE8};

    @TempDir
    Path tmp;

    @Test
    void twoLatin1NamesStayTwoFilesOnDiskAndComeBackAsTheirBytes() throws Exception {
        Files.writeString(PathBytes.resolve(tmp, CAF_E9), "e9");
        Files.writeString(PathBytes.resolve(tmp, CAF_E8), "e8");
        Set<String> listed = new HashSet<>();
        try (Stream<Path> s = Files.list(tmp)) {
            s.forEach(p -> listed.add(new String(PathBytes.of(p.getFileName()), StandardCharsets.ISO_8859_1)));
        }
        assertEquals(Set.of("caf\u00e9", "caf\u00e8"), listed);
        assertEquals("e9", Files.readString(PathBytes.resolve(tmp, CAF_E9)));
        assertArrayEquals(CAF_E9, PathBytes.of(PathBytes.path(CAF_E9)));
    }

    @Test
    void absoluteAndRelativePathsKeepTheirBytesAndShape() {
        byte[] abs = "/tmp/d\u00e9j\u00e0/na\u00efve".getBytes(StandardCharsets.ISO_8859_1);
        Path p = PathBytes.path(abs);
        assertArrayEquals(abs, PathBytes.of(p));
        byte[] rel = "d\u00e9j\u00e0/x".getBytes(StandardCharsets.ISO_8859_1);
        Path r = PathBytes.path(rel);
        assertFalse(r.isAbsolute());
        assertEquals(2, r.getNameCount());
        assertArrayEquals(rel, PathBytes.of(r));
        assertArrayEquals("plain/utf-8 \u00e9".getBytes(StandardCharsets.UTF_8),
                PathBytes.of(PathBytes.path("plain/utf-8 \u00e9".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void textMapsEveryByteStringBackToItself() {
        for (byte[] name : List.of(CAF_E9, "caf\u00e9 \uD83D\uDE00".getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0xED, (byte) 0xB2, (byte) 0x80}, new byte[] {(byte) 0xF0, (byte) 0x9F},
                new byte[] {(byte) 0xFF, '/', (byte) 0x80})) {
            assertArrayEquals(name, PathBytes.bytes(PathBytes.text(name)));
        }
        assertNotEquals(PathBytes.text(CAF_E9), PathBytes.text(CAF_E8));
        assertEquals("caf\u00e9", PathBytes.text("caf\u00e9".getBytes(StandardCharsets.UTF_8)));
    }
}
