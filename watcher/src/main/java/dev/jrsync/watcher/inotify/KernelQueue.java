package dev.jrsync.watcher.inotify;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Function;

/**
 * A non-blocking notification descriptor (inotify's or fanotify's) read with poll(2) and a timeout, so a reader
 * thread notices {@link #close()} within one timeout instead of hanging in read(2). One reader thread reads;
 * close may come from any thread.
 */
public final class KernelQueue implements AutoCloseable {
    private static final short POLLIN = 0x1;

    private final int fd;
    private final String what;
    private final int bufferBytes;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment buffer;
    private final MemorySegment pollFd = arena.allocate(8, 4);
    private volatile boolean closed;

    /** @param what how errors name the descriptor, e.g. "the inotify descriptor" */
    public KernelQueue(int fd, int bufferBytes, String what) {
        this.fd = fd;
        this.what = what;
        this.bufferBytes = bufferBytes;
        this.buffer = arena.allocate(bufferBytes, 8);
    }

    public int fd() {
        return fd;
    }

    /**
     * Waits up to {@code timeoutMillis} for events and decodes what one read(2) brings (the bytes are valid only
     * during the call); empty on timeout or after {@link #close()}.
     */
    public <T> List<T> read(int timeoutMillis, Function<ByteBuffer, List<T>> decoder) throws ErrnoException {
        if (closed) {
            return List.of();
        }
        try (Arena call = Arena.ofConfined()) {
            MemorySegment state = Libc.callState(call);
            synchronized (this) {
                if (closed) {
                    return List.of();
                }
                pollFd.set(ValueLayout.JAVA_INT, 0, fd);
                pollFd.set(ValueLayout.JAVA_SHORT, 4, POLLIN);
                pollFd.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
            }
            int ready = (int) Libc.POLL.invokeExact(state, pollFd, 1L, timeoutMillis);
            if (ready < 0) {
                int errno = Libc.errno(state);
                if (errno == ErrnoException.EINTR) {
                    return List.of();
                }
                throw new ErrnoException("poll", errno, "on " + what);
            }
            if (ready == 0) {
                return List.of();
            }
            synchronized (this) {
                if (closed) {
                    return List.of();
                }
                long n = (long) Libc.READ.invokeExact(state, fd, buffer, (long) bufferBytes);
                if (n < 0) {
                    int errno = Libc.errno(state);
                    if (errno == ErrnoException.EAGAIN || errno == ErrnoException.EINTR) {
                        return List.of();
                    }
                    throw new ErrnoException("read", errno, "from " + what);
                }
                return decoder.apply(buffer.asSlice(0, n).asByteBuffer());
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("read downcall on " + what + " failed", t);
        }
    }

    /** Closes the descriptor (the kernel drops its watches or marks); a concurrent {@link #read} returns empty. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            int rc = (int) Libc.CLOSE.invokeExact(Libc.callState(arena), fd);
        } catch (Throwable t) {
            throw new IllegalStateException("close downcall failed", t);
        } finally {
            arena.close();
        }
    }
}
