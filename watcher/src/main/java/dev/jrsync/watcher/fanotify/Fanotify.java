package dev.jrsync.watcher.fanotify;

import dev.jrsync.core.PathBytes;
import dev.jrsync.fs.Posix;
import dev.jrsync.watcher.inotify.ErrnoException;
import dev.jrsync.watcher.inotify.KernelQueue;
import dev.jrsync.watcher.inotify.Libc;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.List;

/**
 * One fanotify group with one filesystem mark (fanotify_init with FAN_REPORT_DFID_NAME, fanotify_mark with
 * FAN_MARK_FILESYSTEM): every change on the watched directory's filesystem is reported, named by its directory's
 * file handle, without a watch per directory. Handles are turned back into paths with open_by_handle_at(2) on a
 * descriptor of the watched directory. Needs CAP_SYS_ADMIN (and CAP_DAC_READ_SEARCH for the handles).
 */
public final class Fanotify implements AutoCloseable {
    /** What a mirror needs, as inotify's mask: writes, content complete, metadata, namespace changes, dirs too. */
    private static final long MASK = FanotifyMask.MODIFY | FanotifyMask.CLOSE_WRITE | FanotifyMask.ATTRIB
            | FanotifyMask.CREATE | FanotifyMask.DELETE | FanotifyMask.RENAME | FanotifyMask.ONDIR;
    private static final int AT_FDCWD = -100;
    private static final int O_RDONLY = 0;
    private static final int O_PATH = 010000000;
    private static final int O_CLOEXEC = 02000000;
    /** A whole filesystem's events arrive here: room for several hundred per read. */
    private static final int BUFFER_BYTES = 256 * 1024;

    private final KernelQueue queue;
    private final int mountFd;

    private Fanotify(int fd, int mountFd) {
        this.queue = new KernelQueue(fd, BUFFER_BYTES, "the fanotify descriptor");
        this.mountFd = mountFd;
    }

    /**
     * Marks the filesystem holding {@code root}.
     *
     * @throws ErrnoException EPERM without CAP_SYS_ADMIN, EINVAL or ENOSYS on a kernel without FAN_REPORT_DFID_NAME
     *                        or FAN_RENAME (before 5.17), ENODEV/EXDEV on filesystems that cannot report handles
     */
    public static Fanotify open(Path root) throws ErrnoException {
        byte[] path = PathBytes.bytes(root.toString());
        int fd;
        try (Arena call = Arena.ofConfined()) {
            MemorySegment state = Libc.callState(call);
            fd = (int) Libc.FANOTIFY_INIT.invokeExact(state, FanotifyMask.CLASS_NOTIF | FanotifyMask.CLOEXEC
                    | FanotifyMask.NONBLOCK | FanotifyMask.REPORT_DFID_NAME, O_RDONLY);
            if (fd < 0) {
                throw new ErrnoException("fanotify_init", Libc.errno(state), null);
            }
            MemorySegment name = Posix.cString(call, path);
            int rc = (int) Libc.FANOTIFY_MARK.invokeExact(state, fd, FanotifyMask.MARK_ADD
                    | FanotifyMask.MARK_FILESYSTEM, MASK, AT_FDCWD, name);
            if (rc < 0) {
                int errno = Libc.errno(state);
                Posix.close(fd);
                throw new ErrnoException("fanotify_mark", errno, root.toString());
            }
            // A path descriptor will not do: open_by_handle_at wants a descriptor it can read through.
            int mountFd = (int) Libc.OPEN.invokeExact(state, name, O_RDONLY | O_CLOEXEC, 0);
            if (mountFd < 0) {
                int errno = Libc.errno(state);
                Posix.close(fd);
                throw new ErrnoException("open", errno, root.toString());
            }
            return new Fanotify(fd, mountFd);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("fanotify downcall failed", t);
        }
    }

    /** Waits up to {@code timeoutMillis} for events; empty on timeout or after {@link #close()}. */
    public List<FanotifyEvent> read(int timeoutMillis) throws ErrnoException {
        return queue.read(timeoutMillis, FanotifyEventDecoder::decode);
    }

    /**
     * The directory's current path, or null when it is gone (ESTALE) or cannot be opened. A directory's path is
     * always known to the kernel (it reconnects directory handles to the root), unlike a file's.
     */
    public String path(FileHandle dir) {
        byte[] bytes = dir.bytes();
        int fd;
        try (Arena call = Arena.ofConfined()) {
            MemorySegment handle = call.allocate(8L + bytes.length, 4);
            handle.set(ValueLayout.JAVA_INT, 0, bytes.length);
            handle.set(ValueLayout.JAVA_INT, 4, dir.type());
            MemorySegment.copy(bytes, 0, handle, ValueLayout.JAVA_BYTE, 8, bytes.length);
            fd = (int) Libc.OPEN_BY_HANDLE_AT.invokeExact(Libc.callState(call), mountFd, handle, O_PATH | O_CLOEXEC);
        } catch (Throwable t) {
            throw new IllegalStateException("open_by_handle_at downcall failed", t);
        }
        if (fd < 0) {
            return null;
        }
        try {
            String p = PathBytes.text(Posix.readlink(Posix.fdPath(fd)));
            return p.endsWith(" (deleted)") ? null : p;
        } catch (IOException e) {
            return null;
        } finally {
            Posix.close(fd);
        }
    }

    @Override
    public void close() {
        queue.close();
        Posix.close(mountFd);
    }
}
