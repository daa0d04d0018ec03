package dev.jrsync.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH server (Debian's openssh-server, /usr/sbin/sshd) on a free loopback port, for the tests of
 * rsync over ssh: its own host key, one authorized client key, no ForceCommand, all in a temporary directory,
 * so the machine's ~/.ssh and /etc/ssh are not read. Absent sshd skips the test (fails it in CI).
 */
public final class OpenSshd implements AutoCloseable {
    private static final Path SSHD = Path.of("/usr/sbin/sshd");
    private static final Path SSH_KEYGEN = Path.of("/usr/bin/ssh-keygen");
    /** sshd's privilege separation directory, which Debian's service unit creates and a bare sshd needs. */
    private static final Path PRIVSEP = Path.of("/run/sshd");

    private final Process process;
    private final int port;
    private final Path dir;

    private OpenSshd(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /** Starts sshd with its files in {@code dir}: host key, client key, known_hosts and sshd_config. */
    public static OpenSshd start(Path dir) throws IOException, InterruptedException {
        Peers.require(Files.isExecutable(SSHD) && Files.isExecutable(SSH_KEYGEN),
                () -> SSHD + " or " + SSH_KEYGEN + " is missing (apt-get install openssh-server)");
        Peers.require(Files.isDirectory(PRIVSEP) || CurrentUser.isRoot(),
                () -> PRIVSEP + " is missing and only root may create it");
        Files.createDirectories(PRIVSEP);
        Files.createDirectories(dir);
        keygen(dir.resolve("host_key"));
        keygen(dir.resolve("client_key"));
        Files.copy(dir.resolve("client_key.pub"), dir.resolve("authorized_keys"));
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Files.writeString(dir.resolve("known_hosts"), "[127.0.0.1]:" + port + " "
                + Files.readString(dir.resolve("host_key.pub")).trim() + "\n");
        Path conf = Files.writeString(dir.resolve("sshd_config"), String.join("\n",
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + dir.resolve("host_key"),
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "PidFile " + dir.resolve("sshd.pid"),
                "UsePAM no",
                "StrictModes no",
                "PermitRootLogin yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                // what PAM's /etc/default/locale gives a login on a real host: file names are UTF-8
                "SetEnv LC_ALL=C.UTF-8",
                ""));
        Process p = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
        OpenSshd sshd = new OpenSshd(p, port, dir);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return sshd;
            } catch (IOException e) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    sshd.close();
                    throw new AssertionError("sshd did not start:\n" + Files.readString(dir.resolve("sshd.log")), e);
                }
                Thread.sleep(50);
            }
        }
    }

    /** A new ed25519 key pair without a passphrase: {@code file} and {@code file.pub}. */
    public static Path keygen(Path file) throws IOException, InterruptedException {
        Process k = new ProcessBuilder(SSH_KEYGEN.toString(), "-q", "-t", "ed25519", "-N", "", "-C", "jrsync-test",
                "-f", file.toString()).redirectErrorStream(true).start();
        String out = new String(k.getInputStream().readAllBytes());
        if (k.waitFor() != 0) {
            throw new AssertionError("ssh-keygen failed: " + out);
        }
        return file;
    }

    /** The SHA256 fingerprint of the host key, as ssh prints it ("SHA256:..."). */
    public String hostKeyFingerprint() throws IOException, InterruptedException {
        Process k = new ProcessBuilder(SSH_KEYGEN.toString(), "-l", "-E", "sha256", "-f",
                dir.resolve("host_key.pub").toString()).start();
        String out = new String(k.getInputStream().readAllBytes()).trim();
        k.waitFor();
        return out.split(" ")[1];
    }

    public int port() {
        return port;
    }

    /** The private key sshd accepts. */
    public Path clientKey() {
        return dir.resolve("client_key");
    }

    /** A known_hosts file naming this server's host key for "[127.0.0.1]:port". */
    public Path knownHosts() {
        return dir.resolve("known_hosts");
    }

    /** The remote shell ({@code -e}) that reaches this server as "127.0.0.1" with the client key. */
    public String rsh() {
        return "ssh -p " + port + " -i " + clientKey() + " -o UserKnownHostsFile=" + knownHosts();
    }

    /** What sshd logged: connections, authentications, errors. */
    public String log() {
        try {
            return Files.readString(dir.resolve("sshd.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
