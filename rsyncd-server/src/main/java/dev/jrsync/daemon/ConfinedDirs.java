package dev.jrsync.daemon;

import dev.jrsync.core.Escaped;
import dev.jrsync.core.PathBytes;
import dev.jrsync.flist.SafeNames;
import dev.jrsync.fs.BeneathOpener;
import dev.jrsync.fs.Posix;
import dev.jrsync.session.PathResolver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a daemon receiver writes: every name is resolved beneath the module root ({@code
 * rsync/syscall.c:secure_relative_open}). The parent directory of each name is opened with {@link BeneathOpener}
 * and the name becomes {@code /proc/self/fd/N/leaf} ({@link Posix#below}): the kernel walks that, or {@link Posix}
 * passes it as {@code (N, leaf)} to an {@code *at} call, through the pinned directory, so a parent swapped for a
 * symlink after the check changes nothing. A symlink already there on the way is followed only as the daemon's
 * opener allows: within the module (rsync 3.5), never out of it. Leaves are never followed by the roles (they
 * lstat, create with O_NOFOLLOW, rename, unlink).
 *
 * <p>Open directories are kept in a bounded least-recently-used table. A path handed out for a directory
 * whose descriptor was since closed fails (the receiver re-resolves and compares before it writes), and
 * every descriptor ever opened is beneath the root: the worst a hostile client reaches is an error.
 */
final class ConfinedDirs implements PathResolver, AutoCloseable {
    /**
     * Open parent directories kept per session. The generator runs ahead of the receiver, and a directory
     * evicted before the receiver reaches its files fails them ("changed during the transfer"): at 512 a
     * push of 1,000 directories lost every file. The JVM raises its descriptor limit to the hard limit.
     */
    static final int MAX_OPEN = 8192;
    private static final Path NOWHERE = Path.of("/dev/null");

    private final BeneathOpener opener;
    private final byte[] destPrefix;
    private final int rootFd;
    /** Set in a chroot: names are then returned as plain paths below it. */
    private final Path moduleRoot;
    // keyed by the directory's bytes as ISO-8859-1 text: one char per byte, so no two names share a key
    private final Map<String, Integer> open = new LinkedHashMap<>(64, 0.75f, true);
    private boolean closed;

    /**
     * @param moduleRoot the module's real path
     * @param destPrefix the destination below it ('/'-separated, "" for the root itself), already checked
     *                   with {@link #checkDestination}
     */
    ConfinedDirs(BeneathOpener opener, Path moduleRoot, String destPrefix) throws IOException {
        this(opener, moduleRoot, destPrefix, false);
    }

    /**
     * @param chrooted the session is chrooted ({@code use chroot}): /proc is not there, so a name is handed
     *                 out as its plain path below {@code moduleRoot} once its parent was pinned without a
     *                 symlink on the way; a parent swapped for a symlink after that can lead only elsewhere
     *                 inside the chroot, which rsync's chrooted daemon accepts too
     */
    ConfinedDirs(BeneathOpener opener, Path moduleRoot, String destPrefix, boolean chrooted) throws IOException {
        this.opener = opener;
        this.destPrefix = PathBytes.bytes(destPrefix);
        this.rootFd = opener.openRoot(moduleRoot);
        this.moduleRoot = chrooted ? moduleRoot : null;
    }

    /**
     * Checks that the destination {@code rel} below the module has no symlink or non-directory on the
     * way: every existing component must be a real directory (missing ones are created later, one level,
     * as rsync's {@code get_local_name} does).
     */
    static void checkDestination(BeneathOpener opener, Path moduleRoot, String rel) throws ModulePaths.Refused {
        checkDirectory(opener, moduleRoot, rel, "destination");
    }

    /**
     * {@code rel} (checked with {@link #checkDestination}) as the directory it is below the module root: a symlink
     * of the module's own on the way, which the opener follows only within the module, resolved. {@code rel} itself
     * when it is missing, and in a chroot, where no /proc tells where a descriptor leads.
     */
    static String directoryOf(BeneathOpener opener, Path moduleRoot, String rel, boolean chrooted)
            throws ModulePaths.Refused {
        if (rel.isEmpty() || chrooted) {
            return rel;
        }
        try (ConfinedDirs dirs = new ConfinedDirs(opener, moduleRoot, "")) {
            Path real = Path.of("/proc/self/fd/" + dirs.pin(PathBytes.bytes(rel))).toRealPath();
            Path top = moduleRoot.toRealPath();
            if (!real.startsWith(top)) {
                throw new ModulePaths.Refused("destination \"" + rel + "\" leads out of the module");
            }
            return PathBytes.text(top.relativize(real));
        } catch (BeneathOpener.OpenFailure e) {
            return rel; // missing: made later, or refused where it is used
        } catch (IOException e) {
            throw new ModulePaths.Refused("destination \"" + rel + "\": " + Posix.describe(e));
        }
    }

    /** As {@link #checkDestination}, for any directory the roles use ({@code what} names it in the refusal). */
    static void checkDirectory(BeneathOpener opener, Path moduleRoot, String rel, String what)
            throws ModulePaths.Refused {
        if (rel.isEmpty()) {
            return;
        }
        if (!SafeNames.isSafeRelative(PathBytes.bytes(rel))) {
            throw new ModulePaths.Refused(what + " \"" + rel + "\" refused");
        }
        try (ConfinedDirs dirs = new ConfinedDirs(opener, moduleRoot, "")) {
            dirs.pin(PathBytes.bytes(rel));
        } catch (BeneathOpener.OpenFailure e) {
            if (!e.missing()) {
                throw new ModulePaths.Refused(what + " \"" + rel + "\" is not a real directory in the module"
                        + " (a symlink or a file on the way)");
            }
            int slash = rel.lastIndexOf('/');
            if (slash > 0) {
                checkDirectory(opener, moduleRoot, rel.substring(0, slash), what);
            }
        } catch (IOException e) {
            throw new ModulePaths.Refused(what + " \"" + rel + "\": " + Posix.describe(e));
        }
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
            return moduleRoot != null ? PathBytes.resolve(moduleRoot, leaf) : Posix.below(rootFd, leaf);
        }
        try {
            int parentFd = pin(Arrays.copyOf(full, slash));
            return moduleRoot != null ? PathBytes.resolve(moduleRoot, full) : Posix.below(parentFd, leaf);
        } catch (BeneathOpener.OpenFailure e) {
            if (e.missing()) {
                // Nothing there yet (a dry run, or its directory failed): a path below a device node,
                // where lstat finds nothing and every write fails with ENOTDIR. In a chroot /dev/null is
                // the module's own, which a client can fill; the plain path is missing its parent too.
                return moduleRoot != null ? PathBytes.resolve(moduleRoot, full) : PathBytes.resolve(NOWHERE, name);
            }
            throw new SafeNames.UnsafePathException("refusing \"" + Escaped.of(name) + "\": a parent directory is a"
                    + " symlink or not a directory (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new SafeNames.UnsafePathException("cannot open the parent of \"" + Escaped.of(name) + "\": "
                    + Posix.describe(e));
        }
    }

    /**
     * Source {@code rel} (below the module root, "" for the root) as the daemon's sender lists it ({@code
     * rsync/flist.c:send_file_list} after rsync 3.5's confined {@code change_dir}): the directory it is in, or
     * with {@code itself} the directory it names, pinned beneath the root, so a component on the way swapped for
     * a symlink afterwards changes nothing. The path stays valid while this is open; a directory on the way
     * that is missing or leads out of the module fails with {@link BeneathOpener.OpenFailure}.
     */
    synchronized Path source(byte[] rel, boolean itself) throws IOException {
        if (rel.length > 0 && !SafeNames.isSafeRelative(rel)) {
            throw new IOException("refusing unsafe name \"" + Escaped.of(rel) + "\"");
        }
        int slash = rel.length;
        if (!itself) {
            while (slash > 0 && rel[slash - 1] != '/') {
                slash--;
            }
            slash = Math.max(slash - 1, 0);
        }
        int dirFd = slash == 0 ? rootFd : pin(Arrays.copyOf(rel, slash));
        if (moduleRoot != null) {
            return rel.length == 0 ? moduleRoot : PathBytes.resolve(moduleRoot, rel);
        }
        if (itself || rel.length == 0) {
            return Posix.fdPath(dirFd);
        }
        return Posix.below(dirFd, Arrays.copyOfRange(rel, slash == 0 ? 0 : slash + 1, rel.length));
    }

    private int pin(byte[] dir) throws IOException {
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
