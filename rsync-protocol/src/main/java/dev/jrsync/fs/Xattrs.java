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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Extended attributes of a path itself, never a symlink's target ({@code rsync/lib/sysxattrs.c}:
 * {@code sys_llistxattr}, {@code sys_lgetxattr}, {@code sys_lsetxattr}, {@code sys_lremovexattr}). Only fake super
 * and {@code -X} use them, so the calls are bound on first use: a transfer without them never looks them up. Names
 * are raw bytes, as the kernel and the wire have them.
 *
 * <p>A {@link Posix#below} path is handed to the kernel whole: {@code /proc/self/fd/N} is a link the kernel
 * follows to the held directory, and only the last component is looked up without following.
 */
public final class Xattrs {
    private Xattrs() {}

    private static final int ENODATA = 61;
    private static final int EOPNOTSUPP = 95;
    private static final int ERANGE = 34;
    /** The kernel's XATTR_SIZE_MAX: no value is longer. */
    public static final int MAX_VALUE = 65536;

    /** Bound on first use (the JVM initialises a nested class when it is first touched). */
    private static final class Calls {
        static final MethodHandle LGETXATTR = Posix.downcall("lgetxattr", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
                ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
        static final MethodHandle LSETXATTR = Posix.downcall("lsetxattr", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_INT));
        static final MethodHandle LLISTXATTR = Posix.downcall("llistxattr", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
                ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
        static final MethodHandle LREMOVEXATTR = Posix.downcall("lremovexattr",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    }

    /**
     * The value of attribute {@code name} on {@code path}, or null when the file has none by that name or its
     * file system keeps no such attributes (ENODATA, EOPNOTSUPP: rsync's "no xattr"). A value longer than
     * {@code maxLength} fails with ERANGE, as rsync's fixed buffer does.
     */
    public static byte[] lget(Path path, String name, int maxLength) throws IOException {
        return lget(path, name.getBytes(StandardCharsets.US_ASCII), maxLength);
    }

    /** {@link #lget(Path, String, int)} for a name of raw bytes. */
    public static byte[] lget(Path path, byte[] name, int maxLength) throws IOException {
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
        lset(path, name.getBytes(StandardCharsets.US_ASCII), value);
    }

    /** {@link #lset(Path, String, byte[])} for a name of raw bytes. */
    public static void lset(Path path, byte[] name, byte[] value) throws IOException {
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
        lremove(path, name.getBytes(StandardCharsets.US_ASCII));
    }

    /** {@link #lremove(Path, String)} for a name of raw bytes. */
    public static void lremove(Path path, byte[] name) throws IOException {
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

    /** Any value of {@code name} on {@code path}, however long the kernel allows; null as {@link #lget} has it. */
    public static byte[] lget(Path path, byte[] name) throws IOException {
        return lget(path, name, MAX_VALUE);
    }

    /**
     * The names of {@code path}'s attributes ({@code rsync/xattrs.c:get_xattr_names}), in the kernel's order; none
     * where the file system keeps no attributes. Only the names this process may see are listed (no trusted.*
     * without CAP_SYS_ADMIN).
     */
    public static List<byte[]> llist(Path path) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cPath = cPath(arena, path);
            MemorySegment state = arena.allocate(Posix.CALL_STATE);
            long size = 1024;
            while (true) {
                MemorySegment buf = arena.allocate(size);
                long n;
                try {
                    n = (long) Calls.LLISTXATTR.invokeExact(state, cPath, buf, size);
                } catch (Throwable t) {
                    throw new IllegalStateException("llistxattr could not be called", t);
                }
                if (n >= 0) {
                    return split(buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE));
                }
                int errno = Posix.errno(state);
                if (errno == EOPNOTSUPP) {
                    return List.of();
                }
                if (errno != ERANGE) {
                    throw Posix.failure("llistxattr", errno, path.toString());
                }
                try { // the list grew since it was sized: ask for its length, and leave room as rsync does
                    n = (long) Calls.LLISTXATTR.invokeExact(state, cPath, MemorySegment.NULL, 0L);
                } catch (Throwable t) {
                    throw new IllegalStateException("llistxattr could not be called", t);
                }
                if (n < 0) {
                    throw Posix.failure("llistxattr", Posix.errno(state), path.toString());
                }
                size = n + 1024;
            }
        }
    }

    private static List<byte[]> split(byte[] list) {
        List<byte[]> names = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < list.length; i++) {
            if (list[i] == 0) {
                if (i > start) {
                    names.add(Arrays.copyOfRange(list, start, i));
                }
                start = i + 1;
            }
        }
        return names;
    }

    private static MemorySegment cName(Arena arena, byte[] name) {
        return Posix.cString(arena, name);
    }
}
