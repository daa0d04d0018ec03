package dev.jrsync.fs;

import dev.jrsync.core.Escaped;
import dev.jrsync.core.PathBytes;
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
 * a reused native buffer, so no attribute map is built per file). The JDK lists the names (its paths keep their
 * bytes, which {@link PathBytes} takes out unchanged): reading them
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
        byte[] d = PathBytes.of(dir);
        dirBytes = Arrays.copyOf(d, d.length + 1);
        dirBytes[d.length] = '/';
        name = arena.allocate(dirBytes.length + 4097L);
        MemorySegment.copy(dirBytes, 0, name, ValueLayout.JAVA_BYTE, 0, dirBytes.length);
    }

    static DirReader open(Path dir) throws IOException {
        return new DirReader(Files.newDirectoryStream(dir), dir);
    }

    /** The next name, or null at the end of the directory. */
    byte[] next() throws IOException {
        try {
            return names.hasNext() ? PathBytes.of(names.next().getFileName()) : null;
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
            byte[] full = Arrays.copyOf(dirBytes, dirBytes.length + child.length);
            System.arraycopy(child, 0, full, dirBytes.length, child.length);
            throw Posix.failure("lstat", Posix.errno(state), Escaped.of(full));
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
