package dev.jrsync.session;

import dev.jrsync.core.SessionLog;
import dev.jrsync.options.Options;

/**
 * What a client says about its file list with {@code -v} or {@code --progress} ({@code rsync/flist.c}:
 * {@code send_file_list} and {@code recv_file_list} name an incremental list as it starts; otherwise
 * {@code start_filelist_progress} and {@code finish_filelist_progress} frame a whole list, when directories are
 * transferred at all).
 */
public final class FileListProgress {
    /** A server's: it prints none of these lines. */
    public static final FileListProgress NONE = new FileListProgress(null, false, false, false, false);

    private final SessionLog log;
    private final boolean shown;
    private final boolean counts;
    private final boolean incremental;
    private final boolean sending;

    private FileListProgress(SessionLog log, boolean shown, boolean counts, boolean incremental, boolean sending) {
        this.log = log;
        this.shown = shown;
        this.counts = counts;
        this.incremental = incremental;
        this.sending = sending;
    }

    /** The lines of the side that builds and sends the list ({@code sending}) or receives it. */
    public static FileListProgress of(Options o, boolean sending, boolean incremental, SessionLog log) {
        boolean shown = (o.verbose() > 0 || o.progress()) && (incremental || o.transfersDirs());
        return new FileListProgress(log, shown, o.progress(), incremental, sending);
    }

    /** Before the list: "sending incremental file list", or the start of "building file list ... done". */
    public void started() {
        if (!shown) {
            return;
        }
        if (incremental) {
            log.info((sending ? "sending" : "receiving") + " incremental file list");
        } else if (counts) {
            log.info((sending ? "building" : "receiving") + " file list ... ");
        }
    }

    /** The whole list is there, with {@code entries} entries. */
    public void finished(int entries) {
        if (!shown || incremental) {
            return;
        }
        if (counts) {
            log.info(entries + " file" + (entries == 1 ? " " : "s ") + "to consider");
        } else {
            log.info((sending ? "building" : "receiving") + " file list ... done");
        }
    }
}
