package dev.jrsync.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.client.DaemonAuth;
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
