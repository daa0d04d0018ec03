package dev.jrsync.session;

import dev.jrsync.core.SessionLog;
import dev.jrsync.flist.FileEntry;
import dev.jrsync.flist.FileList;
import dev.jrsync.fs.LocalStat;
import dev.jrsync.fs.Posix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;

/**
 * {@code --remove-source-files} on the sending side ({@code rsync/sender.c:successful_send}): once the
 * receiver reports a file safely written (MSG_SUCCESS), the source is removed, unless it changed since
 * the file list was built, which would lose the change.
 */
public final class SourceRemover implements IntConsumer {
    /**
     * Where a sent file is removed from. A daemon's pins the parent beneath the module root
     * ({@code secure_sender_parent_fd}): a parent swapped for a symlink since the scan then fails the
     * removal instead of leading it out of the module.
     */
    @FunctionalInterface
    public interface Locator {
        Path pathOf(FileEntry e) throws IOException;
    }

    /** The entry a MSG_SUCCESS names; a bad index throws. */
    private final IntFunction<FileEntry> entries;
    private final Locator pathOf;
    private final SessionLog log;
    private final boolean verbose;

    public SourceRemover(FileList flist, Locator pathOf, SessionLog log, boolean verbose) {
        this(ndx -> {
            if (ndx < 0 || ndx >= flist.size()) {
                throw new dev.jrsync.wire.ProtocolException("MSG_SUCCESS for an invalid file index: " + ndx);
            }
            return flist.get(ndx);
        }, pathOf, log, verbose);
    }

    /** Under incremental recursion: the index names an entry of a list still held. */
    public SourceRemover(SenderFileLists lists, Locator pathOf, SessionLog log, boolean verbose) {
        this(lists::successful, pathOf, log, verbose);
    }

    private SourceRemover(IntFunction<FileEntry> entries, Locator pathOf, SessionLog log, boolean verbose) {
        this.entries = entries;
        this.pathOf = pathOf;
        this.log = log;
        this.verbose = verbose;
    }

    @Override
    public void accept(int ndx) {
        FileEntry e = entries.apply(ndx);
        if (e == null || e.isDirectory()) {
            return; // rsync/sender.c:successful_send removes every kind of file but a directory
        }
        Path p;
        try {
            p = pathOf.pathOf(e);
        } catch (IOException ex) {
            log.error("sender failed to secure-open-parent " + e.displayName() + ": " + Posix.describe(ex));
            return;
        }
        try {
            LocalStat st = LocalStat.of(p);
            if ((e.isRegular() || e.isSymlink()) && (st.size() != e.size() || st.mtimeSeconds() != e.mtime())) {
                log.error("ERROR: Skipping sender remove for changed file: " + e.displayName());
                return;
            }
            Files.delete(p);
            if (verbose) {
                log.info("sender removed " + e.displayName());
            }
        } catch (IOException ex) {
            log.error("sender failed to remove " + e.displayName() + ": " + Posix.describe(ex));
        }
    }
}
