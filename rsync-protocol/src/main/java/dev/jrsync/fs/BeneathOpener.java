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
 * Opens directories beneath a directory descriptor without ever leaving it, as rsync's {@code
 * secure_relative_open} does: {@code openat2(RESOLVE_BENEATH)} on Linux 5.6 and later, following no symlink at all
 * ({@code RESOLVE_NO_SYMLINKS}, rsync 3.4) or, for a daemon's module, the symlinks that stay beneath it (rsync
 * 3.5's in-tree walk: an absolute target or a ".." above the start is refused by the kernel). Without openat2 it
 * is one {@code openat(O_NOFOLLOW|O_DIRECTORY)} per component, which follows no symlink either way. The
 * descriptors are {@code O_PATH}: they pin a directory without needing read permission on it.
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
    private static final int EAGAIN = 11;
    /** How often a lookup {@code openat2} could not finish (EAGAIN, a rename racing a "..") is tried. */
    private static final int MAX_TRIES = 64;
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
    private final long resolve;

    /** @param useOpenat2 false to take the per-component path even where openat2 exists (tests) */
    public BeneathOpener(boolean useOpenat2) {
        this(useOpenat2, false);
    }

    /**
     * @param useOpenat2   false to take the per-component path even where openat2 exists (tests)
     * @param followInTree follow symlinks that lead to directories beneath the start (a module's own links)
     */
    public BeneathOpener(boolean useOpenat2, boolean followInTree) {
        this.openat2 = useOpenat2;
        this.resolve = followInTree ? RESOLVE_BENEATH : RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS;
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
        for (int tries = 1; openat2; tries++) {
            try {
                return openat2(dirFd, rel);
            } catch (OpenFailure e) {
                if (e.errno == EAGAIN && tries < MAX_TRIES) {
                    continue; // a rename elsewhere on the system while a ".." was resolved: the kernel asks again
                }
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
            how.setAtIndex(ValueLayout.JAVA_LONG, 2, resolve);
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
