package dev.jrsync.session;

import dev.jrsync.flist.FileEntry;
import dev.jrsync.flist.FileList;
import java.io.IOException;
import java.nio.file.Path;

/**
 * What the generator and the receiver of one transfer share, made once by {@link ReceivingSide}: rsync's two
 * processes inherit the same globals from {@code rsync/main.c:do_recv}'s fork; here they get the same helpers.
 *
 * @param flist        the (top) file list
 * @param lists        under incremental recursion, the sub-lists as they are read; null otherwise
 * @param operatorDirs --temp-dir, --backup-dir and the local basis directories, held open until both roles end
 */
record RecvContext(Connection conn, SessionParams params, RecvOptions o, FileList flist,
                   FileListReceiver.Incremental lists, DestPaths paths, AttrSetter attrs, Backups backups,
                   OperatorDirs operatorDirs, ItemLog itemLog, TransferStats stats) {

    /** Under incremental recursion, the chain of lists; null otherwise. */
    FileListChain chain() {
        return lists == null ? null : lists.chain();
    }

    int protocol() {
        return params.protocol();
    }

    /**
     * rsync/generator.c:recv_generator's return_with_success: an entry found or made as it should be, without a
     * transfer, counts as duplicated, so with --remove-source-files the sender removes its source.
     */
    void duplicated(int ndx) {
        if (o.removeSourceFiles() && !o.dryRun()) {
            conn.sendInt(dev.jrsync.wire.MsgCode.SUCCESS, ndx);
        }
    }

    /**
     * rsync/rsync.c:set_file_attrs with ATTRS_REPORT: at {@code -vv} without {@code -i}, an entry found in place
     * is named, "is uptodate" when nothing about it needed setting ({@code iflags}: what differed). A dry run sets
     * nothing and says nothing.
     */
    void reportInPlace(FileEntry e, int iflags) {
        if (!o.dryRun()) {
            reportUptodate(e, (iflags & ItemLog.SIGNIFICANT) != 0);
        }
    }

    /** The line {@link #reportInPlace} prints, also for a hard link found in place ({@code maybe_hard_link}). */
    void reportUptodate(FileEntry e, boolean changed) {
        if (o.verbose() > 1 && o.itemizeChanges() == 0) {
            conn.log().info(e.displayName() + (e.isDirectory() ? "/" : "") + (changed ? "" : " is uptodate"));
        }
    }

    Destination dest() {
        return paths.destination();
    }

    /** Whether a directory entry stands for its contents too, whose extraneous names are deleted. */
    boolean isContentDir(FileEntry e) {
        // Before protocol 30 only a receiver sets NO_CONTENT_DIR: a pull's "." that is a bare parent.
        return !e.isNoContentDir() && (protocol() >= 30 || o.recursive() || e.isTopDir());
    }

    /** {@code --partial-dir} (or {@code --delay-updates}' default), or null without one. */
    PartialDir partialDir() {
        return o.partialDir() == null ? null : new PartialDir(o.partialDir(), paths, operatorDirs);
    }

    /** --temp-dir, held open for the session: a temp file is created, and renamed away, through that descriptor. */
    Path tempDir() throws IOException {
        return operatorDirs.pin(dest().root(), o.tempDir(), false);
    }
}
