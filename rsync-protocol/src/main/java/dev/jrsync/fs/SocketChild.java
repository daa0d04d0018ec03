package dev.jrsync.fs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A shell command whose stdin and stdout are one end of a socket, the other end this object's streams
 * ({@code rsync/socket.c:sock_exec}, which rsync runs for {@code RSYNC_CONNECT_PROG}). A daemon started that way
 * sees a socket on stdin and serves one session over it (inetd mode). As rsync's {@code socketpair_tcp} does,
 * the pair is a TCP connection on 127.0.0.1, so the daemon sees a client at localhost (which its {@code hosts
 * allow} can name); the one connection accepted must come from the child's own socket. The JDK starts
 * processes with pipes only, so the child is spawned here with {@code posix_spawn}, and this side's end is an
 * ordinary {@link SocketChannel} that blocks the way Java I/O does.
 */
public final class SocketChild implements AutoCloseable {
    private static final int AF_INET = 2;
    private static final int SOCK_STREAM = 1;
    private static final int SOCK_CLOEXEC = 02000000;
    /** {@code struct sockaddr_in}: family, port (network order), address, padding. */
    private static final int SOCKADDR_IN = 16;
    /** {@code posix_spawn_file_actions_t} is 80 bytes in glibc; room to spare. */
    private static final long FILE_ACTIONS_SIZE = 256;

    private static final class Socket {
        static final MethodHandle CALL = Posix.downcall("socket", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    }

    private static final class Connect {
        static final MethodHandle CALL = Posix.downcall("connect", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    }

    private static final class Getsockname {
        static final MethodHandle CALL = Posix.downcall("getsockname", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    }

    /** The posix_spawn family returns its error number instead of setting errno. */
    private static final class Spawn {
        static final MethodHandle INIT = plain("posix_spawn_file_actions_init",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
        static final MethodHandle DUP2 = plain("posix_spawn_file_actions_adddup2",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT));
        /** glibc 2.34+: closes every descriptor from the given one up in the child. */
        static final MethodHandle CLOSEFROM = plain("posix_spawn_file_actions_addclosefrom_np",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        static final MethodHandle DESTROY = plain("posix_spawn_file_actions_destroy",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
        static final MethodHandle SPAWN = plain("posix_spawn", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                ValueLayout.ADDRESS));
        static final MethodHandle WAITPID = plain("waitpid", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));

        private static MethodHandle plain(String name, FunctionDescriptor fd) {
            return Posix.LINKER.downcallHandle(Posix.LINKER.defaultLookup().findOrThrow(name), fd);
        }
    }

    private final SocketChannel channel;
    private final int pid;
    private final InputStream input;
    private final OutputStream output;

    private SocketChild(SocketChannel channel, int pid) {
        this.channel = channel;
        this.pid = pid;
        this.input = Channels.newInputStream(channel);
        this.output = Channels.newOutputStream(channel);
    }

    /** Starts {@code /bin/sh -c command} with this process's environment and stderr. */
    public static SocketChild start(String command) throws IOException {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
            int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
            int childEnd = connectedSocket(port);
            try {
                int childPort = localPort(childEnd);
                SocketChannel mine = listener.accept();
                if (((InetSocketAddress) mine.getRemoteAddress()).getPort() != childPort) {
                    mine.close(); // someone else reached the port first: not our child's socket
                    throw new IOException("a stranger connected to the socket meant for " + command);
                }
                return new SocketChild(mine, spawn(command, childEnd));
            } finally {
                Posix.close(childEnd);
            }
        }
    }

    public InputStream input() {
        return input;
    }

    public OutputStream output() {
        return output;
    }

    /**
     * Closes this end, so the program sees the end of its input, and reaps it on a thread of its own when it
     * exits (a program that never does stays a child of this process until it exits).
     */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // already closed by the peer
        }
        Thread.ofPlatform().daemon().name("jrsync-reap-" + pid).start(() -> {
            try (Arena arena = Arena.ofConfined()) {
                int unused = (int) Spawn.WAITPID.invokeExact(pid, arena.allocate(ValueLayout.JAVA_INT), 0);
            } catch (Throwable t) {
                // nothing to do: the child stays a zombie until this process exits
            }
        });
    }

