package dev.jrsync.session;

import dev.jrsync.core.Escaped;
import dev.jrsync.core.PathBytes;
import dev.jrsync.flist.SafeNames;
import dev.jrsync.fs.BeneathOpener;
import dev.jrsync.fs.Posix;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a receiver writes: every name is resolved beneath one directory ({@code
 * rsync/syscall.c:secure_relative_open}), a daemon's module or the destination of a local or {@code --server} run.
 * The parent directory of each name is opened with {@link BeneathOpener} and the name becomes {@code
 * /proc/self/fd/N/leaf} ({@link Posix#below}): the kernel walks that, or {@link Posix} passes it as {@code (N, leaf)}
 * to an {@code *at} call, through the pinned directory, so a parent swapped for a symlink after the check changes
 * nothing. A symlink already there on the way is followed only as the opener allows: within the directory (rsync
 * 3.5), never out of it. Leaves are never followed by the roles (they lstat, create with O_NOFOLLOW, rename, unlink).
 *
 * <p>Open directories are kept in a bounded least-recently-used table. A path handed out for a directory
 * whose descriptor was since closed fails (the receiver re-resolves and compares before it writes), and
 * every descriptor ever opened is beneath the root: the worst a hostile peer reaches is an error.
 */
public class PinnedDirs implements PathResolver, AutoCloseable {
    /**
     * Open parent directories kept per session. The generator runs ahead of the receiver, and a directory
     * evicted before the receiver reaches its files fails them ("changed during the transfer"): at 512 a
     * push of 1,000 directories lost every file. The JVM raises its descriptor limit to the hard limit.
     */
    public static final int MAX_OPEN = 8192;
    private static final Path NOWHERE = Path.of("/dev/null");

    private final BeneathOpener opener;
    private final byte[] destPrefix;
    private final int rootFd;
    /** Set in a chroot: names are then returned as plain paths below it. */
    private final Path plainRoot;
    // keyed by the directory's bytes as ISO-8859-1 text: one char per byte, so no two names share a key
    private final Map<String, Integer> open = new LinkedHashMap<>(64, 0.75f, true);
    private boolean closed;

    /**
     * @param opener how directories are opened beneath {@code root}
     * @param root   the directory every name is resolved beneath (the destination of a local run)
     */
    public PinnedDirs(BeneathOpener opener, Path root) throws IOException {
        this(opener, root, "", false);
    }

    /**
     * @param root       the directory names are resolved beneath
     * @param destPrefix where names start below it ('/'-separated, "" for the root itself)
     * @param chrooted   the session is chrooted ({@code use chroot}): /proc is not there, so a name is handed
     *                 out as its plain path below {@code root} once its parent was pinned without a
     *                 symlink on the way; a parent swapped for a symlink after that can lead only elsewhere
     *                 inside the chroot, which rsync's chrooted daemon accepts too
     */
    protected PinnedDirs(BeneathOpener opener, Path root, String destPrefix, boolean chrooted) throws IOException {
        this.opener = opener;
        this.destPrefix = PathBytes.bytes(destPrefix);
        this.rootFd = opener.openRoot(root);
        this.plainRoot = chrooted ? root : null;
    }

    @Override
    public synchronized Path resolve(Path root, byte[] name) throws SafeNames.UnsafePathException {
        if (!SafeNames.isSafeRelative(name)) {
            throw new SafeNames.UnsafePathException("refusing unsafe file name \"" + Escaped.of(name) + "\"");
        }
        if (name.length == 1 && name[0] == '.') {
            return root;
        }
        byte[] full = name;
        if (destPrefix.length > 0) {
            full = Arrays.copyOf(destPrefix, destPrefix.length + 1 + name.length);
            full[destPrefix.length] = '/';
            System.arraycopy(name, 0, full, destPrefix.length + 1, name.length);
        }
        int slash = full.length - 1;
        while (slash >= 0 && full[slash] != '/') {
            slash--;
        }
        byte[] leaf = Arrays.copyOfRange(full, slash + 1, full.length);
        if (slash < 0) {
            return plainRoot != null ? PathBytes.resolve(plainRoot, leaf) : Posix.below(rootFd, leaf);
        }
        try {
            int parentFd = pin(Arrays.copyOf(full, slash));
            return plainRoot != null ? PathBytes.resolve(plainRoot, full) : Posix.below(parentFd, leaf);
        } catch (BeneathOpener.OpenFailure e) {
            if (e.missing()) {
                // Nothing there yet (a dry run, or its directory failed): a path below a device node,
                // where lstat finds nothing and every write fails with ENOTDIR. In a chroot /dev/null is
                // the module's own, which a client can fill; the plain path is missing its parent too.
                return plainRoot != null ? PathBytes.resolve(plainRoot, full) : PathBytes.resolve(NOWHERE, name);
            }
            throw new SafeNames.UnsafePathException("refusing \"" + Escaped.of(name) + "\": a parent directory is a"
                    + " symlink or not a directory (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new SafeNames.UnsafePathException("cannot open the parent of \"" + Escaped.of(name) + "\": "
                    + Posix.describe(e));
        }
    }

    /** The root's own descriptor. */
    protected int rootFd() {
        return rootFd;
    }

    /** In a chroot, the root names are handed out below as plain paths; null otherwise. */
    protected Path plainRoot() {
        return plainRoot;
    }

    /** A descriptor of directory {@code dir} (below the root, no destination prefix), opened once and kept. */
    protected int pin(byte[] dir) throws IOException {
        if (closed) {
            throw new IOException("the transfer is over");
        }
        String key = new String(dir, StandardCharsets.ISO_8859_1);
        Integer fd = open.get(key);
        if (fd != null) {
            return fd;
        }
        int opened = opener.openBeneath(rootFd, dir);
        open.put(key, opened);
        if (open.size() > MAX_OPEN) {
            Iterator<Map.Entry<String, Integer>> eldest = open.entrySet().iterator();
            Posix.close(eldest.next().getValue());
            eldest.remove();
        }
        return opened;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int fd : open.values()) {
            Posix.close(fd);
        }
        open.clear();
        Posix.close(rootFd);
    }
}
