package dev.jrsync.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.clientserver.DaemonAuth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonAuthenticatorTest {
    @TempDir
    Path tmp;

    private final DaemonAuthenticator auth = new DaemonAuthenticator(
            u -> u.equals("carol") ? Set.of("staff") : Set.of(), false);

    private ModuleConfig module(String users, String secretsMode) throws IOException {
        Path secrets = Files.writeString(tmp.resolve("secrets"), "alice:pw-a\nbob:pw-b\n@staff:pw-staff\n");
        Files.setPosixFilePermissions(secrets, PosixFilePermissions.fromString(secretsMode));
        return RsyncdConfig.parse("[m]\npath = /x\nauth users = " + users + "\nsecrets file = " + secrets + "\n", "f")
                .module("m");
    }

    private static String reply(String user, String digest, String password, String challenge) {
        return user + " " + DaemonAuth.response(digest, password, challenge);
    }

    @Test
    void rightAndWrongPasswordsForEveryDigest() throws Exception {
        ModuleConfig m = module("alice bob:ro @staff:rw", "rw-------");
        for (String digest : new String[] {"sha512", "sha256", "sha1", "md5", "md4", DaemonAuth.OLD_MD4}) {
            String ch = DaemonAuthenticator.challenge(digest, "127.0.0.1");
            assertEquals(new DaemonAuthenticator.Login("alice", DaemonAuthenticator.Access.DEFAULT),
                    auth.verify(m, digest, ch, reply("alice", digest, "pw-a", ch)));
            assertThrows(DaemonAuthenticator.AuthFailure.class, () -> auth.verify(m, digest, ch, reply("alice", digest, "pw-b", ch)));
        }
        String ch = DaemonAuthenticator.challenge("md5", "127.0.0.1");
        assertEquals(DaemonAuthenticator.Access.READ_ONLY, auth.verify(m, "md5", ch, reply("bob", "md5", "pw-b", ch)).access());
        assertEquals(DaemonAuthenticator.Access.READ_WRITE,
                auth.verify(m, "md5", ch, reply("carol", "md5", "pw-staff", ch)).access(), "@group entry and @group secret");
        assertThrows(DaemonAuthenticator.AuthFailure.class, () -> auth.verify(m, "md5", ch, reply("eve", "md5", "pw-a", ch)));
        assertThrows(DaemonAuthenticator.AuthFailure.class, () -> auth.verify(m, "md5", ch, "alice"));
    }

    @Test
    void denyEntriesAndStrictModes() throws Exception {
        String ch = DaemonAuthenticator.challenge("md5", "127.0.0.1");
        ModuleConfig deny = module("alice:deny *", "rw-------");
        assertThrows(DaemonAuthenticator.AuthFailure.class, () -> auth.verify(deny, "md5", ch, reply("alice", "md5", "pw-a", ch)));
        assertEquals("bob", auth.verify(deny, "md5", ch, reply("bob", "md5", "pw-b", ch)).user());

        ModuleConfig loose = module("alice", "rw-r--r--");
        var e = assertThrows(DaemonAuthenticator.AuthFailure.class,
                () -> auth.verify(loose, "md5", ch, reply("alice", "md5", "pw-a", ch)));
        assertTrue(e.getMessage().contains("other-accessible"), e.getMessage());
    }

    /** rsync/util1.c:conf_strtok: a leading comma splits at commas alone, so a word may hold a space. */
    @Test
    void authUsersListsAreSplitAsRsyncSplitsThem() {
        assertEquals(java.util.List.of("alice", "bob:ro"), ModuleConfig.confWords("alice, bob:ro"));
        assertEquals(java.util.List.of("alice", "@domain users:rw", "bob"),
                ModuleConfig.confWords("  , alice ,@domain users:rw,, bob ,"));
        assertEquals(java.util.List.of("alice", "bob", "carol"), ModuleConfig.confWords("alice,bob \tcarol"));
    }

    @Test
    void authUsersFormsGrantWhatRsyncGrants() throws Exception {
        DaemonAuthenticator groups = new DaemonAuthenticator(
                u -> u.equals("carol") ? Set.of("domain users") : Set.of(), false);
        ModuleConfig m = module(", @domain users:ro, alice:D, bob:RW, dave:whatever, e*:deny, *", "rw-------");
        var users = m.authUsers();
        assertEquals(DaemonAuthenticator.Access.READ_ONLY, groups.matchAuthUsers(users, "carol"),
                "a group name with a space, in the leading-comma form");
        assertThrows(DaemonAuthenticator.AuthFailure.class, () -> groups.matchAuthUsers(users, "alice"),
                "only the first letter of the option counts: d... denies");
        assertEquals(DaemonAuthenticator.Access.READ_WRITE, groups.matchAuthUsers(users, "bob"));
        assertEquals(DaemonAuthenticator.Access.DEFAULT, groups.matchAuthUsers(users, "dave"), "an unknown option is none");
        assertThrows(DaemonAuthenticator.AuthFailure.class, () -> groups.matchAuthUsers(users, "eve"));
        assertEquals(DaemonAuthenticator.Access.DEFAULT, groups.matchAuthUsers(users, "frank"));
    }

    /** rsync 3.5's "auth digest" floor: a weaker negotiated digest, or a floor naming no digest, refuses. */
    @Test
    void authDigestFloor() throws Exception {
        ModuleConfig sha256 = RsyncdConfig.parse("[m]\npath = /x\nauth digest = SHA256\n", "f").module("m");
        DaemonAuthenticator.checkDigestFloor(sha256, "sha512");
        DaemonAuthenticator.checkDigestFloor(sha256, "sha256");
        var weak = assertThrows(DaemonAuthenticator.AuthFailure.class,
                () -> DaemonAuthenticator.checkDigestFloor(sha256, "md5"));
        assertTrue(weak.getMessage().contains("weaker than the required 'auth digest = SHA256'"), weak.getMessage());
        assertThrows(DaemonAuthenticator.AuthFailure.class,
                () -> DaemonAuthenticator.checkDigestFloor(sha256, DaemonAuth.OLD_MD4));
        ModuleConfig bogus = RsyncdConfig.parse("[m]\npath = /x\nauth digest = sha3-512\n", "f").module("m");
        var unknown = assertThrows(DaemonAuthenticator.AuthFailure.class,
                () -> DaemonAuthenticator.checkDigestFloor(bogus, "sha512"));
        assertTrue(unknown.getMessage().contains("is not a supported digest"), unknown.getMessage());
        DaemonAuthenticator.checkDigestFloor(RsyncdConfig.parse("[m]\npath = /x\n", "f").module("m"), "md4");
    }

    @Test
    void challengeLengthFollowsTheDigest() {
        assertEquals(86, DaemonAuthenticator.challenge("sha512", "::1").length());
        assertEquals(22, DaemonAuthenticator.challenge("md5", "::1").length());
    }

    @Test
    void connectionSlotsCountWithoutLocks() {
        ConnectionSlots slots = new ConnectionSlots();
        assertTrue(slots.claim("m", 2));
        assertTrue(slots.claim("m", 2));
        assertEquals(false, slots.claim("m", 2));
        slots.release("m");
        assertTrue(slots.claim("m", 2));
        assertTrue(slots.claim("other", 0), "0 means unlimited");
    }
}
