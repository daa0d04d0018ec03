package dev.jrsync.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.config.hosts.HostConfigEntry;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.common.util.io.output.NoCloseOutputStream;

/**
 * The remote command of a session over ssh, run on an exec channel of an in-process SSH connection (Apache MINA
 * sshd) where rsync's {@code pipe.c:piped_child} forks the ssh program: a {@link Process} whose streams are the
 * channel's, so {@link RemoteShell} runs a session over it as over a child. As with ssh, the user's
 * ~/.ssh/config (HostName, Port, User, IdentityFile), ~/.ssh/known_hosts, identities and ssh-agent apply, an unknown or
 * changed host key is refused, and a connection that fails is a command that printed why and exited with 255.
 */
final class SshProcess extends Process {
    /** ssh's exit code for an error of its own (no connection, a refused key, a lost connection). */
    static final int SSH_ERROR = 255;

    /** How long the connection, the key exchange and the authentication may each take. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

    /** The identities ssh tries when none is named, in ~/.ssh (DSA's is no longer accepted by OpenSSH). */
    private static final List<String> DEFAULT_IDENTITIES = List.of("id_ed25519", "id_ecdsa", "id_rsa");

    private final SshClient client;
    private final ChannelExec channel;

    private SshProcess(SshClient client, ChannelExec channel) {
        this.client = client;
        this.channel = channel;
    }

    /**
     * Connects as {@code user} (null: ~/.ssh/config's, else the local user) to {@code host} and runs {@code command}
     * there; its stderr is this process's. A failure is printed to stderr and yields a process that exited with
     * {@link #SSH_ERROR}, as the ssh program would have.
     */
    static Process start(SshCommand ssh, String user, String host, String command) {
        SshClient client = SshClient.setUpDefaultClient();
        StringBuilder refusal = new StringBuilder();
        try {
            Path dotSsh = PublicKeyEntry.getDefaultKeysFolderPath();
            List<Path> identities = new ArrayList<>(ssh.identities());
            for (String name : DEFAULT_IDENTITIES) {
                if (Files.isReadable(dotSsh.resolve(name))) {
                    identities.add(dotSsh.resolve(name));
                }
            }
            client.setKeyIdentityProvider(new FileKeyPairProvider(identities));
            client.setAgentFactory(SshAgentSocket.factory(System.getenv("SSH_AUTH_SOCK")));
            client.start();
            HostConfigEntry entry = client.getHostConfigEntryResolver()
                    .resolveEffectiveHost(host, ssh.port(), null, user, null, null);
            if (entry == null) {
                entry = new HostConfigEntry(host, host, ssh.port(), user);
            }
            if (entry.getPort() <= 0) {
                entry.setPort(SshConstants.DEFAULT_PORT);
            }
            if (entry.getUsername() == null) {
                entry.setUsername(System.getProperty("user.name"));
            }
            // -o's, else ~/.ssh/config's (the first of its files, the one ssh adds a new key to), else the default
            String strict = ssh.strictHostKeys() != null ? ssh.strictHostKeys()
                    : SshCommand.strictness(entry.getProperty("StrictHostKeyChecking", "yes"));
            String configured = entry.getProperty("UserKnownHostsFile");
            Path knownHosts = ssh.knownHosts() != null ? ssh.knownHosts()
                    : configured != null ? SshCommand.path(configured.trim().split("\\s+")[0])
                    : dotSsh.resolve("known_hosts");
            client.setServerKeyVerifier(verifier(strict, refusal, knownHosts));
            ClientSession session;
            try {
                session = client.connect(entry).verify(CONNECT_TIMEOUT).getSession();
            } catch (IOException e) {
                return failed(client, unresolved(e) ? "ssh: Could not resolve hostname " + entry.getHostName()
                        : "ssh: connect to host " + entry.getHostName() + " port " + entry.getPort() + ": " + reason(e));
            }
            try {
                session.auth().verify(CONNECT_TIMEOUT);
            } catch (IOException e) {
                return failed(client, !refusal.isEmpty() ? refusal.toString()
                        : entry.getUsername() + "@" + entry.getHostName() + ": Permission denied ("
                        + reason(e) + ")");
            }
            ChannelExec channel = session.createExecChannel(command);
            channel.setErr(new NoCloseOutputStream(System.err));
            channel.open().verify(CONNECT_TIMEOUT);
            return new SshProcess(client, channel);
        } catch (IOException | RuntimeException e) {
            return failed(client, "ssh: " + host + ": " + reason(e));
        }
    }

