package dev.jrsync.fs;

import dev.jrsync.core.PathBytes;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.nio.file.Path;

/**
 * The few POSIX calls the JDK lacks, through the foreign function API: times on a path without
 * opening it (a FIFO would block, a symlink would be followed), device and FIFO nodes, owners of
 * symlinks, and an {@code lstat} and rename that report a missing file without an exception. Each
 * failure is an {@link IOException} naming the call, the path and {@code strerror}.
 *
 * <p>A path of the form {@link #below} ({@code /proc/self/fd/N/leaf}, a name beneath a directory
 * descriptor the caller holds open) is passed to the kernel as the pair {@code (N, leaf)} of an
 * {@code *at} call: the same directory, without the walk through procfs on every call, which cost a
 * daemon receiving small files more kernel time than the files themselves.
 */
public final class Posix {
    private Posix() {}

    static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final int AT_EMPTY_PATH = 0x1000;
    private static final String FD_DIR = "/proc/self/fd/";
    private static final java.util.regex.Pattern FD_PATHS = java.util.regex.Pattern.compile("/proc/self/fd/\\d+/?");
    private static final int EPERM = 1;
    private static final int ENOENT = 2;
    private static final int EACCES = 13;
    private static final int EEXIST = 17;
    private static final int EXDEV = 18;
    private static final int ENOTDIR = 20;
    private static final int EINVAL = 22;
    private static final int EIO = 5;
    private static final int ELOOP = 40;
    private static final int ENOTEMPTY = 39;
    private static final int ENOSYS = 38;
    private static final int EOPNOTSUPP = 95;
    /** fchmodat2 (Linux 6.6): the same number on every architecture. */
    private static final long SYS_FCHMODAT2 = 452;
    private static final int STATX_BASIC_STATS = 0x7ff;
    /** sizeof(struct statx) */
    static final long STATX_SIZE = 256;
    private static final long UTIME_OMIT = (1L << 30) - 2;
    private static final int S_IFIFO = 0010000;

    // open(2) flags: O_DIRECTORY and O_NOFOLLOW differ on aarch64
    private static final boolean AARCH64 = "aarch64".equals(System.getProperty("os.arch"));
    public static final int O_WRONLY = 01;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_DIRECTORY = AARCH64 ? 040000 : 0200000;
    public static final int O_NOFOLLOW = AARCH64 ? 0100000 : 0400000;
    public static final int O_CLOEXEC = 02000000;
    public static final int O_PATH = 010000000;

    static final Linker LINKER = Linker.nativeLinker();
    static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    static final VarHandle ERRNO =
            CALL_STATE.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    // Each downcall is bound on first use, in a holder class of its own: binding one spins a stub class at
    // run time, which JDK 25's ahead-of-time cache does not keep (tens of milliseconds each at start-up),
    // and a run makes only a few of these calls: a no-op copy needs statx alone.
    private static final class Utimensat {
        static final MethodHandle CALL = downcall("utimensat", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    }
    private static final class Mknodat {
        static final MethodHandle CALL = downcall("mknodat", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
    }
    private static final class Fchownat {
        static final MethodHandle CALL = downcall("fchownat", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT));
    }
    private static final class Fchmodat {
        static final MethodHandle CALL = downcall("fchmodat", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    }
    private static final class Fchmodat2 {
        static final MethodHandle CALL = LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow("syscall"),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                        ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
                CAPTURE_ERRNO, Linker.Option.firstVariadicArg(1));
    }
    private static final class Readlinkat {
        static final MethodHandle CALL = downcall("readlinkat", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    }
    private static final class Symlinkat {
        static final MethodHandle CALL = downcall("symlinkat", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    }
    private static final class Renameat {
        static final MethodHandle CALL = downcall("renameat", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    }
    private static final class Statx {
        static final MethodHandle CALL = downcall("statx", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS));
    }
    /** Cleared when the kernel lacks fchmodat2: glibc's fchmodat then emulates the no-follow case. */
    private static volatile boolean fchmodat2 = true;
    /** Linux's PATH_MAX: no symlink target is longer. */
    static final int PATH_MAX = 4096;
    private static final class Getpeername {
        static final MethodHandle CALL = downcall("getpeername", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    }

    private static final class Shutdown {
        static final MethodHandle CALL = downcall("shutdown", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    }

    private static final class FcntlGet {
        static final MethodHandle CALL = downcall("fcntl", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    }

    private static final class FcntlSet {
        static final MethodHandle CALL = LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow("fcntl"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT), CAPTURE_ERRNO, Linker.Option.firstVariadicArg(2));
    }

