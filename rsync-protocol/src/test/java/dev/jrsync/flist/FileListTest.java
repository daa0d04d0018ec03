package dev.jrsync.flist;

import dev.jrsync.wire.ProtocolException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.jrsync.flist.Wire.ascii;
import static dev.jrsync.flist.XmitFlags.NO_CONTENT_DIR;
import static dev.jrsync.flist.XmitFlags.TOP_DIR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileListTest {
    private static FileEntry file(String name, long size) {
        return FileEntry.builder(name, 0100644).size(size).build();
    }

    private static FileEntry dir(String name, int flags) {
        return FileEntry.builder(name, 040755).dirFlags(flags).build();
    }

    @Test
    void duplicateFilesKeepTheFirst() {
        FileEntry first = file("a", 1);
        FileEntry second = file("a", 2);
        FileList list = FileList.forReceiver(List.of(file("b", 0), first, second), 32);
        assertEquals(3, list.size());
        assertSame(first, list.get(0));
        assertNull(list.get(1));
        assertFalse(list.isActive(1));
        assertEquals(0, list.indexOf(ascii("a")));
        assertEquals(2, list.indexOf(ascii("b")));
    }

    @Test
    void senderKeepsDuplicates() {
        FileList list = FileList.forSender(List.of(file("a", 1), file("a", 2)), 32);
        assertTrue(list.isActive(0));
        assertTrue(list.isActive(1));
    }

    /** Protocol 29+: a file and a same-named directory are not neighbours; the directory wins. */
    @Test
    void directoryBeatsAnEarlierSameNamedFile() {
        FileEntry xFile = file("x", 1);
        FileEntry xDir = dir("x", 0);
        FileList list = FileList.forReceiver(List.of(xDir, file("y", 1), xFile, file("x/in", 1)), 31);
        // sorted: x (file), y, x/, x/in
        assertNull(list.get(0));
        assertSame(xDir, list.get(2));
        assertSame(xDir, list.find(ascii("x")));
        assertEquals(2, list.indexOf(ascii("x")));
        assertEquals(3, list.indexOf(ascii("x/in")));
    }

    @Test
    void protocol28DirectoryAndFileAreNeighboursAndTheDirectoryWins() {
        FileEntry xFile = file("x", 1);
        FileEntry xDir = dir("x", 0);
        FileList list = FileList.forReceiver(List.of(xFile, xDir), 28);
        assertNull(list.get(0));
        assertSame(xDir, list.get(1));

        FileList reversed = FileList.forReceiver(List.of(xDir, xFile), 28);
        assertSame(xDir, reversed.get(0));
        assertNull(reversed.get(1));
    }

    @Test
    void duplicateDirectoriesMergeTheirFlags() {
        FileEntry kept = dir("d", NO_CONTENT_DIR);
        FileList list = FileList.forReceiver(List.of(kept, dir("d", TOP_DIR)), 32);
        assertSame(kept, list.get(0));
        assertNull(list.get(1));
        assertEquals(TOP_DIR, kept.dirFlags());
    }

    @Test
    void mergeRules() {
        int implied = TOP_DIR | NO_CONTENT_DIR;
        assertEquals(0, FileList.mergedDirFlags(implied, 0), "content wins, implied is dropped");
        assertEquals(NO_CONTENT_DIR, FileList.mergedDirFlags(NO_CONTENT_DIR, implied));
        assertEquals(implied, FileList.mergedDirFlags(implied, implied));
        assertEquals(TOP_DIR, FileList.mergedDirFlags(0, TOP_DIR));
        assertEquals(TOP_DIR, FileList.mergedDirFlags(TOP_DIR, NO_CONTENT_DIR));
        assertEquals(NO_CONTENT_DIR, FileList.mergedDirFlags(NO_CONTENT_DIR, NO_CONTENT_DIR));
    }

    @Test
    void lookups() {
        FileList list = FileList.forReceiver(List.of(dir(".", TOP_DIR), file("a.txt", 1), dir("sub", 0),
                file("sub/big.bin", 1)), 32);
        assertEquals(0, list.indexOf(ascii(".")));
        assertEquals(3, list.indexOf(ascii("sub/big.bin")));
        assertEquals(-1, list.indexOf(ascii("missing")));
        assertNull(list.find(ascii("sub/")));
    }

    @Test
    void indexesOutsideTheListAreProtocolErrors() {
        FileList list = FileList.forReceiver(List.of(file("a", 1)), 32);
        assertThrows(ProtocolException.class, () -> list.get(1));
        assertThrows(ProtocolException.class, () -> list.get(-1));
        assertFalse(list.isActive(5));
    }

    @Test
    void emptyList() {
        FileList list = FileList.forReceiver(List.of(), 32);
        assertEquals(0, list.size());
        assertEquals(-1, list.indexOf(ascii("a")));
    }
}
