package dev.jrsync.session;

import dev.jrsync.flist.FileEntry;
import dev.jrsync.flist.FileList;
import dev.jrsync.fs.LocalStat;
import dev.jrsync.fs.Posix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * {@code --remove-source-files} on the sending side ({@code rsync/sender.c:successful_send}): once the
 * receiver reports a file safely written (MSG_SUCCESS), the source is removed, unless it changed since
 * the file list was built, which would lose the change.
 */
public final class SourceRemover implements IntConsumer {
    private final FileList flist;
    private final Function<FileEntry, Path> pathOf;
    private final SessionLog log;
    private final boolean verbose;

    public SourceRemover(FileList flist, Function<FileEntry, Path> pathOf, SessionLog log, boolean verbose) {
        this.flist = flist;
        this.pathOf = pathOf;
        this.log = log;
        this.verbose = verbose;
    }

    @Override
    public void accept(int ndx) {
        if (ndx < 0 || ndx >= flist.size()) {
            throw new dev.jrsync.wire.ProtocolException("MSG_SUCCESS for an invalid file index: " + ndx);
        }
        FileEntry e = flist.get(ndx);
        if (!e.isRegular() && !e.isSymlink()) {
            return;
        }
        Path p = pathOf.apply(e);
        try {
            LocalStat st = LocalStat.of(p);
            if (st.size() != e.size() || st.mtimeSeconds() != e.mtime()) {
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
