package dev.jrsync.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.testing.CurrentUser;
import dev.jrsync.testing.Peers;
import dev.jrsync.testing.ProcessResult;
import dev.jrsync.testing.StockClient;
import dev.jrsync.testing.StockRsync;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stock rsync client against the daemon's access rules, its handshake deadline, its secrets and motd
 * files and its log: each rule must keep out whom rsyncd keeps out.
 */
class DaemonAccessTest {
    /** The uid files planted by "someone else" belong to: nobody. */
    private static final int OTHER_UID = 65534;
    private static final Pattern LOG_LINE = Pattern.compile("\\d{4}/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d \\[\\d+\\] .*");

    @TempDir
    Path tmp;
    Path pub;
    Path secrets;
    final List<JavaDaemon> daemons = new ArrayList<>();

    @BeforeEach
    void tree() throws IOException {
        pub = Files.createDirectories(tmp.resolve("pub"));
        Files.writeString(pub.resolve("hello.txt"), "hello\n");
        Path real = Files.createDirectories(tmp.resolve("conf"));
        secrets = Files.writeString(real.resolve("secrets"), "alice:sesame\n");
        Files.setPosixFilePermissions(secrets, PosixFilePermissions.fromString("rw-------"));
    }

    @AfterEach
    void stop() {
        daemons.forEach(JavaDaemon::close);
    }

    private JavaDaemon daemon(String conf) {
        JavaDaemon d = JavaDaemon.start(tmp.resolve("daemon" + daemons.size()),
                JavaDaemon.asTestUser() + "log file = " + tmp.resolve("daemon" + daemons.size() + "/rsyncd.log") + "\n"
                        + conf,
                RsyncDaemon.DEFAULT_HANDSHAKE_TIMEOUT);
        daemons.add(d);
        return d;
    }

    private static StockClient client() {
        return StockClient.of(StockRsync.requireOnPath()).timeout(Duration.ofSeconds(60));
    }

    private ProcessResult pull(JavaDaemon d, String module, String password) {
        Path dst = tmp.resolve("dst-" + module + "-" + System.nanoTime());
        StockClient c = client();
        if (password != null) {
            c.password(password);
        }
        return c.run("-a", "rsync://alice@127.0.0.1:" + d.port + "/" + module + "/", dst + "/");
    }

    private static void requireRoot() {
        Peers.require(CurrentUser.isRoot(), () -> "planting a file owned by another user needs root");
    }

    /** A symlink {@code name} to {@code target}, planted by someone else (owned by nobody). */
    private Path planted(String name, Path target) throws IOException {
        requireRoot();
        Path link = Files.createSymbolicLink(tmp.resolve(name), target);
        dev.jrsync.fs.Posix.lchown(link, OTHER_UID, -1);
        return link;
    }

    /** /etc/hosts maps localhost to 127.0.0.1: a rule naming it must keep a client from 127.0.0.1 out. */
    @Test
    void aHostsDenyRuleNamingTheClientKeepsItOut() {
        JavaDaemon d = daemon("""
                [reverse]
                path = %1$s
                hosts deny = LocalHost
                [wildcard]
                path = %1$s
                hosts deny = local*
                [forward]
                path = %1$s
                reverse lookup = no
                hosts deny = localhost
                [unresolvable]
                path = %1$s
                reverse lookup = no
                hosts deny = no-such-host.invalid
                [allowed]
                path = %1$s
                hosts allow = localhost
                hosts deny = *
                """.formatted(pub));
        for (String module : List.of("reverse", "wildcard", "forward", "unresolvable")) {
            ProcessResult r = pull(d, module, null);
            assertEquals(5, r.exitCode(), module + ": " + r.transcript());
            assertTrue(r.stderr().contains("@ERROR: access denied to " + module + " from "), r.transcript());
        }
        assertTrue(d.log().contains("rsync denied on module reverse from localhost (127.0.0.1)"), d.log());
        assertTrue(d.log().contains("rsync denied on module forward from localhost (127.0.0.1)"),
                "the forward-matched name is logged: " + d.log());
        pull(d, "allowed", null).assertSuccess();
    }

