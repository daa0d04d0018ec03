package dev.jrsync.session;

import java.io.PrintStream;

/** Where user-visible output goes: rsync's FINFO (stdout) and FERROR/FWARNING (stderr). */
public interface SessionLog {
    void info(String line);

    void error(String line);

    /** Text without a line end, such as a {@code --progress} update that the next one overwrites. */
    default void partial(String text) {
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
