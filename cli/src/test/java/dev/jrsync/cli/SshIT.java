package dev.jrsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.testing.CurrentUser;
import dev.jrsync.testing.OpenSshd;
import dev.jrsync.testing.Peers;
import dev.jrsync.testing.ProcessResult;
import dev.jrsync.testing.StockClient;
import dev.jrsync.testing.StockRsync;
import dev.jrsync.testing.TestTrees;
import dev.jrsync.testing.TreeAssert;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * rsync over ssh with no ssh program: bin/jrsync connects in-process to a real OpenSSH server on a loopback
 * port and runs stock {@code rsync --server} or {@code jrsync --server} there. The client's ~/.ssh is the
 * test's (user.home through JRSYNC_JAVA_OPTS) or none, never the machine's.
 */
class SshIT {
    private static final Path LAUNCHER = Path.of("..", "bin", "jrsync").toAbsolutePath().normalize();
    private static final Duration TIMEOUT = Duration.ofSeconds(180);

    /** bin/jrsync as a user runs it, in a process of its own: what it prints to stderr is checked too. */
    private static StockClient jrsync(Path home) {
        return StockClient.of(new StockRsync(LAUNCHER, "jrsync", 32)).timeout(TIMEOUT)
                .env("JRSYNC_JAVA_OPTS", "-Duser.home=" + home);
    }

