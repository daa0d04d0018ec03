package dev.jrsync.daemon;

import dev.jrsync.core.Escaped;
import dev.jrsync.core.PathBytes;
import dev.jrsync.flist.SafeNames;
import dev.jrsync.fs.BeneathOpener;
import dev.jrsync.fs.Posix;
import dev.jrsync.session.PinnedDirs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Where a daemon receiver writes: every name pinned beneath the module root by {@link PinnedDirs}, and the checks
 * the daemon makes of the directories a client names before it uses them.
 */
// rsync/syscall.c:secure_relative_open with the module root as its anchor
final class ConfinedDirs extends PinnedDirs {
    /**
     * @param moduleRoot the module's real path
     * @param destPrefix the destination below it ('/'-separated, "" for the root itself), already checked
     *                   with {@link #checkDestination}
     */
    ConfinedDirs(BeneathOpener opener, Path moduleRoot, String destPrefix) throws IOException {
        this(opener, moduleRoot, destPrefix, false);
    }

    /**
     * @param chrooted the session is chrooted ({@code use chroot}): names are handed out as plain paths below
     *                 {@code moduleRoot} ({@link PinnedDirs})
     */
    ConfinedDirs(BeneathOpener opener, Path moduleRoot, String destPrefix, boolean chrooted) throws IOException {
        super(opener, moduleRoot, destPrefix, chrooted);
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
        int dirFd = slash == 0 ? rootFd() : pin(Arrays.copyOf(rel, slash));
        if (plainRoot() != null) {
            return rel.length == 0 ? plainRoot() : PathBytes.resolve(plainRoot(), rel);
        }
        if (itself || rel.length == 0) {
            return Posix.fdPath(dirFd);
        }
        return Posix.below(dirFd, Arrays.copyOfRange(rel, slash == 0 ? 0 : slash + 1, rel.length));
    }
}
