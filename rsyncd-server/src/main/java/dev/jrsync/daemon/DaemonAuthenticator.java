package dev.jrsync.daemon;

import dev.jrsync.clientserver.DaemonAuth;
import dev.jrsync.filter.WildMatch;
import dev.jrsync.fs.OperatorFile;
import dev.jrsync.fs.Posix;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
        private final String user;

        public AuthFailure(String message) {
            this(message, null);
        }

        /** A failure of a login as {@code user}, which rsync's log line names ("for USER"). */
        public AuthFailure(String message, String user) {
            super(message);
            this.user = user;
        }

        /** The user the client logged in as, or null when the failure came before a name. */
        public String user() {
            return user;
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    /** A secrets file is a few lines; more than this is not one. */
    static final int MAX_SECRETS_BYTES = 1 << 20;

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
        Access access;
        List<String> secrets;
        try {
            access = matchAuthUsers(module.authUsers(), user);
            secrets = readSecrets(module);
        } catch (AuthFailure e) {
            throw new AuthFailure(e.getMessage(), user);
        }
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
        throw new AuthFailure("password mismatch", user);
    }

    /**
     * Refuses a negotiated digest weaker than the module's {@code auth digest} floor, and any login at all
     * when the floor names no digest we know (rsync 3.5's {@code auth_server}, {@code auth_digest_rank}):
     * a misspelt floor must not quietly let md4 in.
     */
    static void checkDigestFloor(ModuleConfig module, String digest) throws AuthFailure {
        String floor = module.authDigest();
        if (floor == null) {
            return;
        }
        int floorRank = digestRank(floor);
        if (floorRank < 0) {
            throw new AuthFailure("the configured 'auth digest = " + floor + "' is not a supported digest on this build");
        }
        int rank = digestRank(digest.equals(DaemonAuth.OLD_MD4) ? "md4" : digest);
        if (rank < 0 || rank > floorRank) {
            throw new AuthFailure("negotiated auth digest " + digest + " is weaker than the required 'auth digest = "
                    + floor + "'");
        }
    }

    /** The strength rank of a digest (0 is the strongest), or -1 for one we do not have. */
    private static int digestRank(String name) {
        for (int i = 0; i < DaemonAuth.DIGESTS.size(); i++) {
            if (DaemonAuth.DIGESTS.get(i).equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The first {@code auth users} entry that matches wins ({@code auth_server}): {@code user} or
     * {@code @group}, wildcards allowed, optionally followed by a colon and an option of which, as in
     * rsync, only the first letters count: {@code d...} denies, {@code ro} and {@code rw} set the access,
     * anything else is no option.
     */
    Access matchAuthUsers(List<String> entries, String user) throws AuthFailure {
        Set<String> groups = null;
        for (String entry : entries) {
            int colon = entry.indexOf(':');
            String pattern = colon < 0 ? entry : entry.substring(0, colon);
            String opt = colon < 0 ? "" : entry.substring(colon + 1).toLowerCase(java.util.Locale.ROOT);
            boolean match;
            if (pattern.startsWith("@")) {
                if (groups == null) {
                    groups = groupsOf.apply(user);
                }
                String gp = pattern.substring(1);
                match = groups.stream().anyMatch(g -> WildMatch.matches(gp, g));
            } else {
                match = WildMatch.matches(pattern, user);
            }
            if (!match) {
                continue;
            }
            if (opt.startsWith("d")) {
                throw new AuthFailure("denied by rule");
            }
            return opt.startsWith("ro") ? Access.READ_ONLY : opt.startsWith("rw") ? Access.READ_WRITE : Access.DEFAULT;
        }
        throw new AuthFailure("no matching rule");
    }

    /**
     * The secrets file, opened without following a planted symlink and refused when {@code strict modes}
     * finds the opened file other-accessible, or not root's while we run as root ({@code check_secret}).
     */
    private List<String> readSecrets(ModuleConfig module) throws AuthFailure {
        String file = module.secretsFile();
        if (file == null || file.isEmpty()) {
            throw new AuthFailure("no secrets file");
        }
        OperatorFile.Contents secrets;
        try {
            secrets = OperatorFile.read(file, MAX_SECRETS_BYTES);
        } catch (IOException e) {
            throw new AuthFailure("no secrets file (" + file + ": " + Posix.describe(e) + ")");
        }
        if (module.strictModes()) {
            if ((secrets.stat().mode() & 06) != 0) {
                throw new AuthFailure("secrets file must not be other-accessible (see strict modes option)");
            }
            if (amRoot && secrets.stat().uid() != 0) {
                throw new AuthFailure("secrets file must be owned by root when running as root (see strict modes)");
            }
        }
        return secrets.text().lines().toList();
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }
}
