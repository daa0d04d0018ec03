package dev.jrsync.fs;

import dev.jrsync.core.Escaped;
import dev.jrsync.core.PathBytes;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Opens directories beneath a directory descriptor without ever following a symlink, as rsync 3.4's
 * {@code util1.c:secure_relative_open} does: {@code openat2(RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS)} on
 * Linux 5.6 and later, else one {@code openat(O_NOFOLLOW|O_DIRECTORY)} per component. The descriptors are
 * {@code O_PATH}: they pin a directory without needing read permission on it.
 */
public final class BeneathOpener {
    /** Why an open failed, from errno: the callers tell a missing parent from a refused one. */
    public static final class OpenFailure extends IOException {
        final int errno;

        OpenFailure(String message, int errno) {
            super(message);
            this.errno = errno;
        }

        public boolean missing() {
            return errno == ENOENT;
        }

        /** The exception the JDK would throw for this errno, naming {@code path} (no descriptor numbers). */
        public IOException on(String path) {
            return Posix.failure("open", errno, path);
        }
    }

    static final int ENOENT = 2;
    private static final int ENOSYS = 38;
    private static final long SYS_OPENAT2 = 437; // the same number on every Linux architecture
    private static final long RESOLVE_NO_SYMLINKS = 0x04;
    private static final long RESOLVE_BENEATH = 0x08;

    // Bound on first use, in holder classes (see Posix): where openat2 works, the openat walk is never bound.
    private static final class Openat2 {
        static final MethodHandle CALL = Posix.LINKER.downcallHandle(
                Posix.LINKER.defaultLookup().findOrThrow("syscall"),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                        ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
                Posix.CAPTURE_ERRNO, Linker.Option.firstVariadicArg(1));
    }
    private static final class Openat {
        static final MethodHandle CALL = Posix.downcall("openat",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                        ValueLayout.JAVA_INT));
    }

    private volatile boolean openat2 = true;

    /** @param useOpenat2 false to take the per-component path even where openat2 exists (tests) */
    public BeneathOpener(boolean useOpenat2) {
        this.openat2 = useOpenat2;
    }

    boolean usesOpenat2() {
        return openat2;
    }

    /** A descriptor for directory {@code dir} itself (the module root), which may be reached through symlinks. */
    public int openRoot(Path dir) throws IOException {
        return openat(Posix.AT_FDCWD, PathBytes.of(dir), Posix.O_PATH | Posix.O_DIRECTORY | Posix.O_CLOEXEC);
    }

    /** A descriptor for directory {@code rel} ('/'-separated, no "." or "..") beneath {@code dirFd}. */
    public int openBeneath(int dirFd, byte[] rel) throws IOException {
        if (openat2) {
            try {
                return openat2(dirFd, rel);
            } catch (OpenFailure e) {
                if (e.errno != ENOSYS) {
                    throw e;
                }
                openat2 = false; // an older kernel: fall back for good
            }
        }
        int fd = dirFd;
        try {
            for (int start = 0, end; start < rel.length; start = end + 1) {
                end = start;
                while (end < rel.length && rel[end] != '/') {
                    end++;
                }
                int next = openat(fd, Arrays.copyOfRange(rel, start, end), Posix.O_PATH | Posix.O_DIRECTORY | Posix.O_NOFOLLOW | Posix.O_CLOEXEC);
                if (fd != dirFd) {
                    Posix.close(fd);
                }
                fd = next;
            }
            return fd;
        } catch (IOException e) {
            if (fd != dirFd) {
                Posix.close(fd);
            }
            throw e;
        }
    }

    private int openat2(int dirFd, byte[] rel) throws OpenFailure {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment how = arena.allocate(ValueLayout.JAVA_LONG, 3);
            how.setAtIndex(ValueLayout.JAVA_LONG, 0, Posix.O_PATH | Posix.O_DIRECTORY | Posix.O_CLOEXEC);
            how.setAtIndex(ValueLayout.JAVA_LONG, 1, 0);
            how.setAtIndex(ValueLayout.JAVA_LONG, 2, RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS);
            MemorySegment state = arena.allocate(Posix.CALL_STATE);
            long rc = (long) Openat2.CALL.invokeExact(state, SYS_OPENAT2, (long) dirFd, Posix.cString(arena, rel), how, 24L);
            if (rc < 0) {
                int errno = Posix.errno(state);
                throw new OpenFailure("openat2 \"" + Escaped.of(rel) + "\": errno " + errno, errno);
            }
            return (int) rc;
        } catch (OpenFailure e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("openat2 could not be called", t);
        }
    }

    /** {@code openat(2)} of one name beneath {@code dirFd} (or a path from {@link Posix#AT_FDCWD}). */
    static int openat(int dirFd, byte[] name, int flags) throws OpenFailure {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Posix.CALL_STATE);
            int rc = (int) Openat.CALL.invokeExact(state, dirFd, Posix.cString(arena, name), flags);
            if (rc < 0) {
                int errno = Posix.errno(state);
                throw new OpenFailure("openat \"" + Escaped.of(name) + "\": errno " + errno, errno);
            }
            return rc;
        } catch (OpenFailure e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("openat could not be called", t);
        }
    }
}
