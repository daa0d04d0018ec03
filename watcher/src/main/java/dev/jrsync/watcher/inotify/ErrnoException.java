package dev.jrsync.watcher.inotify;

import java.io.IOException;

/** A failed system call: the call, the errno it set and the path involved, with strerror's text. */
public final class ErrnoException extends IOException {
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EACCES = 13;
    public static final int ENOTDIR = 20;
    public static final int EMFILE = 24;
    public static final int ENOSPC = 28;
    public static final int EAGAIN = 11;
    public static final int ELOOP = 40;

    private final int errno;

    public ErrnoException(String call, int errno, String detail) {
        super(call + (detail == null ? "" : " " + detail) + ": " + Libc.strerror(errno));
        this.errno = errno;
    }

    /** strerror's text alone, as inotifywait prints after a path. */
    public String reason() {
        return Libc.strerror(errno);
    }

    public int errno() {
        return errno;
    }
}
