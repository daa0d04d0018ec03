package dev.jrsync.fs;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/**
 * Linux's {@code statx} through the foreign function API: one system call and no per-call objects but the
 * result. The JDK's attribute views build a map of boxed values per file, which made a 100,000-file scan
 * spend most of its time in the JDK rather than the kernel. {@code struct statx} has one layout on every
 * architecture, unlike {@code struct stat}, so its offsets can be written down here.
 */
final class Statx {
    private Statx() {}

    static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final int STATX_BASIC_STATS = 0x7ff;
    private static final int ENOENT = 2;
    private static final int EACCES = 13;
    private static final int ENOTDIR = 20;
    /** sizeof(struct statx) */
    static final long SIZE = 256;

    private static final Linker LINKER = Linker.nativeLinker();
    static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    /** glibc 2.28 (2018) and Linux 4.11 have it. */
    private static final MethodHandle STATX = LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow("statx"),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT, ValueLayout.ADDRESS),
            Linker.Option.captureCallState("errno"));

    /**
     * lstat of {@code name} (a NUL-terminated path, relative to the directory {@code dirFd} or to the working
     * directory for {@link #AT_FDCWD}) into {@code buf}, or null with errno in {@code state}.
     */
    static LocalStat lstat(int dirFd, MemorySegment name, MemorySegment buf, MemorySegment state) {
        int rc;
        try {
            rc = (int) STATX.invokeExact(state, dirFd, name, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, buf);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("statx could not be called", t);
        }
        if (rc != 0) {
            return null;
        }
        long mtimeSeconds = buf.get(ValueLayout.JAVA_LONG, 0x70);
        int mtimeNanos = buf.get(ValueLayout.JAVA_INT, 0x78);
        return new LocalStat(buf.get(ValueLayout.JAVA_SHORT, 0x1c) & 0xFFFF, buf.get(ValueLayout.JAVA_LONG, 0x28),
                mtimeSeconds, mtimeNanos, buf.get(ValueLayout.JAVA_INT, 0x14), buf.get(ValueLayout.JAVA_INT, 0x18),
                makedev(buf.get(ValueLayout.JAVA_INT, 0x80), buf.get(ValueLayout.JAVA_INT, 0x84)),
                makedev(buf.get(ValueLayout.JAVA_INT, 0x88), buf.get(ValueLayout.JAVA_INT, 0x8c)),
                buf.get(ValueLayout.JAVA_LONG, 0x20), buf.get(ValueLayout.JAVA_INT, 0x10));
    }

    /** lstat of a path relative to the working directory, with buffers of its own. */
    static LocalStat lstat(byte[] path, String display) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocate(path.length + 1L);
            MemorySegment.copy(path, 0, name, ValueLayout.JAVA_BYTE, 0, path.length);
            MemorySegment state = arena.allocate(CALL_STATE);
            LocalStat st = lstat(AT_FDCWD, name, arena.allocate(SIZE, 8), state);
            if (st == null) {
                throw failure("lstat", errno(state), display);
            }
            return st;
        }
    }

    static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /** The exception the JDK would throw for {@code errno}, so callers keep catching NoSuchFileException. */
    static IOException failure(String call, int errno, String display) {
        return switch (errno) {
            case ENOENT, ENOTDIR -> new NoSuchFileException(display);
            case EACCES -> new AccessDeniedException(display);
            default -> new IOException(call + " " + display + ": " + Posix.strerror(errno) + " (errno " + errno + ")");
        };
    }

    /** glibc's gnu_dev_makedev: the dev_t that {@link LocalStat#rdevMajor()} and rdevMinor() take apart. */
    static long makedev(int major, int minor) {
        long ma = major & 0xFFFFFFFFL;
        long mi = minor & 0xFFFFFFFFL;
        return ((ma & 0xFFFFF000L) << 32) | ((ma & 0xFFFL) << 8) | ((mi & 0xFFFFFF00L) << 12) | (mi & 0xFFL);
    }
}
