package dev.jrsync.fs;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The few POSIX calls the JDK lacks, through the foreign function API: times on a path without
 * opening it (a FIFO would block, a symlink would be followed), device and FIFO nodes, and owners of
 * symlinks. Each failure is an {@link IOException} naming the call, the path and {@code strerror}.
 */
public final class Posix {
    private Posix() {}

    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final long UTIME_OMIT = (1L << 30) - 2;
    private static final int S_IFIFO = 0010000;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private static final MethodHandle UTIMENSAT = downcall("utimensat", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle MKNOD = downcall("mknod", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
    private static final MethodHandle LCHOWN = downcall("lchown", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle FCHMODAT = downcall("fchmodat", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle READLINK = downcall("readlink", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle SYMLINK = downcall("symlink", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    /** Linux's PATH_MAX: no symlink target is longer. */
    private static final int PATH_MAX = 4096;
    private static final MethodHandle STRERROR = LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow("strerror"),
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));

    private static MethodHandle downcall(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow(name), fd, CAPTURE_ERRNO);
    }

    /** Sets the mtime of {@code path} itself (never a symlink's target), leaving atime alone. */
    public static void setMtime(Path path, long seconds, int nanos) throws IOException {
        call("utimensat", path, (arena, state, name) -> {
            MemorySegment times = arena.allocate(ValueLayout.JAVA_LONG, 4);
            times.setAtIndex(ValueLayout.JAVA_LONG, 0, 0);
            times.setAtIndex(ValueLayout.JAVA_LONG, 1, UTIME_OMIT);
            times.setAtIndex(ValueLayout.JAVA_LONG, 2, seconds);
            times.setAtIndex(ValueLayout.JAVA_LONG, 3, nanos);
            return (int) UTIMENSAT.invokeExact(state, AT_FDCWD, name, times, AT_SYMLINK_NOFOLLOW);
        });
    }

    /** Creates a device or special node; {@code mode} carries the file type bits and the permissions. */
    public static void mknod(Path path, int mode, long rdev) throws IOException {
        call("mknod", path, (arena, state, name) -> (int) MKNOD.invokeExact(state, name, mode, rdev));
    }

    /** A named pipe with permission bits {@code perms}. */
    public static void mkfifo(Path path, int perms) throws IOException {
        mknod(path, S_IFIFO | (perms & 07777), 0);
    }

    /** Changes the owner of {@code path} itself; -1 leaves that id unchanged. */
    public static void lchown(Path path, int uid, int gid) throws IOException {
        call("lchown", path, (arena, state, name) -> (int) LCHOWN.invokeExact(state, name, uid, gid));
    }

    /**
     * A symlink's target as the bytes the filesystem holds. The JDK's readSymbolicLink returns a Path,
     * which folds "//" and drops a trailing "/": a copy would then differ from the source.
     */
    public static byte[] readlink(Path link) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(PATH_MAX);
            MemorySegment state = arena.allocate(CALL_STATE);
            long n;
            try {
                n = (long) READLINK.invokeExact(state, cString(arena, link), buf, (long) PATH_MAX);
            } catch (Throwable t) {
                throw new IllegalStateException("readlink could not be called", t);
            }
            check(n < 0 ? -1 : 0, state, "readlink", link);
            return buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
        }
    }

    /** Creates {@code link} pointing at exactly {@code target}'s bytes (see {@link #readlink}). */
    public static void symlink(byte[] target, Path link) throws IOException {
        call("symlink", link, (arena, state, name) -> {
            MemorySegment t = arena.allocate(target.length + 1L);
            MemorySegment.copy(target, 0, t, ValueLayout.JAVA_BYTE, 0, target.length);
            return (int) SYMLINK.invokeExact(state, t, name);
        });
    }

    /** One native call on a path name, returning 0 or -1 with errno in the captured call state. */
    @FunctionalInterface
    private interface PathCall {
        int invoke(Arena arena, MemorySegment state, MemorySegment name) throws Throwable;
    }

    private static void call(String what, Path path, PathCall c) throws IOException {
        int rc;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            try {
                rc = c.invoke(arena, state, cString(arena, path));
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(what + " could not be called", t);
            }
            check(rc, state, what, path);
        }
    }

    /**
     * Sets the permission bits of {@code path} without opening it for reading (the JDK does, which blocks
     * on a FIFO). A symlink is never followed: {@code fchmodat(AT_SYMLINK_NOFOLLOW)} refuses one, so a
     * name swapped for a symlink after it was checked cannot redirect the change.
     */
    public static void chmod(Path path, int mode) throws IOException {
        call("fchmodat", path, (arena, state, name) ->
                (int) FCHMODAT.invokeExact(state, AT_FDCWD, name, mode & 07777, AT_SYMLINK_NOFOLLOW));
    }

    private static MemorySegment cString(Arena arena, Path path) {
        byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
        MemorySegment s = arena.allocate(name.length + 1L);
        MemorySegment.copy(name, 0, s, ValueLayout.JAVA_BYTE, 0, name.length);
        return s;
    }

    private static void check(int rc, MemorySegment state, String call, Path path) throws IOException {
        if (rc == 0) {
            return;
        }
        int errno = (int) ERRNO.get(state, 0L);
        throw new IOException(call + " " + path + ": " + strerror(errno) + " (errno " + errno + ")");
    }

    static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            return s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "error " + errno;
        }
    }
}