    private static int connectedSocket(int port) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Posix.CALL_STATE);
            int fd = (int) Socket.CALL.invokeExact(state, AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw Posix.failure("socket", Posix.errno(state), "127.0.0.1");
            }
            MemorySegment addr = arena.allocate(SOCKADDR_IN);
            addr.set(ValueLayout.JAVA_SHORT, 0, (short) AF_INET);
            addr.set(ValueLayout.JAVA_BYTE, 2, (byte) (port >> 8));
            addr.set(ValueLayout.JAVA_BYTE, 3, (byte) port);
            byte[] loopback = InetAddress.getLoopbackAddress().getAddress();
            MemorySegment.copy(loopback, 0, addr, ValueLayout.JAVA_BYTE, 4, loopback.length);
            int rc = (int) Connect.CALL.invokeExact(state, fd, addr, SOCKADDR_IN);
            if (rc != 0) {
                int errno = Posix.errno(state);
                Posix.close(fd);
                throw Posix.failure("connect", errno, "127.0.0.1:" + port);
            }
            return fd;
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("socket could not be called", t);
        }
    }

    private static int localPort(int fd) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Posix.CALL_STATE);
            MemorySegment addr = arena.allocate(SOCKADDR_IN);
            MemorySegment len = arena.allocate(ValueLayout.JAVA_INT);
            len.set(ValueLayout.JAVA_INT, 0, SOCKADDR_IN);
            int rc = (int) Getsockname.CALL.invokeExact(state, fd, addr, len);
            if (rc != 0) {
                throw Posix.failure("getsockname", Posix.errno(state), "127.0.0.1");
            }
            return (addr.get(ValueLayout.JAVA_BYTE, 2) & 0xFF) << 8 | addr.get(ValueLayout.JAVA_BYTE, 3) & 0xFF;
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("getsockname could not be called", t);
        }
    }

    private static int spawn(String command, int socket) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment actions = arena.allocate(FILE_ACTIONS_SIZE, 16);
            check((int) Spawn.INIT.invokeExact(actions), "posix_spawn_file_actions_init", command);
            try {
                check((int) Spawn.DUP2.invokeExact(actions, socket, 0), "posix_spawn_file_actions_adddup2", command);
                check((int) Spawn.DUP2.invokeExact(actions, socket, 1), "posix_spawn_file_actions_adddup2", command);
                // The JVM opens most descriptors without close-on-exec: a child holding this side's end of the
                // connection would never see it close, and a daemon child would wait for good.
                check((int) Spawn.CLOSEFROM.invokeExact(actions, 3), "posix_spawn_file_actions_addclosefrom_np",
                        command);
                MemorySegment argv = strings(arena, List.of("/bin/sh", "-c", command));
                List<String> env = new ArrayList<>();
                for (Map.Entry<String, String> e : System.getenv().entrySet()) {
                    env.add(e.getKey() + "=" + e.getValue());
                }
                MemorySegment pid = arena.allocate(ValueLayout.JAVA_INT);
                int rc = (int) Spawn.SPAWN.invokeExact(pid, Posix.cString(arena, "/bin/sh".getBytes(StandardCharsets.UTF_8)),
                        actions, MemorySegment.NULL, argv, strings(arena, env));
                check(rc, "posix_spawn", command);
                return pid.get(ValueLayout.JAVA_INT, 0);
            } finally {
                int unused = (int) Spawn.DESTROY.invokeExact(actions);
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("posix_spawn could not be called", t);
        }
    }

    /** A NULL-terminated array of C strings. */
    private static MemorySegment strings(Arena arena, List<String> values) {
        MemorySegment array = arena.allocate(ValueLayout.ADDRESS, values.size() + 1L);
        for (int i = 0; i < values.size(); i++) {
            array.setAtIndex(ValueLayout.ADDRESS, i, Posix.cString(arena, values.get(i).getBytes(StandardCharsets.UTF_8)));
        }
        array.setAtIndex(ValueLayout.ADDRESS, values.size(), MemorySegment.NULL);
        return array;
    }

    private static void check(int error, String call, String command) throws IOException {
        if (error != 0) {
            throw Posix.failure(call, error, command);
        }
    }
}
