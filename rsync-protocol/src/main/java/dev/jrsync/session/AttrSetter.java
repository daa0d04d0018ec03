package dev.jrsync.session;

import dev.jrsync.flist.FileEntry;
import dev.jrsync.fs.ChmodSpec;
import dev.jrsync.fs.FakeSuper;
import dev.jrsync.fs.LocalAcls;
import dev.jrsync.fs.LocalStat;
import dev.jrsync.fs.Posix;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Gives a received or created entry its owner, group, permissions, mtime and atime ({@code rsync/rsync.c:set_file_attrs}
 * and {@code dest_mode}), or with fake super records them in an xattr instead.
 */
final class AttrSetter {
    /**
     * The process's umask, read once: a daemon session chrooted into a module would read the module's own
     * {@code proc/self/status}, a file a client can write (the daemon initialises this class before any chroot).
     */
    private final Preserve preserve;
    private final int umask;
    static final int S_ISGID = 02000;
    private final ChmodSpec chmod;
    private final boolean fakeSuper;
    /** {@code -A}: null without it. */
    private final AclSetter acls;
    /** The last directory whose default permissions were read; the generator and the receiver both ask. */
    private volatile DirPerms lastDirPerms;

    private record DirPerms(Path dir, int perms) {}

    AttrSetter(Preserve preserve, int umask, ChmodSpec chmod, boolean fakeSuper, AclSetter acls) {
        this.preserve = preserve;
        this.umask = umask;
        this.chmod = chmod;
        this.fakeSuper = fakeSuper;
        this.acls = acls;
    }

    /** Errors setting ACLs, which let the run go on. */
    int ioError() {
        return acls == null ? 0 : acls.ioError();
    }

    /**
     * rsync/generator.c:itemize's {@code ITEM_REPORT_ACL}: whether the ACLs of {@code path}, found as {@code st}, are
     * not the entry's; 0 without {@code -A}, or without a path (a basis directory's copy, found by its stat alone).
     */
    int aclFlags(FileEntry e, Path path, LocalStat st) {
        return acls == null || path == null ? 0 : acls.flags(e, path, st, targetMode(e, st));
    }

    /**
     * Under {@code -A}, gives {@code path} (found as {@code st}) the entry's ACLs for {@code mode}, before its mode
     * is set, as rsync's {@code set_file_attrs} orders them; whether the mode must then be set again.
     */
    boolean setAcls(Path path, FileEntry e, LocalStat st, int mode) {
        return acls != null && acls.applies(e, st) && acls.set(e, path, st.mode(), mode) != mode;
    }

    /** What the session keeps of the sender's attributes. */
    Preserve preserve() {
        return preserve;
    }

    /** {@link #targetMode(FileEntry, LocalStat, boolean, Path)} for an entry that is not new. */
    int targetMode(FileEntry e, LocalStat existing) {
        return targetMode(e, existing, false, null);
    }

    /**
     * The permission bits an entry ends with locally ({@code rsync/rsync.c:dest_mode}); a new one at {@code path}
     * without {@code -p} gets those its directory's default ACL gives, else those the umask leaves.
     */
    int targetMode(FileEntry e, LocalStat existing, boolean isNew, Path path) {
        // rsync/flist.c:recv_file_entry tweaks the listed mode by --chmod; rsync.c:dest_mode then keeps an existing
        // file's permissions without -p, and gives a new one the tweaked mode less the umask and set-id bits
        int listed = chmod.apply(e.mode() & 07777, e.isDirectory());
        if (preserve.perms()) {
            return listed;
        }
        if (existing != null && !isNew) {
            int kept = existing.mode() & 07777;
            if (preserve.executability() && e.isRegular()) {
                // rsync/rsync.c:dest_mode: executable for whoever may read it, unless it was already
                if ((listed & 0111) == 0) {
                    kept &= ~0111;
                } else if ((kept & 0111) == 0) {
                    kept |= (kept & 0444) >> 2;
                }
            }
            return kept;
        }
        // a directory made here keeps the set-group-id bit it inherited from its parent (set_file_attrs)
        int inherited = e.isDirectory() && existing != null ? existing.mode() & S_ISGID : 0;
        return listed & 0777 & dirPerms(path) | inherited;
    }

    /** rsync/generator.c:recv_generator's {@code dflt_perms}, read once per directory as the entries go in order. */
    private int dirPerms(Path path) {
        Path dir = path == null ? null : path.getParent();
        if (dir == null) {
            return 0777 & ~umask;
        }
        DirPerms last = lastDirPerms;
        if (last == null || !last.dir.equals(dir)) {
            last = new DirPerms(dir, LocalAcls.defaultPermsForDir(dir, umask));
            lastDirPerms = last;
        }
        return last.perms;
    }

