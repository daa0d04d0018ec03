package dev.jrsync.session;

import dev.jrsync.core.SessionLog;
import dev.jrsync.flist.FileEntry;
import dev.jrsync.flist.FileList;
import dev.jrsync.fs.LocalStat;
import dev.jrsync.fs.Posix;
import java.io.IOException;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Directories' final modes and mtimes ({@code rsync/generator.c:touch_up_dirs}): a directory stays open to its
 * owner while files land in it, and takes its own mode and mtime only once nothing more is written into it, after
 * the one list, or under incremental recursion when its list ends. Remembers which directories this run made,
 * since a new directory's mode comes from the sender alone.
 */
final class DirTouchUp {
    private final RecvOptions o;
    private final DestPaths paths;
    private final AttrSetter attrs;
    private final SessionLog log;
    private final boolean incremental;
    /** The one list's directories this run made, by index. */
    private final BitSet createdDirs = new BitSet();
    /**
     * Incremental recursion: the directories this run made and has not given their final mode yet (by
     * identity; some made early, in their parent's list, so that the parent's mtime is final with its list).
     */
    private final Set<FileEntry> madeDirs = Collections.newSetFromMap(new IdentityHashMap<>());
    private int ioError;

    DirTouchUp(RecvContext ctx) {
        this.o = ctx.o();
        this.paths = ctx.paths();
        this.attrs = ctx.attrs();
        this.log = ctx.conn().log();
        this.incremental = ctx.chain() != null;
    }

    int ioError() {
        return ioError;
    }

    /** This run made directory {@code e}, index {@code ndx}. */
    void made(int ndx, FileEntry e) {
        if (incremental) {
            madeDirs.add(e);
        } else {
            createdDirs.set(ndx);
        }
    }

    /** Incremental recursion: {@code e} was made in its parent's list, ahead of its own. */
    void madeEarly(FileEntry e) {
        madeDirs.add(e);
    }

    /** Incremental recursion: whether {@code e} was made ahead of its own list (or its list made it). */
    boolean madeBefore(FileEntry e) {
        return madeDirs.contains(e);
    }

    /** Every directory of the one list, deepest first, as rsync's {@code touch_up_dirs} walks them. */
    // rsync/generator.c:touch_up_dirs
    void touchUpAll(FileList flist, BitSet pruned) {
        for (int i = flist.size() - 1; i >= 0; i--) {
            FileEntry e = flist.get(i);
            if (e != null && e.isDirectory() && !pruned.get(i) && !o.passesBy(e)) {
                touchUpDir(e, createdDirs.get(i));
            }
        }
    }

    /** Incremental recursion: {@code dir}'s list has ended, or (with --delete-delay) all lists have. */
    void touchUp(FileEntry dir) {
        touchUpDir(dir, madeDirs.remove(dir));
    }

    /** A directory's final owner, mode and mtime, once nothing more is written into it. */
    private void touchUpDir(FileEntry e, boolean created) {
        try {
            Path p = paths.pathOf(e);
            LocalStat st = DestPaths.lstat(p);
            if (st == null || !st.isDirectory()) {
                return;
            }
            int mode = attrs.targetMode(e, st, created, p);
            // fake super keeps the directory open to its owner; its recorded mode and owner are in the attribute
            boolean chowned = !o.fakeSuper() && attrs.changeOwner(p, e, st);
            boolean narrowed = !o.dryRun() && attrs.setAcls(p, e, st, mode);
            if (!o.fakeSuper() && ((st.mode() & 07777) != mode || chowned || narrowed)) {
                AttrSetter.setMode(p, mode);
            }
            if (attrs.preserve().timesOf(e) && (st.mtimeSeconds() != e.mtime() || st.mtimeNanos() != e.mtimeNsec())) {
                Posix.setMtime(p, e.mtime(), e.mtimeNsec());
            }
        } catch (IOException ex) {
            log.error("rsync: failed to set attributes on \"" + e.displayName() + "\": " + Posix.describe(ex));
            ioError |= Connection.IOERR_GENERAL;
        }
    }
}
