package dev.jrsync.watcher.inotify;

import dev.jrsync.core.PathBytes;
import dev.jrsync.fs.Posix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * One inotify instance through the foreign function API (inotify_init1, inotify_add_watch), read as a
 * {@link KernelQueue}. Methods other than {@link #close()} are meant for a single reader thread; add and remove may
 * come from any thread.
 */
public final class Inotify implements AutoCloseable, WatchBackend {
    private static final int IN_NONBLOCK = 04000;
    private static final int IN_CLOEXEC = 02000000;
    /** Room for at least 256 events with full-length names, so one read drains a busy queue. */
    private static final int BUFFER_BYTES = 256 * (EventDecoder.HEADER_BYTES + 256);

    private final int fd;
    private final KernelQueue queue;

    private Inotify(int fd) {
        this.fd = fd;
        this.queue = new KernelQueue(fd, BUFFER_BYTES, "the inotify descriptor");
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
        return queue.read(timeoutMillis, EventDecoder::decode);
    }

    /** Closes the descriptor (the kernel drops every watch); a concurrent {@link #read} returns empty. */
    @Override
    public void close() {
        queue.close();
    }
}
