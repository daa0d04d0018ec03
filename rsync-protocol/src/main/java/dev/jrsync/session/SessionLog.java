package dev.jrsync.session;

import java.io.PrintStream;

/** Where user-visible output goes: rsync's FINFO (stdout) and FERROR/FWARNING (stderr). */
public interface SessionLog {
    void info(String line);

    void error(String line);

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
        };
    }
}
