package dev.jrsync.fs;

import dev.jrsync.core.PathBytes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Pattern;

/**
 * Opens a path the user gave an option ({@code --password-file}, {@code --exclude-from} and merge files,
 * {@code --backup-dir}, {@code --temp-dir}, {@code --compare-dest} and its kin) the way rsync 3.5 does: one
 * component at a time from a held directory descriptor, following a symlink only when root or this user
 * owns it. Anyone else's symlink, at the leaf or at any parent, is refused with rsync's {@code ELOOP}: a
 * symlink planted in a world-writable directory (or swapped in while rsync runs) can then neither make
 * root read {@code /etc/shadow} as a password nor write backups and temp files outside the tree. The
 * user's own symlinks (root's {@code /var/log -> /data/log}) keep working.
 *
 * <p>The result is an {@code O_PATH} descriptor of exactly what was checked; {@link #pinned} names it for
 * the JDK, and {@link Posix#below} names what lies beneath it.
 */
// rsync/syscall.c:open_no_attacker_symlinks (ona_open) and owner_walk_parent
public final class OperatorPath {
    private OperatorPath() {}

    private static final int ELOOP = 40;
    private static final int EISDIR = 21;
    private static final int ENOTDIR = 20;
    /** The kernel's own limit on symlinks followed in one lookup. */
    private static final int MAX_FOLLOWS = 40;
    private static final int DIR_FLAGS = Posix.O_PATH | Posix.O_DIRECTORY | Posix.O_NOFOLLOW | Posix.O_CLOEXEC;
    /** The directories whose entries are a process's descriptors, as a walk from "/" spells them. */
    private static final Pattern FD_DIR = Pattern.compile("/proc/[0-9]+(/task/[0-9]+)?/fd");
    private static final Pattern FD_NUMBER = Pattern.compile("[0-9]+");

    /**
     * A file (not a directory) at {@code path}, relative to {@code anchor} unless absolute; with {@code
     * insecureLinks} ({@code --insecure-links}) a symlink is followed whoever owns it, as rsync did before 3.5.
     */
    public static int openFile(Path anchor, String path, boolean insecureLinks) throws IOException {
        return file(anchor, path, false, insecureLinks);
    }

    /**
     * As {@link #openFile}, making the file (empty, mode 0666 less the umask) when it is missing: beneath its
     * directory, or where a symlink that may be followed leads, as an {@code O_CREAT} open through it would.
     */
    public static int createFile(Path anchor, String path, boolean insecureLinks) throws IOException {
        return file(anchor, path, true, insecureLinks);
    }

    private static int file(Path anchor, String path, boolean create, boolean insecureLinks) throws IOException {
        int fd = walk(anchor, path, false, create, insecureLinks);
        LocalStat st;
        try {
            st = Posix.fstat(fd);
        } catch (IOException e) {
            Posix.close(fd);
            throw e;
        }
        if (st.isDirectory() || st.isSymlink()) {
            Posix.close(fd);
            // a symlink here was swapped in after its name was checked
            throw new FileSystemException(path, null, st.isDirectory() ? errno(EISDIR) : errno(ELOOP));
        }
        return fd;
    }

    /**
     * The directory at {@code path}, relative to {@code anchor} unless absolute; with {@code create} the
     * missing components are made (mode 0777 less the umask), each beneath the one before.
     */
    public static int openDirectory(Path anchor, String path, boolean create, boolean insecureLinks)
            throws IOException {
        return walk(anchor, path, true, create, insecureLinks);
    }

    /** The JDK's name for descriptor {@code fd}: the kernel reopens exactly that file, whatever its name now is. */
    public static Path pinned(int fd) {
        return Path.of("/proc/self/fd/" + fd);
    }

