package dev.jrsync.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.testing.CurrentUser;
import dev.jrsync.testing.ProcessResult;
import dev.jrsync.testing.StockClient;
import dev.jrsync.testing.StockRsync;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stock rsync client against our daemon's module hooks ({@code early exec}, {@code pre-xfer exec},
 * {@code post-xfer exec}), {@code %VAR%} in a module path and {@code &include}: what an administrator's
 * scripts see and what the client is told.
 */
class DaemonExecIntegrationTest {
    @TempDir
    Path tmp;
    Path src;
    Path out;
    JavaDaemon daemon;

    @BeforeEach
    void start() throws IOException {
        src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("a.txt"), "alpha\n");
        out = Files.createDirectories(tmp.resolve("out"));
        Files.createDirectories(tmp.resolve("homes/alice"));
        Files.createDirectories(tmp.resolve("deny"));
        Files.createDirectories(tmp.resolve("inc"));
        Files.createDirectories(tmp.resolve("My Files"));
        Path secrets = Files.writeString(tmp.resolve("secrets"), "alice:sesame\n");
        Files.setPosixFilePermissions(secrets, PosixFilePermissions.fromString("rw-------"));
        // each hook writes what it saw where the test can read it
        Path pre = script("pre.sh", "env > " + out + "/pre.env\nls -l /proc/$$/fd > " + out + "/pre.fds\n");
        Path post = script("post.sh", "echo \"$RSYNC_MODULE_NAME $RSYNC_EXIT_STATUS $RSYNC_RAW_STATUS\" >> "
                + out + "/post.out\n");
        Path early = script("early.sh", "cat > " + out + "/early.in\n");
        Path refuse = script("refuse.sh", "echo \"not today, $RSYNC_USER_NAME\"\nexit 3\n");
        // a name converter that knows every name by one id, and logs each request and its environment
        Path converter = script("convert.sh", "echo \"$RSYNC_MODULE_NAME $RSYNC_REQUEST\" > " + out + "/conv.env\n"
                + "while read cmd name; do echo \"$cmd $name\" >> " + out + "/conv.log\n"
                + "case $cmd in usr) echo 4242;; grp) echo 4343;; *) echo mapped;; esac; done\n");
        Files.createDirectories(tmp.resolve("conv"));
        Path confD = Files.createDirectories(tmp.resolve("rsyncd.d"));
        Files.writeString(confD.resolve("inc.conf"), "read only = no\n[inc]\npath = " + tmp.resolve("inc") + "\n");
        daemon = JavaDaemon.start(tmp.resolve("daemon"), JavaDaemon.asTestUser() + """
                auth users = alice
                secrets file = %s
                [home]
                path = %s/homes/%%RSYNC_USER_NAME%%
                read only = no
                early exec = %s
                pre-xfer exec = %s
                post-xfer exec = %s
                [deny]
                path = %s
                read only = no
                pre-xfer exec = %s
                post-xfer exec = %s
                [global]
                auth users =
                &include %s
                [spaced]
                path = %s
                read only = no
                pre-xfer exec = touch %s/ran %%RSYNC_MODULE_PATH%%/ran
                [conv]
                path = %s
                read only = no
                numeric ids = no
                name converter = %s
                """.formatted(secrets, tmp, early, pre, post, tmp.resolve("deny"), refuse, post, confD,
                tmp.resolve("My Files"), tmp, tmp.resolve("conv"), converter),
                Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        daemon.close();
    }

