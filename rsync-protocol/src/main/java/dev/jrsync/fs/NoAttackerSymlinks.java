// rsync/syscall.c:open_no_attacker_symlinks
package dev.jrsync.fs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * Reads a file an administrator named (a daemon's {@code secrets file} or {@code motd file}, a client's
 * {@code --password-file}) without following a symlink someone else planted on the way: the path is walked
 * one component at a time from a pinned directory descriptor, a symlink is followed only when root or this
 * process owns it, and the file itself is opened {@code O_NOFOLLOW}. Its owner and mode are those of the
 * descriptor actually read, so a check on them cannot be steered to another file between check and read.
 */
public final class NoAttackerSymlinks {
    private NoAttackerSymlinks() {}

    /** A file's bytes and the owner and permission bits of the very file they came from. */
    public record Contents(byte[] bytes, int uid, int mode) {
        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** rsync stops a symlink chain after this many expansions (its SYMLOOP_MAX stand-in). */
    static final int MAX_SYMLINKS = 40;
    private static final int O_RDONLY = 0;
    private static final int O_NONBLOCK = 04000;
    private static final String FD_DIR = "/proc/self/fd/";

    /**
     * Reads at most {@code maxBytes} of {@code path}. Failures name {@code path} as given, never the
     * descriptor paths used to reach it.
     */
    public static Contents read(Path path, int maxBytes) throws IOException {
        String display = path.toString();
        int trusted = ourUid();
        Deque<String> remaining = new ArrayDeque<>();
        push(remaining, display);
        int dir = Posix.open(Path.of(display.startsWith("/") ? "/" : "."),
                Posix.O_PATH | Posix.O_DIRECTORY | Posix.O_CLOEXEC);
        try {
            int expansions = 0;
            while (true) {
                String comp = remaining.pollFirst();
                if (comp == null) {
                    throw new FileSystemException(display, null, "Is a directory (21)");
                }
                Path at = Posix.below(dir, comp);
                LocalStat st = Posix.lstatOrNull(at);
                if (st == null) {
                    throw new NoSuchFileException(display);
                }
                if (st.isSymlink()) {
                    if (st.uid() != 0 && st.uid() != trusted) {
                        throw new FileSystemException(display, null, "refusing to follow a symlink owned by uid "
                                + st.uid() + " (\"" + comp + "\")");
                    }
                    if (++expansions > MAX_SYMLINKS) {
                        throw new FileSystemException(display, null, "Too many levels of symbolic links (40)");
                    }
                    String target = new String(Posix.readlink(at), StandardCharsets.UTF_8);
                    push(remaining, target);
                    if (target.startsWith("/")) {
                        dir = reopen(dir, Path.of("/"), display);
                    }
                } else if (remaining.isEmpty()) {
                    if (!st.isRegular()) {
                        throw new FileSystemException(display, null, "not a regular file");
                    }
                    return readLeaf(at, maxBytes, display);
                } else if (st.isDirectory()) {
                    dir = reopen(dir, at, display);
                } else {
                    throw new FileSystemException(display, null, "Not a directory (20)");
                }
            }
        } finally {
            Posix.close(dir);
        }
    }

    /** Puts the components of {@code path} in front of what is still to be walked. */
    private static void push(Deque<String> remaining, String path) {
        String[] parts = path.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
            if (!parts[i].isEmpty() && !parts[i].equals(".")) {
                remaining.addFirst(parts[i]);
            }
        }
    }

    private static int reopen(int dir, Path next, String display) throws IOException {
        int fd;
        try {
            fd = Posix.open(next, Posix.O_PATH | Posix.O_DIRECTORY | Posix.O_NOFOLLOW | Posix.O_CLOEXEC);
        } catch (IOException e) {
            throw renamed(e, display);
        }
        Posix.close(dir);
        return fd;
    }

    private static Contents readLeaf(Path at, int maxBytes, String display) throws IOException {
        int fd;
        try {
            fd = Posix.open(at, O_RDONLY | O_NONBLOCK | Posix.O_NOFOLLOW | Posix.O_CLOEXEC);
        } catch (IOException e) {
            throw renamed(e, display);
        }
        try {
            // The descriptor's own /proc entry reaches the opened file itself, whatever its name now points to.
            Path self = Path.of(FD_DIR + fd);
            Map<String, Object> attrs = Files.readAttributes(self, "unix:uid,mode");
            byte[] bytes;
            try (InputStream in = Files.newInputStream(self)) {
                bytes = in.readNBytes(maxBytes);
            }
            return new Contents(bytes, (Integer) attrs.get("uid"), (Integer) attrs.get("mode") & 07777);
        } catch (IOException e) {
            throw renamed(e, display);
        } finally {
            Posix.close(fd);
        }
    }

    private static IOException renamed(IOException e, String display) {
        return new FileSystemException(display, null, IoErrors.describe(e));
    }

    /** The effective uid of the calling thread: Linux credentials are per thread. */
    private static int ourUid() throws IOException {
        return (Integer) Files.getAttribute(Path.of("/proc/thread-self"), "unix:uid");
    }
}
