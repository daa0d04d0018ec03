package dev.jrsync.watcher.inotify;

import dev.jrsync.core.PathBytes;
import dev.jrsync.fs.Posix;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * One inotify instance through the foreign function API. The descriptor is non-blocking and read with poll(2) and a
 * timeout, so a reader thread notices {@link #close()} within one timeout instead of hanging in read(2).
 * Methods other than {@link #close()} are meant for a single reader thread; add and remove may come from any thread.
 */
public final class Inotify implements AutoCloseable, WatchBackend {
    private static final int IN_NONBLOCK = 04000;
    private static final int IN_CLOEXEC = 02000000;
    private static final short POLLIN = 0x1;
    /** Room for at least 256 events with full-length names, so one read drains a busy queue. */
    private static final int BUFFER_BYTES = 256 * (EventDecoder.HEADER_BYTES + 256);

    private final int fd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment buffer = arena.allocate(BUFFER_BYTES, 8);
    private final MemorySegment pollFd = arena.allocate(8, 4);
    private volatile boolean closed;

    private Inotify(int fd) {
        this.fd = fd;
    }

    /**
     * Opens a new instance.
     *
     * @throws ErrnoException with {@code EMFILE} when fs.inotify.max_user_instances is reached
     */
    public static Inotify open() throws ErrnoException {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment state = Libc.callState(call);
            int fd = (int) Libc.INOTIFY_INIT1.invokeExact(state, IN_NONBLOCK | IN_CLOEXEC);
            if (fd < 0) {
                throw new ErrnoException("inotify_init1", Libc.errno(state), null);
            }
            return new Inotify(fd);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("inotify_init1 downcall failed", t);
        }
    }

    @Override
    public int addWatch(String path, int mask) throws ErrnoException {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment state = Libc.callState(call);
            MemorySegment name = Posix.cString(call, PathBytes.bytes(path));
            int wd = (int) Libc.INOTIFY_ADD_WATCH.invokeExact(state, fd, name, mask);
            if (wd < 0) {
                throw new ErrnoException("inotify_add_watch", Libc.errno(state), path);
            }
            return wd;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("inotify_add_watch downcall failed", t);
        }
    }

    @Override
    public void removeWatch(int wd) {
        try (Arena call = Arena.ofConfined()) {
            // EINVAL here means the kernel already dropped the watch (its directory is gone): nothing to undo.
            int rc = (int) Libc.INOTIFY_RM_WATCH.invokeExact(Libc.callState(call), fd, wd);
        } catch (Throwable t) {
            throw new IllegalStateException("inotify_rm_watch downcall failed", t);
        }
    }

    /**
     * Waits up to {@code timeoutMillis} for events and returns what one read(2) brings; empty on timeout or
     * after {@link #close()}.
     */
    public List<InotifyEvent> read(int timeoutMillis) throws ErrnoException {
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
                throw new ErrnoException("poll", errno, "on the inotify descriptor");
            }
            if (ready == 0) {
                return List.of();
            }
            synchronized (this) {
                if (closed) {
                    return List.of();
                }
                long n = (long) Libc.READ.invokeExact(state, fd, buffer, (long) BUFFER_BYTES);
                if (n < 0) {
                    int errno = Libc.errno(state);
                    if (errno == ErrnoException.EAGAIN || errno == ErrnoException.EINTR) {
                        return List.of();
                    }
                    throw new ErrnoException("read", errno, "from the inotify descriptor");
                }
                ByteBuffer bytes = buffer.asSlice(0, n).asByteBuffer();
                return EventDecoder.decode(bytes);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("inotify read downcall failed", t);
        }
    }

    /** Closes the descriptor (the kernel drops every watch); a concurrent {@link #read} returns empty. */
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
