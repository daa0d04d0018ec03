package dev.jrsync.client;

import java.util.Map;

/**
 * Where a daemon password comes from, asked only when the daemon demands one ({@code @RSYNCD: AUTHREQD},
 * {@code rsync/authenticate.c:auth_client}): the command line's password file, RSYNC_PASSWORD or a prompt, or
 * a library user's callback.
 */
@FunctionalInterface
public interface Credentials {
    /** No password: a module that asks for one refuses the session. */
    Credentials NONE = (user, module) -> null;

    /** The password of {@code user} for {@code module}, or null when there is none. */
    String password(String user, String module);

    /** rsync's sources in rsync's order: {@code --password-file}, else RSYNC_PASSWORD, else the terminal. */
    static Credentials of(String passwordFile, Map<String, String> env) {
        return (user, module) -> Passwords.lookup(passwordFile, env);
    }
}