    @Test
    void anAuthDigestTheDaemonDoesNotHaveRefusesEveryLogin() {
        JavaDaemon d = daemon("""
                [bogus]
                path = %1$s
                auth users = alice
                secrets file = %2$s
                auth digest = sha3-512
                [floor]
                path = %1$s
                auth users = alice
                secrets file = %2$s
                auth digest = sha256
                """.formatted(pub, secrets));
        ProcessResult refused = pull(d, "bogus", "sesame");
        assertEquals(5, refused.exitCode(), refused.transcript());
        assertTrue(refused.stderr().contains("@ERROR: auth failed on module bogus"), refused.transcript());
        assertTrue(d.log().contains("the configured 'auth digest = sha3-512' is not a supported digest"), d.log());
        pull(d, "floor", "sesame").assertSuccess();
    }

    @Test
    void authUsersInTheLeadingCommaForm() {
        JavaDaemon d = daemon("""
                [m]
                path = %s
                auth users = , bob , alice:d
                secrets file = %s
                """.formatted(pub, secrets));
        ProcessResult r = pull(d, "m", "sesame");
        assertEquals(5, r.exitCode(), "alice:d denies alice: " + r.transcript());
        assertTrue(d.log().contains("denied by rule"), d.log());
    }

    /** rsync 3.5 drops a client that does not finish a handshake phase within the "timeout" (at most 60 s). */
    @Test
    void aSilentClientIsDroppedWithinTheTimeoutAndFreesItsSlot() throws Exception {
        JavaDaemon d = daemon("""
                timeout = 2
                [one]
                path = %s
                max connections = 1
                """.formatted(pub));
        try (Socket mute = new Socket("127.0.0.1", d.port); Socket holder = new Socket("127.0.0.1", d.port)) {
            OutputStream out = holder.getOutputStream();
            out.write("@RSYNCD: 31.0\none\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long start = System.nanoTime();
            String mutes = readUntilClosed(mute);
            String holds = readUntilClosed(holder);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(mutes.startsWith("@RSYNCD: "), mutes);
            assertTrue(holds.contains("@RSYNCD: OK"), "the silent client holds the module's one slot: " + holds);
            assertTrue(millis < 6000, "both dropped after " + millis + " ms, not within the 2 s timeout");
        }
        assertTrue(d.log().contains("daemon handshake timeout"), d.log());
        pull(d, "one", null).assertSuccess();
    }

    private static String readUntilClosed(Socket s) throws IOException {
        s.setSoTimeout(10_000);
        InputStream in = s.getInputStream();
        try {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("still connected after 10 s", e);
        }
    }

    /** A directory on the secrets file's path swapped for a symlink by another user is not followed. */
    @Test
    void aSecretsFileReachedThroughAPlantedSymlinkIsRefused() throws Exception {
        Path planted = planted("planted", secrets.getParent());
        Path trusted = Files.createSymbolicLink(tmp.resolve("trusted"), secrets.getParent());
        JavaDaemon d = daemon("""
                [planted]
                path = %1$s
                auth users = alice
                secrets file = %2$s
                [trusted]
                path = %1$s
                auth users = alice
                secrets file = %3$s
                """.formatted(pub, planted.resolve("secrets"), trusted.resolve("secrets")));
        ProcessResult r = pull(d, "planted", "sesame");
        assertEquals(5, r.exitCode(), r.transcript());
        assertTrue(r.stderr().contains("@ERROR: auth failed on module planted"), r.transcript());
        assertTrue(d.log().contains("Too many levels of symbolic links (40)") && d.log().contains("uid " + OTHER_UID), d.log());
        pull(d, "trusted", "sesame").assertSuccess();
    }

    @Test
    void anOtherReadableSecretsFileIsRefusedWithRsyncsMessage() throws Exception {
        Files.setPosixFilePermissions(secrets, PosixFilePermissions.fromString("rw-r--r--"));
        JavaDaemon d = daemon("""
                [m]
                path = %s
                auth users = alice
                secrets file = %s
                """.formatted(pub, secrets));
        ProcessResult r = pull(d, "m", "sesame");
        assertEquals(5, r.exitCode(), r.transcript());
        assertTrue(d.log().contains("secrets file must not be other-accessible (see strict modes option)"), d.log());
    }

    @Test
    void aMotdFileThatIsAPlantedSymlinkIsNotShown() throws Exception {
        Path motd = planted("motd", Files.writeString(tmp.resolve("conf/private"), "root-only words\n"));
        JavaDaemon d = daemon("motd file = %s\n[m]\npath = %s\n".formatted(motd, pub));
        ProcessResult r = client().run("rsync://127.0.0.1:" + d.port + "/").assertSuccess();
        assertFalse(r.stdout().contains("root-only words"), r.transcript());
        assertTrue(r.stdout().contains("m"), r.transcript());

        Path own = Files.writeString(tmp.resolve("motd-own"), "welcome\n");
        JavaDaemon shown = daemon("motd file = %s\n[m]\npath = %s\n".formatted(own, pub));
        assertTrue(client().run("rsync://127.0.0.1:" + shown.port + "/").assertSuccess().stdout().contains("welcome"));
    }

    /** The module's own "exclude from" file is read as rsync reads it: nobody else's symlink is followed. */
    @Test
    void anExcludeFromFileReachedThroughAPlantedSymlinkIsNotRead() throws Exception {
        Path rules = Files.writeString(tmp.resolve("conf/rules"), "- hello.txt\n");
        Path planted = planted("planted-rules", rules);
        JavaDaemon d = daemon("[planted]\npath = %s\nexclude from = %s\n[own]\npath = %1$s\nexclude from = %s\n"
                .formatted(pub, planted, rules));
        ProcessResult r = pull(d, "planted", null);
        assertEquals(5, r.exitCode(), "a daemon exclude file that cannot be opened refuses the module, as rsync's: "
                + r.transcript());
        assertTrue(d.log().contains("failed to open exclude file " + planted), d.log());
        Path dst = tmp.resolve("own-dst");
        client().run("-a", "rsync://127.0.0.1:" + d.port + "/own/", dst + "/").assertSuccess();
        assertFalse(Files.exists(dst.resolve("hello.txt")), "the module's own rules apply");
    }

    /** A newline in a client's path argument stays in its log line, as rsync's \#012. */
    @Test
    void aNewlineInAPathCannotForgeALogLine() {
        JavaDaemon d = daemon("[pub]\npath = %s\n".formatted(pub));
        String forged = "2026/01/01 00:00:00 [1] rsync on pub/ from admin (10.0.0.1)";
        ProcessResult r = client().run("-a", "rsync://127.0.0.1:" + d.port + "/pub/nothing\n" + forged,
                tmp.resolve("dst") + "/");
        assertEquals(23, r.exitCode(), r.transcript());
        String log = d.log();
        assertTrue(log.contains("rsync on pub/nothing\\#0122026/01/01 00:00:00 [1] rsync on"), log);
        for (String line : log.split("\n")) {
            assertTrue(LOG_LINE.matcher(line).matches(), "a line that is not one of the daemon's: " + line);
            assertFalse(line.startsWith("2026/01/01 00:00:00 [1]"), "a forged line: " + line);
        }
    }

    /**
     * A write the kernel refuses (an immutable file, which not even root may replace) reaches the client as
     * rsync words it: the reason as strerror, the file by its name in the module; no descriptor path from
     * the daemon's confinement, no Java exception class.
     */
    @Test
    void aFailedWriteIsReportedWithoutDescriptorPathsOrExceptionNames() throws Exception {
        requireRoot();
        Path upload = Files.createDirectories(tmp.resolve("upload"));
        Path locked = Files.writeString(upload.resolve("locked.txt"), "old\n");
        Peers.require(chattr(locked, "+i") == 0, () -> "chattr +i (e2fsprogs) on " + tmp);
        try {
            Path src = Files.createDirectories(tmp.resolve("src"));
            Files.writeString(src.resolve("locked.txt"), "new contents\n");
            JavaDaemon d = daemon("[upload]\npath = %s\nread only = no\n".formatted(upload));
            ProcessResult r = client().run("-r", src + "/", "rsync://127.0.0.1:" + d.port + "/upload/");
            assertEquals(23, r.exitCode(), r.transcript());
            assertTrue(r.stderr().contains("\"locked.txt\"") && r.stderr().contains(": Operation not permitted (1)"),
                    r.transcript());
            for (String text : List.of(r.stderr(), d.log())) {
                assertFalse(text.contains("/proc/self/fd"), text);
                assertFalse(Pattern.compile("\\b(java|javax|sun|dev\\.jrsync)\\.[\\w.]*(Exception|Error)\\b")
                        .matcher(text).find(), text);
                assertFalse(text.contains(upload.toString()), "the module's own path: " + text);
            }
            assertEquals("old\n", Files.readString(locked));
        } finally {
            chattr(locked, "-i");
        }
    }

    private static int chattr(Path file, String flag) throws IOException, InterruptedException {
        try {
            return new ProcessBuilder("chattr", flag, file.toString()).inheritIO().start().waitFor();
        } catch (IOException e) {
            return -1; // no chattr on this machine
        }
    }
}