    private static final class Geteuid {
        static final MethodHandle CALL = LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow("geteuid"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT));
    }
    private static final class Close {
        static final MethodHandle CALL = LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow("close"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    }
    private static final class Strerror {
        static final MethodHandle CALL = LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow("strerror"),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    }

    static MethodHandle downcall(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow(name), fd, CAPTURE_ERRNO);
    }

    /** Sets the mtime of {@code path} itself (never a symlink's target), leaving atime alone. */
    public static void setMtime(Path path, long seconds, int nanos) throws IOException {
        utimensat(path, 0, UTIME_OMIT, seconds, nanos);
    }

    /** Sets the atime of {@code path} itself to a whole second, as rsync keeps it, leaving mtime alone. */
    public static void setAtime(Path path, long seconds) throws IOException {
        utimensat(path, seconds, 0, 0, UTIME_OMIT);
    }

    /** Sets both times of {@code path} itself in one call ({@code rsync/util1.c:set_times}); atime to a whole second. */
    public static void setTimes(Path path, long atimeSeconds, long mtimeSeconds, int mtimeNanos) throws IOException {
        utimensat(path, atimeSeconds, 0, mtimeSeconds, mtimeNanos);
    }

    /** {@code utimensat} without following a symlink; a nanosecond field of {@code UTIME_OMIT} leaves that time. */
    private static void utimensat(Path path, long atime, long atimeNanos, long mtime, long mtimeNanos)
            throws IOException {
        call("utimensat", path, (arena, state, dir, name) -> {
            MemorySegment times = arena.allocate(ValueLayout.JAVA_LONG, 4);
            times.setAtIndex(ValueLayout.JAVA_LONG, 0, atime);
            times.setAtIndex(ValueLayout.JAVA_LONG, 1, atimeNanos);
            times.setAtIndex(ValueLayout.JAVA_LONG, 2, mtime);
            times.setAtIndex(ValueLayout.JAVA_LONG, 3, mtimeNanos);
            return (int) Utimensat.CALL.invokeExact(state, dir, name, times, AT_SYMLINK_NOFOLLOW);
        });
    }

    /** Creates a device or special node; {@code mode} carries the file type bits and the permissions. */
    public static void mknod(Path path, int mode, long rdev) throws IOException {
        call("mknod", path, (arena, state, dir, name) -> (int) Mknodat.CALL.invokeExact(state, dir, name, mode, rdev));
    }

    /** A named pipe with permission bits {@code perms}. */
    public static void mkfifo(Path path, int perms) throws IOException {
        mknod(path, S_IFIFO | (perms & 07777), 0);
    }

    /** Changes the owner of {@code path} itself; -1 leaves that id unchanged. */
    public static void lchown(Path path, int uid, int gid) throws IOException {
        call("lchown", path, (arena, state, dir, name) ->
                (int) Fchownat.CALL.invokeExact(state, dir, name, uid, gid, AT_SYMLINK_NOFOLLOW));
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
                n = (long) Readlinkat.CALL.invokeExact(state, dirFd(link), name(arena, link), buf, (long) PATH_MAX);
            } catch (Throwable t) {
                throw new IllegalStateException("readlink could not be called", t);
            }
            check(n < 0 ? -1 : 0, state, "readlink", link);
            return buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
        }
    }

    /** Creates {@code link} pointing at exactly {@code target}'s bytes (see {@link #readlink}). */
    public static void symlink(byte[] target, Path link) throws IOException {
        call("symlink", link, (arena, state, dir, name) -> {
            MemorySegment t = arena.allocate(target.length + 1L);
            MemorySegment.copy(target, 0, t, ValueLayout.JAVA_BYTE, 0, target.length);
            return (int) Symlinkat.CALL.invokeExact(state, t, dir, name);
        });
    }

    /**
     * Renames {@code from} to {@code to}, replacing it, as {@code rename(2)}; a move across file systems
     * is an {@link AtomicMoveNotSupportedException}.
     */
    public static void rename(Path from, Path to) throws IOException {
        int rc;
        int errno;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            try {
                rc = (int) Renameat.CALL.invokeExact(state, dirFd(from), name(arena, from), dirFd(to), name(arena, to));
            } catch (Throwable t) {
                throw new IllegalStateException("renameat could not be called", t);
            }
            errno = rc == 0 ? 0 : (int) ERRNO.get(state, 0L);
        }
        if (errno == EXDEV) {
            throw new AtomicMoveNotSupportedException(from.toString(), to.toString(), strerror(errno));
        }
        if (errno != 0) {
            throw new FileSystemException(from.toString(), to.toString(), errnoText(errno));
        }
    }

