package dev.jrsync.session;

import dev.jrsync.flist.FileEntry;
import dev.jrsync.fs.LocalStat;
import dev.jrsync.options.Options;

/**
 * Which of the sender's attributes the receiving side keeps: rsync's {@code preserve_perms},
 * {@code preserve_mtimes} less {@code -O}/{@code -J}, {@code preserve_atimes}, {@code preserve_uid} and
 * {@code preserve_gid}, with
 * {@code am_root} ({@code rsync/options.c} globals), taken from the user's options once per session.
 *
 * @param executability {@code -E}: without {@code -p}, an existing file's execute bits follow the sender's
 * @param amRoot       root, or fake super, which records what root would set
 * @param modifyWindow {@code --modify-window}: how far apart two times may be and still be the same (0: the same
 *                     second; negative: the same nanosecond)
 */
record Preserve(boolean perms, boolean executability, boolean times, boolean omitDirTimes, boolean omitLinkTimes,
                boolean atimes, boolean owner, boolean group, boolean amRoot, int modifyWindow) {
    static Preserve of(Options o, boolean amRoot) {
        // rsync/options.c: backups beside the files (-b without --backup-dir) imply -O
        boolean omitDirTimes = o.omitDirTimes() || o.backup() && o.backupDir() == null;
        return new Preserve(o.perms(), o.executability(), o.times(), omitDirTimes, o.omitLinkTimes(), o.atimes() > 0,
                o.owner(),
                o.group(), amRoot, o.modifyWindow() == null ? 0 : o.modifyWindow());
    }

    /**
     * Whether the local file's time is the entry's ({@code rsync/util1.c:same_time}): the same second by default,
     * within the window when there is one, to the nanosecond with a negative one.
     */
    boolean sameTime(LocalStat st, FileEntry e) {
        long diff = st.mtimeSeconds() - e.mtime();
        if (modifyWindow > 0) {
            return Math.abs(diff) <= modifyWindow;
        }
        return diff == 0 && (modifyWindow == 0 || st.mtimeNanos() == e.mtimeNsec());
    }

    /** Whether an entry's modification time is kept: {@code -t}, unless {@code -O} or {@code -J} leaves it out. */
    boolean timesOf(FileEntry e) {
        return times && !(e.isDirectory() && omitDirTimes) && !(e.isSymlink() && omitLinkTimes);
    }

    /**
     * Whether an entry's access time is kept ({@code rsync/rsync.c:set_file_attrs}): {@code -U}, for all but a
     * directory, and but a symlink {@code -J} leaves out.
     */
    boolean atimesOf(FileEntry e) {
        return atimes && !e.isDirectory() && !(e.isSymlink() && omitLinkTimes);
    }

    /** Whether owners are set: {@code -o}, and only root (or fake super) can give a file away. */
    boolean setsOwner() {
        return owner && amRoot;
    }
}
