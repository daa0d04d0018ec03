package dev.jrsync.fs;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

/**
 * systemd's readiness protocol ({@code sd_notify(3)}): one datagram of "KEY=VALUE" lines to the AF_UNIX socket that
 * {@code $NOTIFY_SOCKET} names, "@" at its start meaning the abstract namespace. The JDK's Unix-domain channels are
 * stream sockets only, and systemd's socket takes datagrams, so the datagram goes through socket(2) and sendto(2);
 * jrsync links no libsystemd.
 */
public final class SystemdNotify {
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int MSG_NOSIGNAL = 0x4000;
    /** sizeof(struct sockaddr_un): a 2-byte family and 108 bytes of path. */
    private static final int SOCKADDR_UN = 110;

    private static final class Socket {
        static final MethodHandle CALL = Posix.downcall("socket", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    }

    private static final class SendTo {
        static final MethodHandle CALL = Posix.downcall("sendto", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    }

    private SystemdNotify() {}

    /**
     * Sends {@code state} ("READY=1", "RELOADING=1\nMONOTONIC_USEC=…", "STOPPING=1", "STATUS=…") when the process
     * runs under systemd with {@code Type=notify}; does nothing when {@code socket} is null or empty.
     *
     * @param socket {@code $NOTIFY_SOCKET}
     * @throws IOException when the socket cannot be reached
     */
    public static void send(String socket, String state) throws IOException {
        if (socket == null || socket.isEmpty()) {
            return;
        }
        byte[] path = socket.getBytes(StandardCharsets.UTF_8);
        boolean abstractName = path[0] == '@';
        if (path.length > SOCKADDR_UN - 2 - (abstractName ? 0 : 1)) {
            throw new IOException("NOTIFY_SOCKET is too long for a socket address: " + socket);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment callState = arena.allocate(Posix.CALL_STATE);
            int fd = (int) Socket.CALL.invokeExact(callState, AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw Posix.failure("socket", Posix.errno(callState), socket);
            }
            try {
                MemorySegment addr = arena.allocate(SOCKADDR_UN, 2);
                addr.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
                MemorySegment.copy(path, 0, addr, ValueLayout.JAVA_BYTE, 2, path.length);
                if (abstractName) {
                    addr.set(ValueLayout.JAVA_BYTE, 2, (byte) 0); // the abstract namespace: no NUL at the end
                }
                int addrLen = 2 + path.length + (abstractName ? 0 : 1);
                byte[] text = state.getBytes(StandardCharsets.UTF_8);
                MemorySegment msg = arena.allocateFrom(ValueLayout.JAVA_BYTE, text);
                long sent = (long) SendTo.CALL.invokeExact(callState, fd, msg, (long) text.length, MSG_NOSIGNAL, addr,
                        addrLen);
                if (sent < 0) {
                    throw Posix.failure("sendto", Posix.errno(callState), socket);
                }
            } finally {
                Posix.close(fd);
            }
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("socket or sendto could not be called", t);
        }
    }
}
