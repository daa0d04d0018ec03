package dev.jrsync.daemon;

import dev.jrsync.client.DaemonAuth;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The daemon side of challenge-response authentication ({@code rsync/authenticate.c:auth_server},
 * {@code check_secret}, {@code gen_challenge}). The response is recomputed with
 * {@link DaemonAuth#response}, the function the client side uses to answer.
 */
public final class DaemonAuthenticator {
    /** What a successful login grants. */
    public enum Access { DEFAULT, READ_ONLY, READ_WRITE }

    /** An accepted user and the access its {@code auth users} entry grants. */
    public record Login(String user, Access access) {}

    /** Why a login failed; the message goes to the daemon log, the client only sees "auth failed". */
    public static final class AuthFailure extends Exception {
        public AuthFailure(String message) {
            super(message);
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Function<String, Set<String>> groupsOf;
    private final boolean amRoot;

    /**
     * @param groupsOf the group names a user belongs to (for {@code @group} entries)
     * @param amRoot   whether the daemon runs as root (then strict modes also wants a root-owned secrets file)
     */
    public DaemonAuthenticator(Function<String, Set<String>> groupsOf, boolean amRoot) {
        this.groupsOf = groupsOf;
        this.amRoot = amRoot;
    }

    /** A fresh challenge, as long as the digest's output ({@code gen_challenge}): the client treats it as opaque. */
    public static String challenge(String digest, String clientAddress) {
        byte[] noise = new byte[32];
        RANDOM.nextBytes(noise);
        return DaemonAuth.response(digest, clientAddress, Base64.getEncoder().encodeToString(noise));
    }

    /**
     * Checks the client's reply line ({@code user response}) against the module's {@code auth users} and
     * {@code secrets file}.
     */
    public Login verify(ModuleConfig module, String digest, String challenge, String reply) throws AuthFailure {
        int space = reply.indexOf(' ');
        if (space <= 0) {
            throw new AuthFailure("malformed auth reply (no user name)");
        }
        String user = reply.substring(0, space);
        String response = reply.substring(space + 1).strip();
        if (user.startsWith("#") || user.indexOf(':') >= 0) {
            throw new AuthFailure("invalid user name \"" + user + "\"");
        }
        Access access = matchAuthUsers(module.authUsers(), user);
        List<String> secrets = readSecrets(module);
        Set<String> groups = null;
        for (String line : secrets) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int colon = l.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String who = l.substring(0, colon);
            boolean applies;
            if (who.startsWith("@")) {
                if (groups == null) {
                    groups = groupsOf.apply(user);
                }
                applies = groups.contains(who.substring(1));
            } else {
                applies = who.equals(user);
            }
            if (applies && constantTimeEquals(DaemonAuth.response(digest, l.substring(colon + 1), challenge), response)) {
                return new Login(user, access);
            }
        }
        throw new AuthFailure("password mismatch for user \"" + user + "\"");
    }

    /**
     * The first {@code auth users} entry that matches wins ({@code auth_server}): {@code user} or
     * {@code @group}, shell wildcards allowed, optionally {@code :deny}, {@code :ro} or {@code :rw}.
     */
    Access matchAuthUsers(List<String> entries, String user) throws AuthFailure {
        Set<String> groups = null;
        for (String entry : entries) {
            String pattern = entry;
            String suffix = "";
            int colon = entry.lastIndexOf(':');
            if (colon > 0) {
                pattern = entry.substring(0, colon);
                suffix = entry.substring(colon + 1).toLowerCase(java.util.Locale.ROOT);
            }
            boolean match;
            if (pattern.startsWith("@")) {
                if (groups == null) {
                    groups = groupsOf.apply(user);
                }
                String gp = pattern.substring(1);
                match = groups.stream().anyMatch(g -> wildmatch(gp, g));
            } else {
                match = wildmatch(pattern, user);
            }
            if (!match) {
                continue;
            }
            return switch (suffix) {
                case "deny" -> throw new AuthFailure("user \"" + user + "\" denied by \"" + entry + "\"");
                case "ro" -> Access.READ_ONLY;
                case "rw" -> Access.READ_WRITE;
                default -> Access.DEFAULT;
            };
        }
        throw new AuthFailure("user \"" + user + "\" is not in auth users");
    }

    /** The secrets file, refused when {@code strict modes} finds it other-accessible ({@code check_secret}). */
    private List<String> readSecrets(ModuleConfig module) throws AuthFailure {
        String file = module.secretsFile();
        if (file == null || file.isEmpty()) {
            throw new AuthFailure("no secrets file for module " + module.name());
        }
        Path p = Path.of(file);
        try {
            if (module.strictModes()) {
                int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                if ((mode & 06) != 0) {
                    throw new AuthFailure("secrets file must not be other-accessible (see strict modes option)");
                }
                int uid = (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
                if (amRoot && uid != 0) {
                    throw new AuthFailure("secrets file must be owned by root when running as root (see strict modes)");
                }
            }
            return Files.readAllLines(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AuthFailure("cannot read secrets file " + file + ": " + e.getMessage());
        }
    }

    static boolean wildmatch(String pattern, String name) {
        if (pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0 && pattern.indexOf('[') < 0) {
            return pattern.equals(name);
        }
        if (name.indexOf('/') >= 0 || name.isEmpty()) {
            return false;
        }
        return FileSystems.getDefault().getPathMatcher("glob:" + pattern).matches(Path.of(name));
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }
}
