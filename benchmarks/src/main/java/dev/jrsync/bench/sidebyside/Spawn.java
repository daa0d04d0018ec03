package dev.jrsync.bench.sidebyside;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One measured command, started with posix_spawnp(3) and reaped with wait4(2). The rusage wait4 returns is what
 * {@link Process} cannot give: the CPU time of the command and of every descendant it waited for (rsync's
 * generator, receiver and sender processes, the JVM's threads), to the microsecond. The JDK's own reaper only
 * waits for the processes it started, so it never takes these.
 */
final class Spawn {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO_OF = CALL_STATE.varHandle(
            java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle POSIX_SPAWNP = call("posix_spawnp",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle ACTIONS_INIT = call("posix_spawn_file_actions_init",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle ACTIONS_ADDOPEN = call("posix_spawn_file_actions_addopen",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle ACTIONS_ADDDUP2 = call("posix_spawn_file_actions_adddup2",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle ACTIONS_DESTROY = call("posix_spawn_file_actions_destroy",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle WAIT4 = LINKER.downcallHandle(
            LINKER.defaultLookup().find("wait4").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS), ERRNO);
    // Linux's values on x86-64 and aarch64 alike.
    private static final int O_RDONLY = 0;
    private static final int O_WRONLY_CREAT_TRUNC = 1 | 0100 | 01000;
    private static final int EINTR = 4;
    /** posix_spawn_file_actions_t is 80 bytes in glibc and smaller in musl: room to spare. */
    private static final long FILE_ACTIONS_BYTES = 256;
    /** struct rusage: two timevals (seconds, microseconds) for user and system time, then 14 longs. */
    private static final long RUSAGE_BYTES = 18 * Long.BYTES;

    /** How a command ended, with the user + system CPU time of its rusage. */
    record Exit(int status, long cpuMicros) {
        /** The exit code, or 128 + the signal that killed it, as a shell reports it. */
        int code() {
            return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);
        }
    }

    private final int pid;

    private Spawn(int pid) {
        this.pid = pid;
    }

    /** Starts {@code command} (searched on PATH) with stdin from /dev/null and stdout and stderr into {@code log}. */
    static Spawn start(List<String> command, Path log) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment actions = arena.allocate(FILE_ACTIONS_BYTES, 16);
            check("posix_spawn_file_actions_init", (int) ACTIONS_INIT.invokeExact(actions));
            try {
                check("addopen", (int) ACTIONS_ADDOPEN.invokeExact(actions, 0, arena.allocateFrom("/dev/null"),
                        O_RDONLY, 0));
                check("addopen", (int) ACTIONS_ADDOPEN.invokeExact(actions, 1, arena.allocateFrom(log.toString()),
                        O_WRONLY_CREAT_TRUNC, 0644));
                check("adddup2", (int) ACTIONS_ADDDUP2.invokeExact(actions, 1, 2));
                MemorySegment pid = arena.allocate(JAVA_INT);
                int rc = (int) POSIX_SPAWNP.invokeExact(pid, arena.allocateFrom(command.getFirst()), actions,
                        MemorySegment.NULL, strings(arena, command), strings(arena, environment()));
                if (rc != 0) {
                    throw new IOException("cannot start " + command.getFirst() + ": errno " + rc);
                }
                return new Spawn(pid.get(JAVA_INT, 0));
            } finally {
                int ignored = (int) ACTIONS_DESTROY.invokeExact(actions);
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    long pid() {
        return pid;
    }

    /** Waits for the command to end and reaps it: its exit and rusage. */
    Exit waitFor() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment status = arena.allocate(JAVA_INT);
            MemorySegment usage = arena.allocate(RUSAGE_BYTES, 8);
            MemorySegment state = arena.allocate(CALL_STATE);
            for (int attempt = 0; attempt < 100; attempt++) {
                int rc = (int) WAIT4.invokeExact(state, pid, status, 0, usage);
                if (rc == pid) {
                    long cpu = usage.get(JAVA_LONG, 0) * 1_000_000 + usage.get(JAVA_LONG, 8)
                            + usage.get(JAVA_LONG, 16) * 1_000_000 + usage.get(JAVA_LONG, 24);
                    return new Exit(status.get(JAVA_INT, 0), cpu);
                }
                int errno = (int) ERRNO_OF.get(state, 0L);
                if (errno != EINTR) {
                    throw new IOException("wait4(" + pid + ") failed: errno " + errno);
                }
            }
            throw new IOException("wait4(" + pid + ") interrupted 100 times");
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Kills the command and whatever it started; {@link #waitFor()} then reaps it. */
    void kill() {
        ProcessHandle.of(pid).ifPresent(h -> {
            h.descendants().forEach(ProcessHandle::destroyForcibly);
            h.destroyForcibly();
        });
    }

    private static List<String> environment() {
        List<String> env = new ArrayList<>();
        for (Map.Entry<String, String> e : System.getenv().entrySet()) {
            env.add(e.getKey() + "=" + e.getValue());
        }
        return env;
    }

    /** A NULL-terminated char *[] of {@code values}, as execve takes argv and envp. */
    private static MemorySegment strings(Arena arena, List<String> values) {
        MemorySegment array = arena.allocate(ADDRESS, values.size() + 1L);
        for (int i = 0; i < values.size(); i++) {
            array.setAtIndex(ADDRESS, i, arena.allocateFrom(values.get(i)));
        }
        array.setAtIndex(ADDRESS, values.size(), MemorySegment.NULL);
        return array;
    }

    private static void check(String what, int rc) throws IOException {
        if (rc != 0) {
            throw new IOException(what + " failed: errno " + rc);
        }
    }

    private static MethodHandle call(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor);
    }
}
