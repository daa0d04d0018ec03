package dev.jrsync.fs;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * A file the receiver writes (the temp file, or the file itself with {@code --inplace}), on a raw
 * descriptor: opened with {@code openat} beneath a {@link Posix#below} directory (no procfs walk), and
 * written with {@code pwrite} straight from the Java array. A {@code FileChannel} copies every heap
 * buffer into a direct one first, a second copy of each byte received.
 */
public final class OutFile implements AutoCloseable {
    private static final boolean AARCH64 = "aarch64".equals(System.getProperty("os.arch"));
    private static final int O_WRONLY = 01;
    private static final int O_CREAT = 0100;
    private static final int O_EXCL = 0200;
    private static final int O_NOFOLLOW = AARCH64 ? 0100000 : 0400000;
    private static final int O_CLOEXEC = 02000000;
    private static final int EINTR = 4;
    private static final int EEXIST = 17;

    private static final MethodHandle OPENAT = Posix.downcall("openat", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    // critical: the array is passed in place; a pwrite of one token (at most 32 KiB) to a local file
    // holds the garbage collector back for no longer than that copy into the page cache
    private static final MethodHandle PWRITE = Posix.LINKER.downcallHandle(
            Posix.LINKER.defaultLookup().findOrThrow("pwrite"),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
            Linker.Option.critical(true), Linker.Option.captureCallState("errno"));
    private static final MethodHandle FTRUNCATE = Posix.downcall("ftruncate", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
    private static final MethodHandle CLOSE = Posix.LINKER.downcallHandle(
            Posix.LINKER.defaultLookup().findOrThrow("close"), FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private final Path path;
    private final int fd;
    private final MemorySegment state = Arena.ofAuto().allocate(Posix.CALL_STATE);
    private boolean closed;

    private OutFile(Path path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /** A new file with permissions {@code mode} (as {@code open(O_CREAT|O_EXCL)}; a name in use fails). */
    public static OutFile createNew(Path path, int mode) throws IOException {
        return open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    }

    /** The file itself, created if missing, its data kept ({@code --inplace}); a symlink is refused. */
    public static OutFile update(Path path) throws IOException {
        return open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0666);
    }

    private static OutFile open(Path path, int flags, int mode) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = arena.allocate(Posix.CALL_STATE);
            int fd;
            try {
                fd = (int) OPENAT.invokeExact(st, Posix.dirFd(path), Posix.name(arena, path), flags, mode);
            } catch (Throwable t) {
                throw new IllegalStateException("openat could not be called", t);
            }
            if (fd < 0) {
                int errno = (int) Posix.ERRNO.get(st, 0L);
                if (errno == EEXIST) {
                    throw new FileAlreadyExistsException(path.toString());
                }
                throw new FileSystemException(path.toString(), null, Posix.strerror(errno) + " (errno " + errno + ")");
            }
            return new OutFile(path, fd);
        }
    }

    /** Writes all of {@code b[off, off+len)} at {@code position}. */
    public void write(byte[] b, int off, int len, long position) throws IOException {
        MemorySegment src = MemorySegment.ofArray(b);
        while (len > 0) {
            long n;
            try {
                n = (long) PWRITE.invokeExact(state, fd, src.asSlice(off, len), (long) len, position);
            } catch (Throwable t) {
                throw new IllegalStateException("pwrite could not be called", t);
            }
            if (n < 0) {
                int errno = (int) Posix.ERRNO.get(state, 0L);
                if (errno == EINTR) {
                    continue;
                }
                throw new FileSystemException(path.toString(), null, Posix.strerror(errno) + " (errno " + errno + ")");
            }
            off += (int) n;
            len -= (int) n;
            position += n;
        }
    }

    public void truncate(long size) throws IOException {
        int rc;
        try {
            rc = (int) FTRUNCATE.invokeExact(state, fd, size);
        } catch (Throwable t) {
            throw new IllegalStateException("ftruncate could not be called", t);
        }
        if (rc != 0) {
            int errno = (int) Posix.ERRNO.get(state, 0L);
            throw new FileSystemException(path.toString(), null, Posix.strerror(errno) + " (errno " + errno + ")");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            int unused = (int) CLOSE.invokeExact(fd); // a local file's data is in the page cache: nothing to report
        } catch (Throwable t) {
            throw new IllegalStateException("close could not be called", t);
        }
    }
}
