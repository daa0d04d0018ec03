package dev.jrsync.fs;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * The identity and root directory of the calling thread alone, as rsync's daemon child sets them for its
 * whole process ({@code rsync/clientserver.c:rsync_module}: {@code chroot}, {@code setgid},
 * {@code setgroups}, {@code setuid}).
 *
 * <p>Linux keeps credentials per thread. glibc's {@code setuid} family hides that by signalling every
 * thread of the process to change too, so those wrappers are never called here: {@code setgroups},
 * {@code setresgid} and {@code setresuid} go through {@code syscall(2)} and change this thread only (the
 * way Samba switches users per thread). {@code unshare(CLONE_FS)} gives the thread its own root and working
 * directory before {@code chroot}. A thread it then starts ({@code pthread_create}, a Java platform thread)
 * inherits both, so a session's role threads carry the session's identity. A virtual thread does not: it
 * runs on whichever carrier thread is free, so file system work under a switched identity must stay on
 * platform threads, and the switch cannot be undone (the saved uid is given up too).
 */
public final class ThreadCredentials {
    private ThreadCredentials() {}

    private static final boolean AARCH64 = "aarch64".equals(System.getProperty("os.arch"));
    // x86_64 has its own table; aarch64 uses the generic one (asm-generic/unistd.h)
    private static final long SYS_SETGROUPS = AARCH64 ? 159 : 116;
    private static final long SYS_SETRESUID = AARCH64 ? 147 : 117;
    private static final long SYS_SETRESGID = AARCH64 ? 149 : 119;
    private static final int CLONE_FS = 0x200;

    // Bound on first use, in holder classes (see Posix): only a daemon that drops privileges makes these calls.
    private static final class Syscall3 {
        static final MethodHandle CALL = Posix.LINKER.downcallHandle(
                Posix.LINKER.defaultLookup().findOrThrow("syscall"),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                        ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
                Posix.CAPTURE_ERRNO, Linker.Option.firstVariadicArg(1));
    }
    private static final class SyscallSetgroups {
        static final MethodHandle CALL = Posix.LINKER.downcallHandle(
                Posix.LINKER.defaultLookup().findOrThrow("syscall"),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                        ValueLayout.ADDRESS),
                Posix.CAPTURE_ERRNO, Linker.Option.firstVariadicArg(1));
    }
    // unshare, chroot, chdir and the getters are plain system calls in glibc: no broadcast to other threads
    private static final class Unshare {
        static final MethodHandle CALL = Posix.downcall("unshare",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    }
    private static final class Chroot {
        static final MethodHandle CALL = Posix.downcall("chroot",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    }
    private static final class Chdir {
        static final MethodHandle CALL = Posix.downcall("chdir",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    }
    private static final class Getresuid {
        static final MethodHandle CALL = Posix.downcall("getresuid",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                        ValueLayout.ADDRESS));
    }
    private static final class Getresgid {
        static final MethodHandle CALL = Posix.downcall("getresgid",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                        ValueLayout.ADDRESS));
    }

    /** The calling thread's real, effective and saved user ids. */
    public static int[] resuid() throws Failure {
        return getres("getresuid", Getresuid.CALL);
    }

    /** The calling thread's real, effective and saved group ids. */
    public static int[] resgid() throws Failure {
        return getres("getresgid", Getresgid.CALL);
    }

    /** The calling thread's effective uid: whether it may chown, create devices, or chroot. */
    public static int euid() {
        try {
            return resuid()[1];
        } catch (Failure e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Gives the calling thread its own root and working directory, then makes {@code dir} its root and
     * working directory. Other threads keep theirs.
     */
    public static void chroot(Path dir) throws Failure {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Posix.CALL_STATE);
            int rc = (int) Unshare.CALL.invokeExact(state, CLONE_FS);
            check(rc, state, "unshare(CLONE_FS)");
            rc = (int) Chroot.CALL.invokeExact(state, arena.allocateFrom(dir.toString()));
            check(rc, state, "chroot(\"" + dir + "\")");
            rc = (int) Chdir.CALL.invokeExact(state, arena.allocateFrom("/"));
            check(rc, state, "chdir(\"/\")");
        } catch (Failure | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("chroot could not be called", t);
        }
    }

    /**
     * Sets the calling thread's real, effective and saved group id to {@code gid} (rsync's {@code setgid},
     * before {@link #setGroups} and before the uid changes, while still privileged), then checks that they
     * took effect.
     */
    public static void setGid(int gid) throws Failure {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Posix.CALL_STATE);
            long g = Integer.toUnsignedLong(gid);
            long rc = (long) Syscall3.CALL.invokeExact(state, SYS_SETRESGID, g, g, g);
            check((int) rc, state, "setgid " + g);
            int[] now = resgid();
            if (now[0] != gid || now[1] != gid || now[2] != gid) {
                throw new Failure("setgid " + g + " did not take effect", "ids unchanged");
            }
        } catch (Failure | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("setresgid could not be called", t);
        }
    }

    /**
     * Sets the calling thread's supplementary groups to {@code gids} (rsync's {@code setgroups}, after
     * {@link #setGid}); reported apart from it, as rsync's daemon tells its client which of the two failed.
     */
    public static void setGroups(int[] gids) throws Failure {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Posix.CALL_STATE);
            long rc = (long) SyscallSetgroups.CALL.invokeExact(state, SYS_SETGROUPS, (long) gids.length,
                    arena.allocateFrom(ValueLayout.JAVA_INT, gids));
            check((int) rc, state, "setgroups");
        } catch (Failure | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("setgroups could not be called", t);
        }
    }

    /**
     * Sets the calling thread's real, effective and saved user id to {@code uid}, then checks that all three
     * changed: with the saved id gone too, nothing the thread runs later can take root back.
     */
    public static void setUid(int uid) throws Failure {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Posix.CALL_STATE);
            long u = Integer.toUnsignedLong(uid);
            long rc = (long) Syscall3.CALL.invokeExact(state, SYS_SETRESUID, u, u, u);
            check((int) rc, state, "setuid " + u);
            int[] now = resuid();
            if (now[0] != uid || now[1] != uid || now[2] != uid) {
                throw new Failure("setuid " + u + " did not take effect", "ids unchanged");
            }
        } catch (Failure | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("setresuid could not be called", t);
        }
    }

    private static int[] getres(String name, MethodHandle call) throws Failure {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Posix.CALL_STATE);
            MemorySegment ids = arena.allocate(ValueLayout.JAVA_INT, 3);
            int rc = (int) call.invokeExact(state, ids, ids.asSlice(4), ids.asSlice(8));
            check(rc, state, name);
            return ids.toArray(ValueLayout.JAVA_INT);
        } catch (Failure | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(name + " could not be called", t);
        }
    }

    private static void check(int rc, MemorySegment state, String what) throws Failure {
        if (rc != 0) {
            int errno = Posix.errno(state);
            throw new Failure(what + " failed: " + Posix.strerror(errno) + " (errno " + errno + ")",
                    Posix.strerror(errno));
        }
    }

    /** A refused call; {@link #reason} is the bare {@code strerror} text rsync's daemon logs. */
    public static final class Failure extends IOException {
        private final String reason;

        Failure(String message, String reason) {
            super(message);
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }
}
