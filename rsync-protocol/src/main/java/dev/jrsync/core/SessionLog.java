package dev.jrsync.core;

import java.io.PrintStream;

/** Where user-visible output goes: rsync's FINFO (stdout) and FERROR/FWARNING (stderr). */
public interface SessionLog {
    void info(String line);

    void error(String line);

    /** Text without a line end, such as a {@code --progress} update that the next one overwrites. */
    default void partial(String text) {
    }

    /**
     * Whether {@link #item} wants every item, whatever the verbosity: a library's listener does. The command
     * line prints items as lines, chosen by {@code -v} and {@code -i}, through {@link #info}.
     */
    default boolean wantsItems() {
        return false;
    }

    /** One item ({@code rsync/log.c:log_item}): its name, its {@code %i} change string, whether data moved. */
    default void item(String name, String changes, boolean transferred) {
    }

    /**
     * One entry of a listing ({@code --list-only}, or a source without a destination). The command line prints
     * rsync's line for it, with {@code -h}'s {@code humanReadable}; a library collects the entry itself.
     */
    default void listed(ListedEntry entry, int humanReadable) {
        info(entry.line(humanReadable));
    }

    /** A name {@code --delete} removed (a directory's ends in "/"), reported whether or not a line is printed. */
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
