package dev.jrsync.fs;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;

/**
 * A file the sender reads with {@code --open-noatime} ({@code rsync/syscall.c:do_open} with {@code open_noatime}):
 * opened with {@code O_NOATIME}, which the JDK cannot ask for, so that reading it leaves its access time as it was,
 * and read with {@code pread} through the native buffer each thread has for {@link OutFile}. The kernel grants the flag only to the file's
 * owner (or {@code CAP_FOWNER}); for another's file it opens without it, where rsync would fail the file.
 */
public final class InFile implements SeekableByteChannel {
    private static final int O_RDONLY = 0;
    private static final int O_NOATIME = 01000000;
    private static final int EPERM = 1;
    private static final MethodHandle PREAD = Posix.downcall("pread", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));

    private final Path path;
    private final int fd;
    private final MemorySegment state = Arena.ofAuto().allocate(Posix.CALL_STATE);
    private long position;
    private boolean closed;

    private InFile(Path path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /** Opens {@code path} to read without touching its atime; a symlink as its last component only if {@code follow}. */
    public static InFile open(Path path, boolean follow) throws IOException {
        int flags = O_RDONLY | Posix.O_CLOEXEC | (follow ? 0 : Posix.O_NOFOLLOW);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = arena.allocate(Posix.CALL_STATE);
            MemorySegment name = Posix.name(arena, path);
            int fd = openat(st, path, name, flags | O_NOATIME);
            if (fd < 0 && Posix.errno(st) == EPERM) {
                fd = openat(st, path, name, flags); // not the owner: the kernel refuses O_NOATIME alone
            }
            if (fd < 0) {
                throw Posix.failure("open", Posix.errno(st), path.toString());
            }
            return new InFile(path, fd);
        }
    }

    private static int openat(MemorySegment st, Path path, MemorySegment name, int flags) {
        try {
            return (int) OutFile.OPENAT.invokeExact(st, Posix.dirFd(path), name, flags, 0);
        } catch (Throwable t) {
            throw new IllegalStateException("openat could not be called", t);
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        int want = Math.min(dst.remaining(), OutFile.CHUNK);
        if (want == 0) {
            return 0;
        }
        MemorySegment buf = OutFile.BUFFER.get();
        long n;
        do {
            try {
                n = (long) PREAD.invokeExact(state, fd, buf, (long) want, position);
            } catch (Throwable t) {
                throw new IllegalStateException("pread could not be called", t);
            }
        } while (n < 0 && Posix.errno(state) == OutFile.EINTR);
        if (n < 0) {
            throw Posix.failure("read", Posix.errno(state), path.toString());
        }
        if (n == 0) {
            return -1;
        }
        MemorySegment.ofBuffer(dst).copyFrom(buf.asSlice(0, n));
        dst.position(dst.position() + (int) n);
        position += n;
        return (int) n;
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) {
        position = newPosition;
        return this;
    }

    @Override
    public long size() throws IOException {
        return Posix.fstat(fd).size();
    }

    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public SeekableByteChannel truncate(long size) {
        throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Posix.close(fd);
        }
    }
}
