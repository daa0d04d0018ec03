package dev.jrsync.fs;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;

/**
 * One directory read the way rsync's {@code send_directory} does: its names, then an lstat of each (statx on
 * a reused native buffer, so no attribute map is built per file). The JDK lists the names: reading them
 * through the foreign function API as well would save little per file but cost every run the set-up of
 * more native call stubs, which the ahead-of-time cache does not keep.
 */
final class DirReader implements AutoCloseable {
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment stat = arena.allocate(Posix.STATX_SIZE, 8);
    private final MemorySegment state = arena.allocate(Posix.CALL_STATE);
    private final MemorySegment name;
    private final byte[] dirBytes;
    private final DirectoryStream<Path> stream;
    private final Iterator<Path> names;

    private DirReader(Path dir) throws IOException {
        stream = Files.newDirectoryStream(dir);
        names = stream.iterator();
        dirBytes = (dir + "/").getBytes(SourceScanner.FS);
        name = arena.allocate(dirBytes.length + 4097L);
        MemorySegment.copy(dirBytes, 0, name, ValueLayout.JAVA_BYTE, 0, dirBytes.length);
    }

    static DirReader open(Path dir) throws IOException {
        return new DirReader(dir);
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
        if (st == null) {
            throw Posix.failure("lstat", Posix.errno(state), new String(dirBytes, SourceScanner.FS) + new String(child, SourceScanner.FS));
        }
        return st;
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
