package dev.jrsync.client;

import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import dev.jrsync.fs.LocalStat;
import dev.jrsync.fs.OperatorPath;
import dev.jrsync.fs.Posix;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Where the daemon password comes from ({@code rsync/authenticate.c:getpassf}, {@code auth_client}). */
public final class Passwords {
    private Passwords() {}

    /** rsync reads one buffer of 512 bytes and takes its first line. */
    private static final int MAX_READ = 511;

    /** --password-file, else RSYNC_PASSWORD, else a prompt on the terminal; null when none can be had. */
    public static String lookup(String passwordFile, Map<String, String> env) {
        if (passwordFile != null) {
            return fromFile(passwordFile);
        }
        String fromEnv = env.get("RSYNC_PASSWORD");
        if (fromEnv != null) {
            return fromEnv;
        }
        Console console = System.console();
        if (console != null) {
            char[] pw = console.readPassword("Password: ");
            return pw == null ? null : new String(pw);
        }
        return null;
    }

    /**
     * The first line of the file, opened without following anyone else's symlink ({@link OperatorPath}: its
     * line is sent to the daemon, so a planted link would leak what it points at) and checked on the
     * descriptor read, not the name: not readable by others, and root's own when running as root.
     */
    static String fromFile(String name) {
        byte[] content;
        if (name.equals("-")) {
            try {
                content = System.in.readNBytes(MAX_READ);
            } catch (IOException e) {
                throw new RsyncException(ExitCode.SYNTAX, "rsync: could not read password from stdin: " + e.getMessage());
            }
        } else {
            int fd;
            try {
                fd = OperatorPath.openFile(Path.of(""), name, false);
            } catch (IOException e) {
                throw new RsyncException(ExitCode.SYNTAX, "rsync: could not open password file " + name + ": "
                        + Posix.describe(e));
            }
            try {
                LocalStat st = Posix.fstat(fd);
                if ((st.mode() & 0006) != 0) {
                    throw new RsyncException(ExitCode.SYNTAX, "ERROR: password file must not be other-accessible");
                }
                if (Posix.geteuid() == 0 && st.uid() != 0) {
                    throw new RsyncException(ExitCode.SYNTAX,
                            "ERROR: password file must be owned by root when running as root");
                }
                try (InputStream in = Files.newInputStream(OperatorPath.pinned(fd))) {
                    content = in.readNBytes(MAX_READ);
                }
            } catch (IOException e) {
                throw new RsyncException(ExitCode.SYNTAX, "rsync: could not read password file " + name + ": "
                        + Posix.describe(e));
            } finally {
                Posix.close(fd);
            }
        }
        String s = new String(content, StandardCharsets.UTF_8);
        int start = 0;
        while (start < s.length() && (s.charAt(start) == '\n' || s.charAt(start) == '\r')) {
            start++;
        }
        int end = start;
        while (end < s.length() && s.charAt(end) != '\n' && s.charAt(end) != '\r') {
            end++;
        }
        if (end == start) {
            throw new RsyncException(ExitCode.SYNTAX, "ERROR: failed to read a password from " + name);
        }
        return s.substring(start, end);
    }
}