    /**
     * Applies owner, group, permissions and (for non-directories) the mtime to {@code path}
     * ({@code rsync/rsync.c:set_file_attrs}). {@code existing} is what {@code path} looked like, or null
     * when it was just created.
     */
    void setAttrs(Path path, FileEntry e, LocalStat existing, boolean isNew) throws IOException {
        LocalStat st = existing != null ? existing : DestPaths.lstat(path);
        if (st == null) {
            return;
        }
        int mode = e.isDirectory() ? (targetMode(e, st, isNew, path) | 0700) : targetMode(e, st, isNew, path);
        applyAttrs(path, e, st, mode, isNew);
    }

    /**
     * Attributes for a received file's new content at {@code path} (the temp file, or the file itself
     * with {@code --inplace}); {@code replaced} is the file it replaces, whose permissions survive
     * without {@code -p}.
     */
    // rsync/rsync.c:set_file_attrs via receiver.c:finish_transfer
    void setFileAttrs(Path path, FileEntry e, LocalStat current, LocalStat replaced) throws IOException {
        LocalStat st = current != null ? current : DestPaths.lstat(path);
        if (st == null) {
            return;
        }
        boolean isNew = replaced == null || !replaced.isRegular();
        int mode = targetMode(e, isNew ? null : replaced, isNew, path);
        applyAttrs(path, e, st, mode, true);
    }

    private void applyAttrs(Path path, FileEntry e, LocalStat st, int mode, boolean accurateTime) throws IOException {
        if (fakeSuper) {
            storeStat(path, e, e.isSymlink() ? e.mode() & 07777 : mode);
            setAcls(path, e, st, mode);
        } else {
            changeOwnerAndMode(path, e, st, mode);
        }
        boolean times = preserve.timesOf(e) && !e.isDirectory();
        // rsync/rsync.c:same_mtime: exact after a transfer, else as the quick check compares
        boolean mtime = times && (accurateTime ? st.mtimeSeconds() != e.mtime() || st.mtimeNanos() != e.mtimeNsec()
                : !preserve.sameTime(st, e));
        // the atime is set after a transfer whatever it is, as the data written may have moved it
        boolean atime = preserve.atimesOf(e) && (accurateTime || st.atimeSeconds() != e.atime());
        if (mtime && atime) {
            Posix.setTimes(path, e.atime(), e.mtime(), e.mtimeNsec());
        } else if (mtime) {
            Posix.setMtime(path, e.mtime(), e.mtimeNsec());
        } else if (atime) {
            Posix.setAtime(path, e.atime());
        }
    }

    private void changeOwnerAndMode(Path path, FileEntry e, LocalStat st, int mode) throws IOException {
        boolean chowned = changeOwner(path, e, st);
        boolean narrowed = setAcls(path, e, st, mode);
        if (!e.isSymlink() && ((st.mode() & 07777) != mode || chowned || narrowed)) {
            setMode(path, mode);
        }
    }

    /**
     * The entry's owner and group on {@code path} (found as {@code st}), as far as {@code -o}, {@code -g} and being
     * root allow; whether it tried, which clears set-id bits the mode must then restore.
     */
    boolean changeOwner(Path path, FileEntry e, LocalStat st) throws IOException {
        int uid = preserve.setsOwner() && st.uid() != e.uid() ? e.uid() : -1;
        int gid = preserve.group() && st.gid() != e.gid() ? e.gid() : -1;
        if (uid == -1 && gid == -1) {
            return false;
        }
        try {
            Posix.lchown(path, uid, gid);
        } catch (IOException ex) {
            if (preserve.amRoot()) {
                throw ex;
            }
            // a non-root receiver keeps its own group when chgrp is not allowed, as rsync does quietly
        }
        return true;
    }

    /**
     * Fake super's owner and mode ({@code rsync/rsync.c:set_file_attrs} with {@code am_root < 0}): nothing is
     * chowned or given special bits; {@code user.rsync.%stat} records the entry's type, {@code perms}, device
     * and owner instead. Without {@code -o} or {@code -g} the file's own owner or group is recorded (rsync
     * writes whatever its unfilled entry holds).
     */
    // rsync/xattrs.c:set_stat_xattr via rsync.c:set_file_attrs
    void storeStat(Path path, FileEntry e, int perms) throws IOException {
        LocalStat real = preserve.owner() && preserve.group() ? null : LocalStat.of(path);
        FakeSuper.setStatXattr(path, (e.mode() & LocalStat.S_IFMT) | perms, e.rdevMajor(), e.rdevMinor(),
                preserve.owner() ? e.uid() : real.uid(), preserve.group() ? e.gid() : real.gid());
    }

    static void setMode(Path path, int mode) throws IOException {
        Posix.chmod(path, mode);
    }
}
