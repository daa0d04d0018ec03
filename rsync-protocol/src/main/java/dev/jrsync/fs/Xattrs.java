package dev.jrsync.fs;

import dev.jrsync.core.PathBytes;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Extended attributes of a path itself, never a symlink's target ({@code rsync/lib/sysxattrs.c}:
 * {@code sys_lgetxattr}, {@code sys_lsetxattr}, {@code sys_lremovexattr}). Only fake super uses them so far,
 * so the calls are bound on first use: a transfer without it never looks them up.
 *
 * <p>A {@link Posix#below} path is handed to the kernel whole: {@code /proc/self/fd/N} is a link the kernel
 * follows to the held directory, and only the last component is looked up without following.
 */
public final class Xattrs {
    private Xattrs() {}

    private static final int ENODATA = 61;
    private static final int EOPNOTSUPP = 95;

    /** Bound on first use (the JVM initialises a nested class when it is first touched). */
    private static final class Calls {
        static final MethodHandle LGETXATTR = Posix.downcall("lgetxattr", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
                ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
        static final MethodHandle LSETXATTR = Posix.downcall("lsetxattr", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_INT));
        static final MethodHandle LREMOVEXATTR = Posix.downcall("lremovexattr",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    }

    /**
     * The value of attribute {@code name} on {@code path}, or null when the file has none by that name or its
     * file system keeps no such attributes (ENODATA, EOPNOTSUPP: rsync's "no xattr"). A value longer than
     * {@code maxLength} fails with ERANGE, as rsync's fixed buffer does.
     */
    public static byte[] lget(Path path, String name, int maxLength) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(Math.max(1, maxLength));
            MemorySegment state = arena.allocate(Posix.CALL_STATE);
            long n;
            try {
                n = (long) Calls.LGETXATTR.invokeExact(state, cPath(arena, path), cName(arena, name), buf,
                        (long) maxLength);
            } catch (Throwable t) {
                throw new IllegalStateException("lgetxattr could not be called", t);
            }
            if (n >= 0) {
                return buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
            }
            int errno = Posix.errno(state);
            if (errno == ENODATA || errno == EOPNOTSUPP) {
                return null;
            }
            throw Posix.failure("lgetxattr", errno, path.toString());
        }
    }

    /** Sets attribute {@code name} of {@code path} to exactly {@code value} (no NUL added), creating or replacing it. */
    public static void lset(Path path, String name, byte[] value) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocate(Math.max(1, value.length));
            MemorySegment.copy(value, 0, v, ValueLayout.JAVA_BYTE, 0, value.length);
            MemorySegment state = arena.allocate(Posix.CALL_STATE);
            int rc;
            try {
                rc = (int) Calls.LSETXATTR.invokeExact(state, cPath(arena, path), cName(arena, name), v,
                        (long) value.length, 0);
            } catch (Throwable t) {
                throw new IllegalStateException("lsetxattr could not be called", t);
            }
            if (rc != 0) {
                throw Posix.failure("lsetxattr", Posix.errno(state), path.toString());
            }
        }
    }

    /** Removes attribute {@code name} of {@code path}. */
    public static void lremove(Path path, String name) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Posix.CALL_STATE);
            int rc;
            try {
                rc = (int) Calls.LREMOVEXATTR.invokeExact(state, cPath(arena, path), cName(arena, name));
            } catch (Throwable t) {
                throw new IllegalStateException("lremovexattr could not be called", t);
            }
            if (rc != 0) {
                throw Posix.failure("lremovexattr", Posix.errno(state), path.toString());
            }
        }
    }

    private static MemorySegment cPath(Arena arena, Path path) {
        return Posix.cString(arena, PathBytes.of(path));
    }

    private static MemorySegment cName(Arena arena, String name) {
        return Posix.cString(arena, name.getBytes(StandardCharsets.US_ASCII));
    }
}
