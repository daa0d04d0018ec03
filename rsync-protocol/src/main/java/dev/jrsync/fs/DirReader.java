package dev.jrsync.fs;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * One directory read the way rsync's {@code send_directory} does: {@code opendir}, {@code readdir}, and an
 * lstat of each name relative to the open directory, so the kernel looks up one component rather than the
 * whole path and no {@link Path} is made per file. Names come back as the bytes the filesystem holds.
 */
final class DirReader implements AutoCloseable {
    private static final int O_RDONLY_DIRECTORY_CLOEXEC = 0x10000 | 0x80000;
    /** Offset of d_name in glibc's struct dirent on 64-bit Linux (d_ino, d_off, d_reclen, d_type before it). */
    private static final long D_NAME = 19;
    private static final long DIRENT_MAX = D_NAME + 256;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle OPEN = downcall("open", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT), true);
    private static final MethodHandle FDOPENDIR = downcall("fdopendir", FunctionDescriptor.of(ValueLayout.ADDRESS,
            ValueLayout.JAVA_INT), true);
    private static final MethodHandle READDIR = downcall("readdir", FunctionDescriptor.of(ValueLayout.ADDRESS,
            ValueLayout.ADDRESS), false);
    private static final MethodHandle CLOSEDIR = downcall("closedir", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS), false);
    private static final MethodHandle CLOSE = downcall("close", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT), false);

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment stat = arena.allocate(Statx.SIZE, 8);
    private final MemorySegment state = arena.allocate(Statx.CALL_STATE);
    private final Path dir;
    private final int fd;
    private final MemorySegment stream;
    private MemorySegment current;

    private static MethodHandle downcall(String name, FunctionDescriptor fd, boolean errno) {
        MemorySegment f = LINKER.defaultLookup().findOrThrow(name);
        return errno ? LINKER.downcallHandle(f, fd, Linker.Option.captureCallState("errno"))
                : LINKER.downcallHandle(f, fd);
    }

    private DirReader(Path dir) throws IOException {
        this.dir = dir;
        try {
            byte[] path = dir.toString().getBytes(StandardCharsets.UTF_8);
            MemorySegment name = arena.allocate(path.length + 1L);
            MemorySegment.copy(path, 0, name, ValueLayout.JAVA_BYTE, 0, path.length);
            fd = (int) OPEN.invokeExact(state, name, O_RDONLY_DIRECTORY_CLOEXEC);
            if (fd < 0) {
                throw Statx.failure("opendir", Statx.errno(state), dir.toString());
            }
            stream = (MemorySegment) FDOPENDIR.invokeExact(state, fd);
            if (stream.address() == 0) {
                int errno = Statx.errno(state);
                int ignored = (int) CLOSE.invokeExact(fd);
                throw Statx.failure("opendir", errno, dir.toString());
            }
        } catch (IOException | RuntimeException | Error e) {
            arena.close();
            throw e;
        } catch (Throwable t) {
            arena.close();
            throw new IllegalStateException("opendir could not be called", t);
        }
    }

    static DirReader open(Path dir) throws IOException {
        return new DirReader(dir);
    }

    /** The next name, "." and ".." left out, or null at the end of the directory. */
    byte[] next() {
        while (true) {
            MemorySegment ent;
            try {
                ent = (MemorySegment) READDIR.invokeExact(stream);
            } catch (Throwable t) {
                throw new IllegalStateException("readdir could not be called", t);
            }
            if (ent.address() == 0) {
                current = null;
                return null;
            }
            current = ent.reinterpret(DIRENT_MAX).asSlice(D_NAME);
            String s = current.getString(0, StandardCharsets.ISO_8859_1); // one char per byte: strlen and copy
            if (!s.equals(".") && !s.equals("..")) {
                return s.getBytes(StandardCharsets.ISO_8859_1);
            }
        }
    }

    /** lstat of the name {@link #next()} returned last, relative to this directory. */
    LocalStat lstat(byte[] name) throws IOException {
        LocalStat st = Statx.lstat(fd, current, stat, state);
        if (st == null) {
            throw Statx.failure("lstat", Statx.errno(state), dir + "/" + new String(name, StandardCharsets.UTF_8));
        }
        return st;
    }

    @Override
    public void close() {
        try {
            int ignored = (int) CLOSEDIR.invokeExact(stream); // closes fd too
        } catch (Throwable t) {
            throw new IllegalStateException("closedir could not be called", t);
        } finally {
            arena.close();
        }
    }
}