    /** ~/.ssh/known_hosts (or the named file) checked as ssh checks it, per StrictHostKeyChecking. */
    private static KnownHostsServerKeyVerifier verifier(String strictness, StringBuilder refusal, Path knownHosts) {
        boolean strict = strictness.equals("yes");
        KnownHostsServerKeyVerifier v = new KnownHostsServerKeyVerifier(
                strict ? RejectAllServerKeyVerifier.INSTANCE : AcceptAllServerKeyVerifier.INSTANCE, knownHosts) {
            @Override
            protected boolean acceptUnknownHostKey(ClientSession session, SocketAddress remote, PublicKey key) {
                if (strict) {
                    refusal.append("No ").append(KeyUtils.getKeyType(key)).append(" host key is known for ")
                            .append(hostName(remote)).append(" in ").append(knownHosts).append(" (its fingerprint is ")
                            .append(KeyUtils.getFingerPrint(key)).append(") and you have requested strict checking.\n")
                            .append("Host key verification failed.");
                    return false;
                }
                return super.acceptUnknownHostKey(session, remote, key);
            }
        };
        v.setModifiedServerKeyAcceptor((session, remote, entry, expected, actual) -> {
            refusal.append("WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED! The ").append(KeyUtils.getKeyType(actual))
                    .append(" key of ").append(hostName(remote)).append(" is now ").append(KeyUtils.getFingerPrint(actual))
                    .append(", not the one in ").append(knownHosts).append(".\nHost key verification failed.");
            return false;
        });
        return v;
    }

    /** A host as known_hosts names it: "host", or "[host]:port" on a port other than 22. */
    private static String hostName(SocketAddress remote) {
        if (remote instanceof InetSocketAddress a) {
            return a.getPort() == SshConstants.DEFAULT_PORT ? a.getHostString() : "[" + a.getHostString() + "]:" + a.getPort();
        }
        return String.valueOf(remote);
    }

    /** Whether a connection failed for want of the host's address (MINA's message for it is "null"). */
    private static boolean unresolved(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException) {
                return true;
            }
        }
        return false;
    }

    /** A failure's first cause that says what it was ("Connection refused"), without MINA's wrapping or stack. */
    private static String reason(Exception e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause().getMessage() != null) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }

    /** What a run of ssh that could not reach the command leaves: its message on stderr, and exit code 255. */
    private static Process failed(SshClient client, String message) {
        client.stop();
        PrintStream err = System.err;
        err.println(message);
        err.flush();
        return new Process() {
            @Override
            public OutputStream getOutputStream() {
                return OutputStream.nullOutputStream();
            }

            @Override
            public InputStream getInputStream() {
                return InputStream.nullInputStream();
            }

            @Override
            public InputStream getErrorStream() {
                return InputStream.nullInputStream();
            }

            @Override
            public int waitFor() {
                return SSH_ERROR;
            }

            @Override
            public int exitValue() {
                return SSH_ERROR;
            }

            @Override
            public void destroy() {
                // nothing runs
            }
        };
    }

    @Override
    public OutputStream getOutputStream() {
        return channel.getInvertedIn();
    }

    @Override
    public InputStream getInputStream() {
        return channel.getInvertedOut();
    }

    /** Empty: the remote command's stderr goes to this process's, as the ssh program's does. */
    @Override
    public InputStream getErrorStream() {
        return InputStream.nullInputStream();
    }

    @Override
    public int waitFor() {
        channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), 0L);
        return exitValue();
    }

    /** Waits for the channel to close; once it has, the connection ends too (its threads with it). */
    @Override
    public boolean waitFor(long timeout, TimeUnit unit) {
        channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), Math.max(1, unit.toMillis(timeout)));
        if (isAlive()) {
            return false;
        }
        client.stop();
        return true;
    }

    @Override
    public boolean isAlive() {
        return !channel.isClosed();
    }

    /** The remote command's exit status; 255 when the connection ended without one, as ssh exits then. */
    @Override
    public int exitValue() {
        if (!channel.isClosed()) {
            throw new IllegalThreadStateException("the remote command is running");
        }
        client.stop();
        Integer status = channel.getExitStatus();
        return status != null ? status : SSH_ERROR;
    }

    @Override
    public void destroy() {
        channel.close(true);
        client.stop();
    }
}
