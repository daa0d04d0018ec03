package dev.jrsync.fs;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * A file the receiver writes (the temp file, or the file itself with {@code --inplace}), on a raw
 * descriptor: opened with {@code openat} beneath a {@link Posix#below} directory (no procfs walk), and
 * written with {@code pwrite} from one native buffer per thread, reused for every file (a {@code FileChannel}
 * takes a temporary direct buffer for each write of a heap array).
 */
public final class OutFile implements AutoCloseable {
    static final int EINTR = 4;
    /** The most one pwrite (or an {@link InFile}'s pread) takes; a token is at most 32 KiB. */
    static final int CHUNK = 256 << 10;
    // Not a critical downcall on the array itself: a pwrite may sleep (dirty-page throttling, a network file
    // system), and a critical call would hold every other session's garbage collection back meanwhile.
    static final ThreadLocal<MemorySegment> BUFFER =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CHUNK));

    static final MethodHandle OPENAT = Posix.downcall("openat", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle PWRITE = Posix.downcall("pwrite", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
    private static final MethodHandle FALLOCATE = Posix.downcall("fallocate", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
    private static final int FALLOC_FL_KEEP_SIZE = 0x01;
    private static final int FALLOC_FL_PUNCH_HOLE = 0x02;
    private static final MethodHandle FTRUNCATE = Posix.downcall("ftruncate", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));

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
        return open(path, Posix.O_WRONLY | Posix.O_CREAT | Posix.O_EXCL | Posix.O_NOFOLLOW | Posix.O_CLOEXEC, mode);
    }

    /** The file itself, created if missing, its data kept ({@code --inplace}); a symlink is refused. */
    public static OutFile update(Path path) throws IOException {
        return open(path, Posix.O_WRONLY | Posix.O_CREAT | Posix.O_NOFOLLOW | Posix.O_CLOEXEC, 0666);
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
                throw Posix.failure("open", Posix.errno(st), path.toString());
            }
            return new OutFile(path, fd);
        }
    }

    /** Writes all of {@code b[off, off+len)} at {@code position}. */
    public void write(byte[] b, int off, int len, long position) throws IOException {
        MemorySegment buf = BUFFER.get();
        while (len > 0) {
            int chunk = Math.min(len, CHUNK);
            MemorySegment.copy(b, off, buf, ValueLayout.JAVA_BYTE, 0, chunk);
            for (int done = 0; done < chunk; ) {
                long n;
                try {
                    n = (long) PWRITE.invokeExact(state, fd, buf.asSlice(done), (long) (chunk - done), position + done);
                } catch (Throwable t) {
                    throw new IllegalStateException("pwrite could not be called", t);
                }
                if (n < 0 && Posix.errno(state) == EINTR) {
                    continue;
                }
                if (n <= 0) {
                    throw n == 0 ? new FileSystemException(path.toString(), null, "write: no progress")
                            : Posix.failure("write", Posix.errno(state), path.toString());
                }
                done += (int) n;
            }
            off += chunk;
            len -= chunk;
            position += chunk;
        }
    }

    /**
     * {@code --preallocate}: reserves {@code size} bytes of blocks and makes that the file's length
     * ({@code rsync/syscall.c:do_fallocate}), so a long transfer cannot run out of space half way.
     */
    public void preallocate(long size) throws IOException {
        fallocate(0, 0, size, "fallocate");
    }

    /**
     * Gives the blocks of {@code [offset, offset+length)} back, the length unchanged: a run of zeros in a file
     * whose blocks exist already ({@code --inplace}, or preallocated) becomes a hole with {@code --sparse}
     * ({@code rsync/syscall.c:do_punch_hole}).
     */
    public void punchHole(long offset, long length) throws IOException {
        fallocate(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, offset, length, "punch hole");
    }

    private void fallocate(int mode, long offset, long length, String what) throws IOException {
        if (length <= 0) {
            return;
        }
        int rc;
        try {
            rc = (int) FALLOCATE.invokeExact(state, fd, mode, offset, length);
        } catch (Throwable t) {
            throw new IllegalStateException("fallocate could not be called", t);
        }
        if (rc != 0) {
            throw Posix.failure(what, Posix.errno(state), path.toString());
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
            throw Posix.failure("ftruncate", Posix.errno(state), path.toString());
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Posix.close(fd);
    }
}