    /**
     * The {@code lstat} of {@code path} ({@code statx}, never following a symlink), or null when nothing
     * is there (ENOENT, or a parent that is not a directory): the receiver asks that of every name it
     * writes, and an exception per new file was a tenth of a daemon's time.
     */
    public static LocalStat lstatOrNull(Path path) throws IOException {
        return statOrNull(path, AT_SYMLINK_NOFOLLOW, "lstat");
    }


    /**
     * The {@code stat} of {@code path}, following symlinks to what they lead to, or null when that is nothing
     * (a dangling link, a missing name).
     */
    public static LocalStat statOrNull(Path path) throws IOException {
        return statOrNull(path, 0, "stat");
    }

    /** {@code statx} of {@code path} with {@code flags}, or null when nothing is there; other errors as {@code op}. */
    private static LocalStat statOrNull(Path path, int flags, String op) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            LocalStat st = statx(dirFd(path), name(arena, path), flags, arena.allocate(STATX_SIZE, 8), state);
            if (st != null) {
                return st;
            }
            int errno = errno(state);
            if (errno == ENOENT || errno == ENOTDIR) {
                return null;
            }
            throw failure(op, errno, path.toString());
        }
    }


    /**
     * {@code lstat} of the NUL-terminated {@code name} beneath {@code dirFd} (or the working directory for
     * {@link #AT_FDCWD}) into the caller's {@code buf}, or null with errno in {@code state}: a scan reuses
     * one buffer for every file.
     */
    static LocalStat statx(int dirFd, MemorySegment name, MemorySegment buf, MemorySegment state) {
        return statx(dirFd, name, AT_SYMLINK_NOFOLLOW, buf, state);
    }

    /**
     * The {@code fstat} of descriptor {@code fd}, an {@code O_PATH} one included (a symlink's own): the
     * attributes of exactly what was opened, whatever its name now leads to.
     */
    public static LocalStat fstat(int fd) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            LocalStat st = statx(fd, arena.allocate(1), AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW,
                    arena.allocate(STATX_SIZE, 8), state);
            if (st == null) {
                throw failure("fstat", errno(state), FD_DIR + fd);
            }
            return st;
        }
    }

    /** The effective user id of the calling thread (Linux keeps credentials per thread). */
    /**
     * The IPv4 or IPv6 address at the other end of the socket {@code fd} ({@code getpeername}); null when it is
     * not an internet socket or not a socket at all.
     */
    public static java.net.InetAddress peerAddress(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment addr = arena.allocate(128);
            MemorySegment len = arena.allocate(ValueLayout.JAVA_INT);
            len.set(ValueLayout.JAVA_INT, 0, 128);
            int rc = (int) Getpeername.CALL.invokeExact(state, fd, addr, len);
            if (rc != 0) {
                return null;
            }
            short family = addr.get(ValueLayout.JAVA_SHORT, 0);
            byte[] ip = family == 2 ? addr.asSlice(4, 4).toArray(ValueLayout.JAVA_BYTE)
                    : family == 10 ? addr.asSlice(8, 16).toArray(ValueLayout.JAVA_BYTE) : null;
            return ip == null ? null : java.net.InetAddress.getByAddress(ip);
        } catch (java.net.UnknownHostException e) {
            return null;
        } catch (Throwable t) {
            throw new IllegalStateException("getpeername could not be called", t);
        }
    }

    /**
     * Shuts a socket down both ways ({@code shutdown(fd, SHUT_RDWR)}): the peer sees the end, and a read blocked
     * on it in another thread returns, which closing the descriptor alone does not do. Nothing happens for a
     * descriptor that is not a socket.
     */
    public static void shutdownSocket(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            int unused = (int) Shutdown.CALL.invokeExact(arena.allocate(CALL_STATE), fd, 2);
        } catch (Throwable t) {
            throw new IllegalStateException("shutdown could not be called", t);
        }
    }

    /**
     * Clears {@code O_NONBLOCK} on an inherited descriptor ({@code rsync/util1.c:set_blocking}). rsync's client
     * hands its remote program a socket in non-blocking mode, where a JVM stream's write fails with EAGAIN
     * instead of waiting.
     */
    public static void setBlocking(int fd) throws IOException {
        final int fGetfl = 3;
        final int fSetfl = 4;
        final int oNonblock = 04000;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int flags = (int) FcntlGet.CALL.invokeExact(state, fd, fGetfl);
            if (flags >= 0 && (flags & oNonblock) != 0) {
                flags = (int) FcntlSet.CALL.invokeExact(state, fd, fSetfl, flags & ~oNonblock);
            }
            if (flags < 0) {
                throw new IOException("fcntl on descriptor " + fd + ": " + strerror(errno(state)));
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("fcntl could not be called", t);
        }
    }

    public static int geteuid() {
        try {
            return (int) Geteuid.CALL.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("geteuid could not be called", t);
        }
    }

    private static LocalStat statx(int dirFd, MemorySegment name, int flags, MemorySegment buf, MemorySegment state) {
        int rc;
        try {
            rc = (int) Statx.CALL.invokeExact(state, dirFd, name, flags, STATX_BASIC_STATS, buf);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("statx could not be called", t);
        }
        return rc == 0 ? statxToLocal(buf) : null;
    }

    static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /** The exception the JDK would throw for {@code errno}, so callers keep catching NoSuchFileException. */
    static IOException failure(String call, int errno, String display) {
        return switch (errno) {
            case ENOENT, ENOTDIR -> new NoSuchFileException(display);
            case EACCES -> new AccessDeniedException(display);
            case EEXIST -> new FileAlreadyExistsException(display);
            default -> new FileSystemException(display, null, call + ": " + errnoText(errno));
        };
    }

    // struct statx (linux/stat.h): the same layout on every architecture
    private static LocalStat statxToLocal(MemorySegment b) {
        int nlink = b.get(ValueLayout.JAVA_INT, 16);
        int uid = b.get(ValueLayout.JAVA_INT, 20);
        int gid = b.get(ValueLayout.JAVA_INT, 24);
        int mode = Short.toUnsignedInt(b.get(ValueLayout.JAVA_SHORT, 28));
        long ino = b.get(ValueLayout.JAVA_LONG, 32);
        long size = b.get(ValueLayout.JAVA_LONG, 40);
        long atimeSec = b.get(ValueLayout.JAVA_LONG, 64);
        long mtimeSec = b.get(ValueLayout.JAVA_LONG, 112);
        int mtimeNsec = b.get(ValueLayout.JAVA_INT, 120);
        long rdev = makedev(b.get(ValueLayout.JAVA_INT, 128), b.get(ValueLayout.JAVA_INT, 132));
        long dev = makedev(b.get(ValueLayout.JAVA_INT, 136), b.get(ValueLayout.JAVA_INT, 140));
        return new LocalStat(mode, size, mtimeSec, mtimeNsec, atimeSec, uid, gid, rdev, dev, ino, nlink);
    }

    /** glibc's encoding of dev_t, as the JDK's "unix:dev" and "unix:rdev" report it. */
    public static long makedev(int major, int minor) {
        long ma = Integer.toUnsignedLong(major);
        long mi = Integer.toUnsignedLong(minor);
        return ((ma & 0xFFFL) << 8) | ((ma & ~0xFFFL) << 32) | (mi & 0xFFL) | ((mi & ~0xFFL) << 12);
    }

    /** A name beneath the open directory descriptor {@code dirFd}, usable by the JDK and by the calls here. */
    public static Path below(int dirFd, byte[] leaf) {
        return Path.of(FD_DIR + dirFd).resolve(PathBytes.path(leaf));
    }

    /** The open directory descriptor {@code dirFd} as a path the JDK and the calls here can start from. */
    public static Path fdPath(int dirFd) {
        return Path.of(FD_DIR + dirFd);
    }

    /**
     * {@code path} with a leading descriptor prefix ({@link #below}, {@link #fdPath}) replaced by where that
     * descriptor leads now, as the kernel names it: for messages, and for names relative to a root. A path
     * without one, or whose descriptor is closed, is returned as it is.
     */
    public static Path named(Path path) {
        Path fdDir = Path.of(FD_DIR);
        if (!path.startsWith(fdDir) || path.getNameCount() <= fdDir.getNameCount()
                || !path.getName(fdDir.getNameCount()).toString().matches("[0-9]+")) {
            return path;
        }
        int n = fdDir.getNameCount() + 1;
        try {
            Path dir = PathBytes.path(readlink(fdDir.resolve(path.getName(n - 1))));
            return n == path.getNameCount() ? dir : dir.resolve(path.subpath(n, path.getNameCount()));
        } catch (IOException e) {
            return path;
        }
    }

    /** The directory descriptor of a {@link #below} path, else {@code AT_FDCWD}. */
    static int dirFd(Path path) {
        String s = path.toString();
        int slash = s.lastIndexOf('/');
        if (!s.startsWith(FD_DIR) || slash <= FD_DIR.length()) {
            return AT_FDCWD;
        }
        int fd = 0;
        for (int i = FD_DIR.length(); i < slash; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9' || fd > 100_000_000) {
                return AT_FDCWD;
            }
            fd = fd * 10 + (c - '0');
        }
        return fd;
    }

    /** The name to pass with {@link #dirFd}: the leaf of a {@link #below} path, else the whole path. */
    static MemorySegment name(Arena arena, Path path) {
        return cString(arena, PathBytes.of(dirFd(path) == AT_FDCWD ? path : path.getFileName()));
    }

    /** One native call on a name beneath a directory, returning 0 or -1 with errno in the captured call state. */
    @FunctionalInterface
    private interface PathCall {
        int invoke(Arena arena, MemorySegment state, int dirFd, MemorySegment name) throws Throwable;
    }

    private static void call(String what, Path path, PathCall c) throws IOException {
        int rc;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            try {
                rc = c.invoke(arena, state, dirFd(path), name(arena, path));
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
        call("fchmodat", path, (arena, state, dir, name) -> {
            if (fchmodat2) {
                // one call; glibc 2.36's fchmodat emulates the no-follow case with four
                long rc = (long) Fchmodat2.CALL.invokeExact(state, SYS_FCHMODAT2, (long) dir, name, (long) (mode & 07777),
                        (long) AT_SYMLINK_NOFOLLOW);
                int errno = (int) ERRNO.get(state, 0L);
                // An old kernel says ENOSYS; a seccomp filter that does not know the call (containers, systemd
                // units) says EPERM or EINVAL: then glibc's way is the one that works.
                if (rc == 0 || (errno != ENOSYS && errno != EPERM && errno != EINVAL)) {
                    return (int) rc;
                }
                int fallback = (int) Fchmodat.CALL.invokeExact(state, dir, name, mode & 07777, AT_SYMLINK_NOFOLLOW);
                if (fallback == 0) {
                    fchmodat2 = false;
                } else if ((int) ERRNO.get(state, 0L) == EOPNOTSUPP) {
                    // glibc's way needs /proc (absent in a chrooted daemon session; a symlink fchmodat2 itself
                    // refuses): the kernel's own answer is the true one, a module user's EPERM
                    ERRNO.set(state, 0L, errno);
                }
                return fallback;
            }
            return (int) Fchmodat.CALL.invokeExact(state, dir, name, mode & 07777, AT_SYMLINK_NOFOLLOW);
        });
    }

    /** {@code name} and a NUL, for the kernel. */
    public static MemorySegment cString(Arena arena, byte[] name) {
        MemorySegment c = arena.allocate(name.length + 1L);
        MemorySegment.copy(name, 0, c, ValueLayout.JAVA_BYTE, 0, name.length);
        return c;
    }

    private static void check(int rc, MemorySegment state, String call, Path path) throws IOException {
        if (rc == 0) {
            return;
        }
        int errno = (int) ERRNO.get(state, 0L);
        throw new FileSystemException(path.toString(), null, call + ": " + errnoText(errno));
    }

    /**
     * Closes a descriptor the caller opened, ignoring a failure: for an O_PATH directory or a file whose data
     * is already in the page cache there is nothing a caller could do about one.
     */
    public static void close(int fd) {
        try {
            int unused = (int) Close.CALL.invokeExact(fd);
        } catch (Throwable t) {
            throw new IllegalStateException("close could not be called", t);
        }
    }

    /**
     * What went wrong, as rsync prints it after a name ({@code rsync/log.c:rsyserr}): {@code strerror} and the
     * errno, e.g. "Permission denied (13)". Never the JDK's own text, which for these exceptions is only the
     * path (here often a {@link #below} descriptor path), nor a class name.
     */
    public static String describe(IOException e) {
        return switch (e) {
            case NoSuchFileException x -> errnoText(ENOENT);
            case AccessDeniedException x -> errnoText(EACCES);
            case FileAlreadyExistsException x -> errnoText(EEXIST);
            case NotDirectoryException x -> errnoText(ENOTDIR);
            case DirectoryNotEmptyException x -> errnoText(ENOTEMPTY);
            case FileSystemLoopException x -> errnoText(ELOOP);
            case NotLinkException x -> errnoText(EINVAL);
            case FileSystemException x when x.getReason() != null -> withoutFdPaths(x.getReason());
            default -> e.getMessage() == null ? errnoText(EIO) : withoutFdPaths(e.getMessage());
        };
    }

    /** Text with the descriptor prefix of {@link #below} paths taken out, leaving the names. */
    public static String withoutFdPaths(String text) {
        return FD_PATHS.matcher(text).replaceAll("");
    }

    private static String errnoText(int errno) {
        return strerror(errno) + " (" + errno + ")";
    }

    static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) Strerror.CALL.invokeExact(errno);
            return s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "error " + errno;
        }
    }
}
