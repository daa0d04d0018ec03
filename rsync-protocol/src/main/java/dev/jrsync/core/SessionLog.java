package dev.jrsync.core;

import java.io.PrintStream;

/**
 * Where a session's output goes: rsync's FINFO (stdout) and FERROR/FWARNING (stderr) lines, and the structured
 * events the roles report whatever the verbosity (items, deletions, progress, listing entries). Which events become
 * lines, and how, is the printing layer's business ({@code dev.jrsync.ui}); a library's listener takes them as they
 * are.
 */
public interface SessionLog {
    void info(String line);

    void error(String line);

    /** rsync's FWARNING: a line for stderr that, unlike a server's error, does not make the client's run fail. */
    default void warning(String line) {
        error(line);
    }

    /** Text without a line end, such as a {@code --progress} update that the next one overwrites. */
    default void partial(String text) {
    }

    /** One item ({@code rsync/log.c:log_item}), each one the roles report. */
    default void item(ItemEvent item) {
    }

    /** A file's transfer started or ended ({@code rsync/progress.c}). */
    default void progress(FileProgress progress) {
    }

    /**
     * One entry of a listing ({@code --list-only}, or a source without a destination). The command line prints
     * rsync's line for it, with {@code -h}'s {@code humanReadable}; a library collects the entry itself.
     */
    default void listed(ListedEntry entry, int humanReadable) {
        info(entry.line(humanReadable));
    }

    /** A name {@code --delete} removed, as rsync prints it (escaped; a directory's ends in "/"). */
    default void deleted(String name) {
    }

    /** stdout and stderr of this process. */
    static SessionLog console() {
        return of(System.out, System.err);
    }

    static SessionLog of(PrintStream out, PrintStream err) {
        return new SessionLog() {
            @Override
            public void info(String line) {
                out.println(line);
            }

            @Override
            public void error(String line) {
                err.println(line);
            }

            @Override
            public void partial(String text) {
                out.print(text);
                out.flush();
            }
        };
    }
}