    /** Pushes the varied tree twice (the second a delta of the big file), then pulls it back twice. */
    private static void pushAndPull(StockClient client, List<String> remote, String host, Path tmp) throws Exception {
        Path src = tmp.resolve("src");
        TestTrees.buildVaried(src, TestTrees.Omit.SPECIALS);
        Path dest = tmp.resolve("dest");
        client.run(with(remote, "-a", src + "/", host + ":" + dest + "/")).assertSuccess();
        TreeAssert.assertIdentical(src, dest, TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));
        TestTrees.editInPlace(src.resolve(TestTrees.BIG_FILE), 11, 3);
        ProcessResult pushed = client.run(with(remote, "-a", "--stats", src + "/", host + ":" + dest + "/"))
                .assertSuccess();
        TreeAssert.assertIdentical(src, dest, TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));
        assertTrue(pushed.stats().literalData() < TestTrees.BIG_SIZE / 20, pushed::transcript);

        Path back = tmp.resolve("back");
        client.run(with(remote, "-a", host + ":" + src + "/", back + "/")).assertSuccess();
        TreeAssert.assertIdentical(src, back, TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));
        TestTrees.editInPlace(src.resolve(TestTrees.BIG_FILE), 12, 3);
        ProcessResult pulled = client.run(with(remote, "-a", "--stats", host + ":" + src + "/", back + "/"))
                .assertSuccess();
        TreeAssert.assertIdentical(src, back, TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));
        assertTrue(pulled.stats().literalData() < TestTrees.BIG_SIZE / 20, pulled::transcript);
    }

    private static String[] with(List<String> first, String... rest) {
        List<String> all = new ArrayList<>(first);
        all.addAll(List.of(rest));
        return all.toArray(String[]::new);
    }

    @Test
    void pushesAndPullsWithStockRsyncAtTheFarEnd(@TempDir Path tmp) throws Exception {
        try (OpenSshd sshd = OpenSshd.start(tmp.resolve("sshd"))) {
            StockRsync rsync = StockRsync.requireOnPath();
            pushAndPull(jrsync(tmp.resolve("nohome")),
                    List.of("-e", sshd.rsh(), "--rsync-path=" + rsync.binary()), "127.0.0.1", tmp);
        }
    }

    /** The other way round: stock rsync through OpenSSH's own ssh program, jrsync --server at the far end. */
    @Test
    void stockRsyncThroughSshReachesJrsyncServer(@TempDir Path tmp) throws Exception {
        Path ssh = Path.of("/usr/bin/ssh");
        Peers.require(Files.isExecutable(ssh), () -> ssh + " is missing (apt-get install openssh-client)");
        try (OpenSshd sshd = OpenSshd.start(tmp.resolve("sshd"))) {
            // -F /dev/null: not the machine's ssh_config
            pushAndPull(StockClient.of(StockRsync.requireOnPath()).timeout(TIMEOUT),
                    List.of("-e", ssh + " -F /dev/null -o BatchMode=yes " + sshd.rsh().substring("ssh ".length()),
                            "--rsync-path=" + LAUNCHER), "127.0.0.1", tmp);
        }
    }

    /**
     * No -e: ~/.ssh/config names the host, port, user and key, ~/.ssh/known_hosts the host key, and jrsync is
     * at both ends; then a daemon over ssh ({@code host::module} with {@code -e ssh}) applies its module's rules.
     */
    @Test
    void jrsyncAtBothEndsThroughTheUsersSshConfig(@TempDir Path tmp) throws Exception {
        try (OpenSshd sshd = OpenSshd.start(tmp.resolve("sshd"))) {
            Path home = tmp.resolve("home");
            Path dotSsh = Files.createDirectories(home.resolve(".ssh"));
            Files.copy(sshd.knownHosts(), dotSsh.resolve("known_hosts"));
            Files.writeString(dotSsh.resolve("config"), "Host backup\n  HostName 127.0.0.1\n  Port " + sshd.port()
                    + "\n  User " + System.getProperty("user.name") + "\n  IdentityFile " + sshd.clientKey() + "\n");
            StockClient client = jrsync(home);
            pushAndPull(client, List.of("--rsync-path=" + LAUNCHER), "backup", tmp);

            // the config's own StrictHostKeyChecking and UserKnownHostsFile: a new key taken and written there
            Path fresh = home.resolve("fresh_known_hosts");
            Files.writeString(dotSsh.resolve("config"), Files.readString(dotSsh.resolve("config")) + "Host fresh\n"
                    + "  HostName 127.0.0.1\n  Port " + sshd.port() + "\n  IdentityFile " + sshd.clientKey() + "\n"
                    + "  StrictHostKeyChecking accept-new\n  UserKnownHostsFile " + fresh + "\n");
            client.run(List.of("-a", "--rsync-path=" + LAUNCHER, tmp.resolve("src") + "/", "fresh:" + tmp.resolve("fresh")))
                    .assertSuccess();
            assertTrue(Files.readString(fresh).contains("[127.0.0.1]:" + sshd.port()), Files.readString(fresh));

            Path module = Files.createDirectories(tmp.resolve("module"));
            Path conf = Files.writeString(tmp.resolve("rsyncd.conf"), "use chroot = no\nmunge symlinks = no\n"
                    + (CurrentUser.isRoot() ? "uid = 0\ngid = 0\n" : "")
                    + "[mod]\npath = " + module + "\nread only = no\n[ro]\npath = " + module + "\n");
            String[] daemon = {"-e", "ssh", "--rsync-path=" + LAUNCHER + " --config=" + conf};
            client.run(with(List.of(daemon), "-a", tmp.resolve("src") + "/", "backup::mod/")).assertSuccess();
            TreeAssert.assertIdentical(tmp.resolve("src"), module,
                    TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));
            ProcessResult refused = client.run(with(List.of(daemon), "-a", tmp.resolve("src") + "/", "backup::ro/"));
            assertTrue(refused.exitCode() != 0 && refused.stderr().contains("module is read only"),
                    refused::transcript);
        }
    }

    /** No key file at all: the client key is in an ssh-agent that SSH_AUTH_SOCK names. */
    @Test
    void aKeyInTheUsersSshAgent(@TempDir Path tmp) throws Exception {
        Path sshAgent = Path.of("/usr/bin/ssh-agent");
        Path sshAdd = Path.of("/usr/bin/ssh-add");
        Peers.require(Files.isExecutable(sshAgent) && Files.isExecutable(sshAdd),
                () -> sshAgent + " or " + sshAdd + " is missing (apt-get install openssh-client)");
        try (OpenSshd sshd = OpenSshd.start(tmp.resolve("sshd"))) {
            Path socket = tmp.resolve("agent.sock");
            Process agent = new ProcessBuilder(sshAgent.toString(), "-D", "-a", socket.toString())
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("agent.log").toFile()).start();
            try {
                for (int i = 0; i < 200 && !Files.exists(socket); i++) {
                    Thread.sleep(50);
                }
                ProcessBuilder add = new ProcessBuilder(sshAdd.toString(), sshd.clientKey().toString())
                        .redirectErrorStream(true);
                add.environment().put("SSH_AUTH_SOCK", socket.toString());
                Process added = add.start();
                String out = new String(added.getInputStream().readAllBytes());
                assertEquals(0, added.waitFor(), out);

                Path src = tmp.resolve("src");
                TestTrees.buildVaried(src, TestTrees.Omit.SPECIALS);
                String rsh = "ssh -p " + sshd.port() + " -o UserKnownHostsFile=" + sshd.knownHosts();
                jrsync(tmp.resolve("nohome")).env("SSH_AUTH_SOCK", socket.toString()).run(List.of("-a", "-e", rsh,
                        "--rsync-path=/usr/bin/rsync", src + "/", "127.0.0.1:" + tmp.resolve("dest") + "/"))
                        .assertSuccess();
                TreeAssert.assertIdentical(src, tmp.resolve("dest"),
                        TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));
            } finally {
                agent.destroy();
                agent.waitFor();
            }
        }
    }

    @Test
    void anUnknownHostKeyIsRefusedNamingItsFingerprint(@TempDir Path tmp) throws Exception {
        try (OpenSshd sshd = OpenSshd.start(tmp.resolve("sshd"))) {
            Path empty = Files.writeString(tmp.resolve("empty_known_hosts"), "");
            Path src = Files.createDirectories(tmp.resolve("src"));
            Path dest = tmp.resolve("dest");
            ProcessResult r = jrsync(tmp.resolve("nohome")).run(List.of("-a", "-e", "ssh -p " + sshd.port() + " -i "
                    + sshd.clientKey() + " -o UserKnownHostsFile=" + empty, src + "/", "127.0.0.1:" + dest + "/"));
            assertEquals(12, r.exitCode(), r::transcript);
            assertTrue(r.stderr().contains("Host key verification failed."), r::transcript);
            assertTrue(r.stderr().contains("[127.0.0.1]:" + sshd.port()), r::transcript);
            assertTrue(r.stderr().contains(sshd.hostKeyFingerprint()), r::transcript);
            assertFalse(Files.exists(dest), "nothing ran at the far end");
            assertFalse(sshd.log().contains("Accepted publickey"), sshd::log);

            // accept-new takes an unknown key and writes it down, so the next run knows it
            String rsh = "ssh -p " + sshd.port() + " -i " + sshd.clientKey() + " -o UserKnownHostsFile=" + empty;
            jrsync(tmp.resolve("nohome")).run(List.of("-a", "-e", rsh + " -o StrictHostKeyChecking=accept-new",
                    src + "/", "127.0.0.1:" + dest + "/")).assertSuccess();
            assertTrue(Files.readString(empty).contains("[127.0.0.1]:" + sshd.port()), Files.readString(empty));
            jrsync(tmp.resolve("nohome")).run(List.of("-a", "-e", rsh, src + "/", "127.0.0.1:" + dest + "/"))
                    .assertSuccess();

            // a known key that is not the server's is refused whatever StrictHostKeyChecking says
            Path other = OpenSshd.keygen(tmp.resolve("other_host_key"));
            Path changed = Files.writeString(tmp.resolve("changed_known_hosts"), "[127.0.0.1]:" + sshd.port() + " "
                    + Files.readString(other.resolveSibling("other_host_key.pub")));
            ProcessResult c = jrsync(tmp.resolve("nohome")).run(List.of("-a", "-e", "ssh -p " + sshd.port() + " -i "
                    + sshd.clientKey() + " -o UserKnownHostsFile=" + changed + " -o StrictHostKeyChecking=no",
                    src + "/", "127.0.0.1:" + tmp.resolve("dest2") + "/"));
            assertEquals(12, c.exitCode(), c::transcript);
            assertTrue(c.stderr().contains("REMOTE HOST IDENTIFICATION HAS CHANGED")
                    && c.stderr().contains("Host key verification failed."), c::transcript);
            assertFalse(Files.exists(tmp.resolve("dest2")), "nothing ran at the far end");
        }
    }

    @Test
    void aKeyTheServerDoesNotKnowFailsClearly(@TempDir Path tmp) throws Exception {
        try (OpenSshd sshd = OpenSshd.start(tmp.resolve("sshd"))) {
            Path wrong = OpenSshd.keygen(tmp.resolve("wrong_key"));
            Path src = Files.createDirectories(tmp.resolve("src"));
            ProcessResult r = jrsync(tmp.resolve("nohome")).run(List.of("-a", "-e", "ssh -p " + sshd.port() + " -i "
                    + wrong + " -o UserKnownHostsFile=" + sshd.knownHosts(), src + "/", "127.0.0.1:" + tmp.resolve("d")));
            assertEquals(12, r.exitCode(), r::transcript);
            assertTrue(r.stderr().contains("@127.0.0.1: Permission denied"), r::transcript);
        }
    }

    @Test
    void aHostThatCannotBeReachedIsNamedAsSshNamesIt(@TempDir Path tmp) throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        ProcessResult refused = jrsync(tmp.resolve("nohome")).run(List.of("-a", "-e", "ssh -p " + closed,
                src + "/", "127.0.0.1:" + tmp.resolve("d")));
        assertEquals(12, refused.exitCode(), refused::transcript);
        assertTrue(refused.stderr().contains("ssh: connect to host 127.0.0.1 port " + closed + ": Connection refused"),
                refused::transcript);
        ProcessResult unknown = jrsync(tmp.resolve("nohome")).run(List.of("-a", src + "/", "nosuchhost.invalid:d"));
        assertEquals(12, unknown.exitCode(), unknown::transcript);
        assertTrue(unknown.stderr().contains("ssh: Could not resolve hostname nosuchhost.invalid"), unknown::transcript);
    }

    @Test
    void anSshOptionTheClientDoesNotTakeIsNamed(@TempDir Path tmp) throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        ProcessResult r = jrsync(tmp.resolve("nohome")).run(List.of("-a", "-e", "/usr/bin/ssh -p 2222 -o ProxyJump=x",
                src + "/", "127.0.0.1:" + tmp.resolve("d")));
        assertEquals(1, r.exitCode(), r::transcript);
        assertTrue(r.stderr().contains("does not support the option -o ProxyJump"), r::transcript);
    }
}
