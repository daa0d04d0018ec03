package dev.jrsync.fs;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;

/**
 * One directory read the way rsync's {@code send_directory} does: its names, then an lstat of each (statx on
 * a reused native buffer, so no attribute map is built per file). The JDK lists the names: reading them
 * through the foreign function API as well would save little per file but cost every run the set-up of
 * more native call stubs, which the ahead-of-time cache does not keep.
 */
final class DirReader implements AutoCloseable {
    private final DirectoryStream<Path> stream;
    private final Iterator<Path> names;
    private final byte[] dirBytes;
    // made once the stream is open (by open()): an unreadable directory leaves no arena behind
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment stat = arena.allocate(Posix.STATX_SIZE, 8);
    private final MemorySegment state = arena.allocate(Posix.CALL_STATE);
    private final MemorySegment name;

    private DirReader(DirectoryStream<Path> stream, Path dir) {
        this.stream = stream;
        names = stream.iterator();
        dirBytes = (dir + "/").getBytes(SourceScanner.FS);
        name = arena.allocate(dirBytes.length + 4097L);
        MemorySegment.copy(dirBytes, 0, name, ValueLayout.JAVA_BYTE, 0, dirBytes.length);
    }

    static DirReader open(Path dir) throws IOException {
        return new DirReader(Files.newDirectoryStream(dir), dir);
    }

    /** The next name, or null at the end of the directory. */
    byte[] next() throws IOException {
        try {
            return names.hasNext() ? names.next().getFileName().toString().getBytes(SourceScanner.FS) : null;
        } catch (DirectoryIteratorException e) {
            throw e.getCause();
        }
    }

    /** lstat of {@code name}, a name {@link #next()} returned, in this directory. */
    LocalStat lstat(byte[] child) throws IOException {
        MemorySegment.copy(child, 0, name, ValueLayout.JAVA_BYTE, dirBytes.length, child.length);
        name.set(ValueLayout.JAVA_BYTE, dirBytes.length + child.length, (byte) 0);
        LocalStat st = Posix.statx(Posix.AT_FDCWD, name, stat, state);
        if (st == null && unreadableName(child)) {
            // The JDK handed over a name it could not decode: not a file that vanished, and not one to skip in
            // silence (a receiver would then delete its copy).
            throw new IOException("the name is not valid " + SourceScanner.FS + "; it was not sent");
        }
        if (st == null) {
            throw Posix.failure("lstat", Posix.errno(state), new String(dirBytes, SourceScanner.FS) + new String(child, SourceScanner.FS));
        }
        return st;
    }

    /** Whether {@code name} holds U+FFFD as the JDK substitutes it for bytes it cannot decode. */
    private static boolean unreadableName(byte[] name) {
        byte[] replacement = "\uFFFD".getBytes(SourceScanner.FS);
        for (int i = 0; i + replacement.length <= name.length; i++) {
            if (Arrays.equals(name, i, i + replacement.length, replacement, 0, replacement.length)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        try {
            stream.close();
        } finally {
            arena.close();
        }
    }
}
