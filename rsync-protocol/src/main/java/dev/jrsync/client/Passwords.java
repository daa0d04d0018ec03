package dev.jrsync.client;

import dev.jrsync.session.ExitCode;
import dev.jrsync.session.RsyncException;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

/** Where the daemon password comes from ({@code rsync/authenticate.c:getpassf}, {@code auth_client}). */
public final class Passwords {
    private Passwords() {}

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

    /** The first line of the file, which must not be readable by others (rsync refuses it too). */
    static String fromFile(String name) {
        try {
            byte[] content;
            if (name.equals("-")) {
                content = System.in.readAllBytes();
            } else {
                Path p = Path.of(name);
                int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                if ((mode & 0006) != 0) {
                    throw new RsyncException(ExitCode.SYNTAX, "ERROR: password file must not be other-accessible");
                }
                int uid = (Integer) Files.getAttribute(p, "unix:uid");
                int me = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
                if (me == 0 && uid != 0) {
                    throw new RsyncException(ExitCode.SYNTAX, "ERROR: password file must be owned by root when running as root");
                }
                content = Files.readAllBytes(p);
            }
            String s = new String(content, StandardCharsets.UTF_8);
            int end = 0;
            while (end < s.length() && s.charAt(end) != '\n' && s.charAt(end) != '\r') {
                end++;
            }
            return s.substring(0, end);
        } catch (IOException e) {
            throw new RsyncException(ExitCode.SYNTAX, "ERROR: could not read password file " + name + ": " + e.getMessage());
        }
    }
}