    private Path script(String name, String body) throws IOException {
        Path p = Files.writeString(tmp.resolve(name), "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    private static ProcessResult rsync(String... args) {
        return StockClient.of(StockRsync.requireOnPath()).password("sesame").timeout(Duration.ofSeconds(60))
                .run(args);
    }

    /** post-xfer exec runs once the client is gone: waits for its line, bounded. */
    private String postLine(String module) throws Exception {
        Path f = out.resolve("post.out");
        for (int i = 0; i < 100; i++) {
            if (Files.exists(f)) {
                for (String line : Files.readAllLines(f)) {
                    if (line.startsWith(module + " ")) {
                        return line;
                    }
                }
            }
            Thread.sleep(100);
        }
        return "no post-xfer line for " + module + " in " + (Files.exists(f) ? Files.readString(f) : "(none)");
    }

    @Test
    void hooksRunWithTheSessionsEnvironmentAroundATransfer() throws Exception {
        Path input = Files.writeString(tmp.resolve("early-input"), "EARLY-PAYLOAD");
        rsync("-r", "--early-input=" + input, src + "/", "rsync://alice@127.0.0.1:" + daemon.port + "/home/sub/")
                .assertSuccess();
        assertEquals("alpha\n", Files.readString(tmp.resolve("homes/alice/sub/a.txt")),
                "path = .../%RSYNC_USER_NAME% is alice's directory");
        assertEquals("EARLY-PAYLOAD", Files.readString(out.resolve("early.in")));

        Map<String, String> env = Files.readAllLines(out.resolve("pre.env")).stream().filter(l -> l.contains("="))
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1),
                        (a, b) -> a));
        assertEquals("home", env.get("RSYNC_MODULE_NAME"));
        assertEquals(tmp.resolve("homes/alice").toString(), env.get("RSYNC_MODULE_PATH"));
        assertEquals("127.0.0.1", env.get("RSYNC_HOST_ADDR"));
        assertEquals("alice", env.get("RSYNC_USER_NAME"));
        assertEquals("home/sub/", env.get("RSYNC_REQUEST"));
        assertEquals("rsyncd", env.get("RSYNC_ARG0"));
        assertEquals("--server", env.get("RSYNC_ARG1"));
        assertTrue(env.values().contains("/sub/"), "a path argument without its module name: " + env);
        assertEquals(Long.toString(ProcessHandle.current().pid()), env.get("RSYNC_PID"));
        assertFalse(env.containsKey("RSYNC_EXIT_STATUS"));

        String fds = Files.readString(out.resolve("pre.fds"));
        assertFalse(fds.contains("socket:"), "the hook holds no socket of the daemon's:\n" + fds);

        assertEquals("home 0 0", postLine("home"));
    }

    /**
     * rsync's suite daemon-early-exec-nameconv: a module's {@code name converter} is asked for the ids of the
     * owner names a client sends ("usr NAME", "grp NAME"), with the session's environment, and its answers own
     * the files written.
     */
    @Test
    void aNameConverterMapsTheOwnersOfAPush() throws Exception {
        Assumptions.assumeTrue(CurrentUser.isRoot(), "owners can only be given as root");
        Path f = src.resolve("a.txt");
        Files.setOwner(f, f.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("daemon"));
        Files.getFileAttributeView(f, PosixFileAttributeView.class).setGroup(
                f.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName("daemon"));
        rsync("-rog", src + "/", "rsync://127.0.0.1:" + daemon.port + "/conv/").assertSuccess();
        Path written = tmp.resolve("conv/a.txt");
        assertEquals(4242, Files.getAttribute(written, "unix:uid"));
        assertEquals(4343, Files.getAttribute(written, "unix:gid"));
        List<String> asked = Files.readAllLines(out.resolve("conv.log"));
        assertTrue(asked.contains("usr daemon") && asked.contains("grp daemon"), asked.toString());
        assertEquals("conv conv/", Files.readString(out.resolve("conv.env")).strip());
    }

    @Test
    void aFailingPreXferExecRefusesTheTransferWithItsOutput() throws Exception {
        ProcessResult r = rsync("-r", src + "/", "rsync://alice@127.0.0.1:" + daemon.port + "/deny/");
        assertNotEquals(0, r.exitCode());
        assertTrue(r.stderr().contains("pre-xfer exec returned failure (768)"), r.transcript());
        assertTrue(r.stderr().contains("not today, alice"), r.transcript());
        assertEquals(List.of(), List.of(tmp.resolve("deny").toFile().list()), "nothing was written");
        assertEquals("deny 4 1024", postLine("deny"), "post-xfer sees the refusal's exit status");
    }

    @Test
    void aValueAShellWouldActOnRefusesTheSessionAndIncludedModulesServe() throws Exception {
        ProcessResult r = StockClient.of(StockRsync.requireOnPath()).timeout(Duration.ofSeconds(60))
                .run("-r", src + "/", "rsync://127.0.0.1:" + daemon.port + "/spaced/");
        assertNotEquals(0, r.exitCode());
        assertTrue(daemon.log().contains("refusing to run shell hook: %RSYNC_MODULE_PATH% holds a shell metacharacter"),
                daemon.log());
        assertFalse(Files.exists(tmp.resolve("ran")), "the hook did not run");
        assertEquals(List.of(), List.of(tmp.resolve("My Files").toFile().list()), "nothing was written");

        StockClient.of(StockRsync.requireOnPath()).timeout(Duration.ofSeconds(60))
                .run("-r", src + "/", "rsync://127.0.0.1:" + daemon.port + "/inc/").assertSuccess();
        assertEquals("alpha\n", Files.readString(tmp.resolve("inc/a.txt")), "the &include'd module serves");
    }
}