    private static int walk(Path anchor, String path, boolean wantDir, boolean create, boolean insecureLinks)
            throws IOException {
        if (path.isEmpty()) {
            throw new NoSuchFileException(path);
        }
        int trusted = Posix.geteuid();
        Deque<String> rest = new ArrayDeque<>();
        pushFront(rest, path);
        int fd = openStart(path.startsWith("/") ? "/" : anchor.toString());
        // the path fd stands for, while the walk knows it from "/": only to spot a /proc/PID/fd entry
        StringBuilder walked = path.startsWith("/") ? new StringBuilder() : null;
        int follows = 0;
        try {
            while (!rest.isEmpty()) {
                String comp = rest.pollFirst();
                boolean last = rest.isEmpty();
                Path here = Posix.below(fd, PathBytes.bytes(comp));
                LocalStat st = Posix.lstatOrNull(here);
                if (st == null) {
                    if (!create || !wantDir && !last) {
                        throw new NoSuchFileException(path);
                    }
                    if (wantDir) {
                        Files.createDirectory(here);
                    } else {
                        Files.newOutputStream(here, StandardOpenOption.CREATE_NEW, LinkOption.NOFOLLOW_LINKS).close();
                    }
                } else if (st.isSymlink()) {
                    if (!insecureLinks && st.uid() != 0 && st.uid() != trusted) {
                        throw new FileSystemException(path, null, errno(ELOOP) + " (refusing to follow a symlink"
                                + " owned by an untrusted user: \"" + comp + "\" belongs to uid " + st.uid() + ")");
                    }
                    if (++follows > MAX_FOLLOWS) {
                        throw new FileSystemException(path, null, errno(ELOOP));
                    }
                    if (walked != null && FD_NUMBER.matcher(comp).matches() && FD_DIR.matcher(walked).matches()) {
                        // one of this process's descriptors (rrsync's pin of a checked directory, a shell's <(...)):
                        // the kernel follows it to the very file held open, which may have no name (a pipe) or
                        // no longer the one its text reads ("dir (deleted)"); a walk by that text cannot
                        int open;
                        try {
                            open = BeneathOpener.openat(fd, PathBytes.bytes(comp),
                                    Posix.O_PATH | Posix.O_CLOEXEC | (wantDir || !last ? Posix.O_DIRECTORY : 0));
                        } catch (BeneathOpener.OpenFailure e) {
                            throw e.on(path);
                        }
                        Posix.close(fd);
                        fd = open;
                        walked = null;
                        continue;
                    }
                    String target = new String(Posix.readlink(here), StandardCharsets.UTF_8);
                    if (target.startsWith("/")) {
                        Posix.close(fd);
                        fd = -1;
                        fd = openStart("/");
                        walked = new StringBuilder();
                    }
                    pushFront(rest, target);
                    continue;
                } else if (!last && !st.isDirectory()) {
                    throw new FileSystemException(path, null, errno(ENOTDIR));
                }
                int next;
                try {
                    next = BeneathOpener.openat(fd, PathBytes.bytes(comp), last && !wantDir ? DIR_FLAGS & ~Posix.O_DIRECTORY : DIR_FLAGS);
                } catch (BeneathOpener.OpenFailure e) {
                    throw e.on(path);
                }
                Posix.close(fd);
                fd = next;
                if (walked != null) {
                    walked.append('/').append(comp);
                }
            }
            return fd;
        } catch (IOException | RuntimeException e) {
            if (fd >= 0) {
                Posix.close(fd);
            }
            throw e;
        }
    }

    private static int openStart(String dir) throws IOException {
        try {
            return BeneathOpener.openat(Posix.AT_FDCWD, PathBytes.bytes(dir.isEmpty() ? "." : dir),
                    Posix.O_PATH | Posix.O_DIRECTORY | Posix.O_CLOEXEC);
        } catch (BeneathOpener.OpenFailure e) {
            throw e.on(dir);
        }
    }

    /** Puts the components of {@code path} in front of the ones still to walk ("." and empty ones dropped). */
    private static void pushFront(Deque<String> rest, String path) {
        String[] parts = path.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
            if (!parts[i].isEmpty() && !parts[i].equals(".")) {
                rest.addFirst(parts[i]);
            }
        }
    }

    private static String errno(int errno) {
        return Posix.strerror(errno) + " (" + errno + ")";
    }
}
