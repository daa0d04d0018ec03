package dev.jrsync.client;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.sshd.agent.SshAgent;
import org.apache.sshd.agent.SshAgentFactory;
import org.apache.sshd.agent.SshAgentServer;
import org.apache.sshd.agent.common.AbstractAgentProxy;
import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * The user's ssh-agent ({@code SSH_AUTH_SOCK}), as ssh's {@code authfd.c} reaches it: one request and its
 * answer at a time over the agent's Unix socket, each a 4-byte length and a message. MINA's own agent client needs
 * Tomcat's native APR library for the socket; the JDK's Unix-domain channel needs nothing.
 */
final class SshAgentSocket extends AbstractAgentProxy {
    /** The most an answer may hold: a list of keys is a few kilobytes (OpenSSH's agent caps a message at 256 KiB). */
    private static final int MAX_MESSAGE = 256 * 1024;

    private final SocketChannel channel;

    private SshAgentSocket(SocketChannel channel) {
        super(null);
        this.channel = channel;
    }

    /** A factory of connections to the agent at {@code socket}, or null when there is no such socket. */
    static SshAgentFactory factory(String socket) {
        if (socket == null || socket.isEmpty() || !Files.exists(Path.of(socket))) {
            return null;
        }
        return new SshAgentFactory() {
            @Override
            public List<ChannelFactory> getChannelForwardingFactories(FactoryManager manager) {
                return List.of(); // no agent forwarding: the far end runs rsync, not ssh
            }

            @Override
            public SshAgent createClient(Session session, FactoryManager manager) throws IOException {
                SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                try {
                    ch.connect(UnixDomainSocketAddress.of(socket));
                } catch (IOException e) {
                    ch.close();
                    throw e;
                }
                return new SshAgentSocket(ch);
            }

            @Override
            public SshAgentServer createServer(ConnectionService service) {
                throw new UnsupportedOperationException("jrsync forwards no agent");
            }
        };
    }

    /** Sends a request (its length already in front) and reads the answer, less its length. */
    @Override
    protected synchronized Buffer request(Buffer buffer) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(buffer.array(), buffer.rpos(), buffer.available());
        while (out.hasRemaining()) {
            channel.write(out);
        }
        ByteBuffer length = readFully(ByteBuffer.allocate(4));
        int n = length.getInt(0);
        if (n < 0 || n > MAX_MESSAGE) {
            throw new IOException("ssh-agent sent a message of " + n + " bytes");
        }
        return new ByteArrayBuffer(readFully(ByteBuffer.allocate(n)).array());
    }

    private ByteBuffer readFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (channel.read(b) < 0) {
                throw new EOFException("ssh-agent closed its socket");
            }
        }
        return b;
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            super.close();
        }
    }
}
