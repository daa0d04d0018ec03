package dev.jrsync.fs;

import dev.jrsync.core.Escaped;
import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * rsync's fake super ({@code --fake-super}, a module's {@code fake super = yes}; {@code am_root < 0}): a side
 * without root keeps what only root could set in the {@code user.rsync.%stat} attribute ({@link StatXattr})
 * and reads it back as if the file had those attributes. Devices and special files become empty regular
 * files and symlinks regular files holding their target, since Linux keeps no user attributes on them.
 * Mirrors {@code rsync/xattrs.c:x_lstat}, {@code get_stat_xattr} and {@code set_stat_xattr}, and the fake
 * super branches of {@code rsync/syscall.c:do_mknod}, {@code do_symlink} and {@code do_readlink}.
 */
public final class FakeSuper {
    private FakeSuper() {}

    private static final int S_IFMT = LocalStat.S_IFMT;
    private static final int CHMOD_BITS = 07777;
    private static final int ACCESSPERMS = 0777;

    /**
     * The {@code lstat} of {@code path} with the stored attributes in place of the real ones ({@code x_lstat});
     * null when nothing is there. A real device or special file carries no attribute and is what it is.
     */
    // rsync/xattrs.c:x_lstat and get_stat_xattr
    public static LocalStat lstat(Path path) throws IOException {
        LocalStat st = LocalStat.ofOrNull(path);
        return st == null ? null : withStoredAttrs(path, st);
    }

    /** {@code st}, the real {@code lstat} of {@code path}, with the stored attributes over it, if it has any. */
    // rsync/xattrs.c:get_stat_xattr
    public static LocalStat withStoredAttrs(Path path, LocalStat st) throws IOException {
        StatXattr x = stored(path, st);
        if (x == null) {
            return st;
        }
        return new LocalStat(x.mode(), st.size(), st.mtimeSeconds(), st.mtimeNanos(), st.atimeSeconds(), x.uid(),
                x.gid(),
                Posix.makedev(x.rdevMajor(), x.rdevMinor()), st.dev(), st.ino(), st.nlink());
    }

    private static StatXattr stored(Path path, LocalStat st) throws IOException {
        if (st.isDevice() || st.isSpecial()) {
            return null;
        }
        byte[] value = Xattrs.lget(path, StatXattr.NAME, StatXattr.MAX_LENGTH);
        if (value == null) {
            return null;
        }
        try {
            return StatXattr.decode(value);
        } catch (StatXattr.CorruptException e) {
            // rsync stops the whole transfer here: a file whose attributes are unknown must not be copied as is
            throw new RsyncException(ExitCode.FILE_IO, "Corrupt " + StatXattr.NAME + " xattr attached to "
                    + Escaped.of(Posix.withoutFdPaths(path.toString())) + ": \"" + Escaped.of(e.getMessage()) + "\"");
        }
    }

    /** The stand-in for a device or special file: an empty regular file, mode 0600 ({@code do_mknod}). */
    // rsync/syscall.c:do_mknod (am_root < 0)
    public static void placeholder(Path path) throws IOException {
        OutFile.createNew(path, 0600).close();
    }

    /** The stand-in for a symlink: a regular file, mode 0600, holding the target's bytes ({@code do_symlink}). */
    // rsync/syscall.c:do_symlink (am_root < 0, NO_SYMLINK_USER_XATTRS)
    public static void symlink(byte[] target, Path path) throws IOException {
        try (OutFile f = OutFile.createNew(path, 0600)) {
            f.write(target, 0, target.length, 0);
        }
    }

    /**
     * A symlink's target: the contents of its stand-in file. A real symlink is read as one by a sender, while a
     * receiver reports it empty, so that it is replaced by a stand-in ({@code do_readlink}).
     */
    // rsync/syscall.c:do_readlink (am_root < 0)
    public static byte[] readlink(Path path, boolean sender) throws IOException {
        LocalStat st = LocalStat.of(path);
        if (st.isSymlink()) {
            return sender ? Posix.readlink(path) : new byte[0];
        }
        try (InputStream in = Files.newInputStream(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            return in.readNBytes(Posix.PATH_MAX);
        }
    }

    /**
     * Records what {@code path} should be, {@code newMode} (type included), {@code rdev} for a device and the
     * owner {@code uid:gid}, in the attribute, giving the file itself its type's safe mode: the permission
     * bits without setuid, setgid and sticky, and full access for its owner, the user who copies. When the
     * file already is all that, the attribute goes. The real file is stat'ed afresh, as rsync does.
     */
    // rsync/xattrs.c:set_stat_xattr
    public static void setStatXattr(Path path, int newMode, int rdevMajor, int rdevMinor, int uid, int gid)
            throws IOException {
        LocalStat fst = LocalStat.of(path);
        StatXattr xst = stored(path, fst);
        int fstMode = fst.mode() & (S_IFMT | CHMOD_BITS);
        int fmode = newMode & (S_IFMT | CHMOD_BITS);
        boolean device = isDevice(fmode);
        long rdev = device ? Posix.makedev(rdevMajor, rdevMinor) : 0;
        int mode = (fstMode & S_IFMT) | (fmode & ACCESSPERMS) | (fst.isDirectory() ? 0700 : 0600);
        if (fstMode != mode && !fst.isSymlink()) {
            Posix.chmod(path, mode);
        }
        long fstRdev = fst.isDevice() ? fst.rdev() : 0;
        if (mode == fmode && fstRdev == rdev && fst.uid() == uid && fst.gid() == gid) {
            if (xst != null) {
                Xattrs.lremove(path, StatXattr.NAME);
            }
            return;
        }
        StatXattr want = new StatXattr(fmode, device ? rdevMajor : 0, device ? rdevMinor : 0, uid, gid);
        if (!want.equals(xst)) {
            Xattrs.lset(path, StatXattr.NAME, want.encode());
        }
    }

    private static boolean isDevice(int mode) {
        int type = mode & S_IFMT;
        return type == LocalStat.S_IFCHR || type == LocalStat.S_IFBLK;
    }
}
