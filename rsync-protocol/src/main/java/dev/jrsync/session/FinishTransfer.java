package dev.jrsync.session;

import dev.jrsync.core.ExitCode;
import dev.jrsync.core.PathBytes;
import dev.jrsync.core.RsyncException;
import dev.jrsync.core.SessionLog;
import dev.jrsync.flist.FileEntry;
import dev.jrsync.fs.LocalStat;
import dev.jrsync.fs.Posix;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A received file's last steps ({@code rsync/receiver.c:finish_transfer}, {@code handle_delayed_updates} and
 * {@code cleanup.c}'s partial-file keeping): attributes on the verified temp file, a backup of what it replaces,
 * the rename into place (or into the partial directory until the end with {@code --delay-updates}), and with
 * {@code --partial} the data of a failed transfer kept for the next run.
 */
final class FinishTransfer {
    /** A staged file, its destination, and the partial directory to remove once empty (null: none). */

    /** {@code --partial-dir}, or null. */
    private final PartialDir partial;
    private final RecvOptions o;
    private final DestPaths paths;
    private final AttrSetter attrs;
    private final Backups backups;
    private final SessionLog log;
    /** Files staged for --delay-updates, by entry: their places are named again when they are renamed. */
    private final List<FileEntry> delayed = new ArrayList<>();
    private final XattrReceiver xattrs;
    private int ioError;

    /** {@code xattrs}: the receiver's {@code -X} part, null without it. */
    FinishTransfer(RecvContext ctx, XattrReceiver xattrs) {
        this.xattrs = xattrs;
        this.partial = ctx.partialDir();
        this.o = ctx.o();
        this.paths = ctx.paths();
        this.attrs = ctx.attrs();
        this.backups = ctx.backups();
        this.log = ctx.conn().log();
    }

    /** I/O error bits of delayed updates that could not be renamed into place. */
    int ioError() {
        return ioError;
    }

    // rsync/receiver.c:finish_transfer (+ rsync.c:set_file_attrs on the temp file)
    void finish(FileEntry e, RequestTable.Request req, Path tmp, Path target) throws IOException {
        LocalStat replaced = paths.destStat(target);
        if (xattrs != null) {
            // rsync/rsync.c:set_file_attrs' set_xattr; a long value not sent is the one the file being replaced has,
            // which is what the generator compared
            xattrs.set(tmp == null ? target : tmp, e, replaced != null ? target : req.basis());
        }
        if (tmp == null) { // --inplace
            attrs.setFileAttrs(target, e, replaced, replaced);
        } else {
            attrs.setFileAttrs(tmp, e, null, replaced);
            if (o.delayUpdates()) {
                PartialDir.Place staged = partial.of(e, target, true);
                move(tmp, staged.file());
                delayed.add(e);
            } else {
                if (backups.enabled() && replaced != null && replaced.isRegular()) {
                    backupBeforeReplacing(target, paths.shownPath(e), PathBytes.text(paths.nameInDestDir(e)), tmp);
                }
                move(tmp, target);
            }
        }
        if (req.basisType() == ItemFlags.FNAMECMP_PARTIAL_DIR && req.basis() != null) {
            try {
                // by name again, as the target: the request's path may be through a directory let go since
                PartialDir.Place used = partial.of(e, target, false);
                deleteQuietly(used.file());
                Path dir = used.dir();
                if (dir != null) {
                    Files.deleteIfExists(dir);
                }
            } catch (IOException ignored) {
                // other partial files remain
            }
        }
    }

    /**
     * A backup that cannot be made stops the transfer, as rsync's {@code finish_transfer} does: nothing is replaced
     * unsaved, and the new data in {@code tmp} is removed as rsync's exit cleanup removes its temp file.
     */
    private void backupBeforeReplacing(Path target, Path shown, String rel, Path tmp) {
        try {
            backups.move(target, rel);
        } catch (IOException ex) {
            deleteQuietly(tmp);
            throw new RsyncException(ExitCode.FILE_IO, "rsync: keep_backup failed: \"" + shown + "\" -> \""
                    + backups.nameOf(rel) + "\": "
                    + Posix.describe(ex), ex);
        }
    }

    // rsync/receiver.c:handle_delayed_updates
    void handleDelayedUpdates() {
        // each place is resolved again: a pinned directory's descriptor may have been closed since the file was
        // staged, and its number given to another directory
        Map<Path, FileEntry> stagingDirs = new LinkedHashMap<>();
        for (FileEntry e : delayed) {
            Path shown = paths.shownPath(e);
            try {
                Path target = paths.pathOf(e);
                PartialDir.Place staged = partial.of(e, target, false);
                if (backups.enabled() && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    backups.move(target, PathBytes.text(paths.nameInDestDir(e)));
                }
                move(staged.file(), target);
                if (staged.dir() != null) {
                    stagingDirs.putIfAbsent(shown.getParent(), e);
                }
            } catch (IOException ex) {
                log.error("rsync: rename of the delayed update to \"" + shown + "\" failed: " + Posix.describe(ex));
                ioError |= Connection.IOERR_GENERAL;
            }
        }
        for (FileEntry e : stagingDirs.values()) {
            try {
                Path dir = partial.of(e, paths.pathOf(e), false).dir();
                if (dir != null) {
                    Files.deleteIfExists(dir);
                }
            } catch (IOException ignored) {
                // not empty: something else lives there
            }
        }
        delayed.clear();
    }

    /** With {@code --partial}: the data received so far becomes the partial file (or the file itself). */
    void keepPartial(FileEntry e, Path tmp, Path target) {
        try {
            if (partial != null) {
                move(tmp, partial.of(e, target, true).file());
            } else {
                move(tmp, target);
            }
        } catch (IOException ex) {
            deleteQuietly(tmp);
        }
    }

    /**
     * Renames {@code from} to {@code to} ({@code rsync/util1.c:robust_rename}). Across file systems (a --temp-dir
     * elsewhere) the data is copied to a temporary name beside {@code to} and renamed from there, so that the
     * final name never shows a half-copied file, and the source is removed.
     */
    private static void move(Path from, Path to) throws IOException {
        try {
            Posix.rename(from, to);
        } catch (AtomicMoveNotSupportedException ex) {
            Path staged = TempNames.tempName(to.getParent(), to.getFileName());
            try {
                Files.copy(from, staged, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                Posix.rename(staged, to);
            } catch (IOException | RuntimeException e) {
                deleteQuietly(staged);
                throw e;
            }
            Files.delete(from);
        }
    }

    static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }
}
