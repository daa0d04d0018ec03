package dev.jrsync.client;

import dev.jrsync.clientserver.ArgList;
import dev.jrsync.clientserver.DaemonAuth;
import dev.jrsync.clientserver.Greeting;
import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import dev.jrsync.core.SessionLog;
import dev.jrsync.fs.OperatorPath;
import dev.jrsync.fs.Posix;
import dev.jrsync.net.DaemonTls;
import dev.jrsync.net.HttpProxy;
import dev.jrsync.net.NettyTransport;
import dev.jrsync.net.ProxyException;
import dev.jrsync.net.SocketOptions;
import dev.jrsync.net.StreamPair;
import dev.jrsync.options.Options;
import dev.jrsync.options.ServerArgs;
import dev.jrsync.session.Connection;
import dev.jrsync.wire.MaxAlloc;
import dev.jrsync.wire.ProtocolException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Opens a session with an rsync daemon ({@code rsync/clientserver.c:start_socket_client},
 * {@code start_inband_exchange}): greeting, module selection with its MOTD, authentication, and
 * the argument list. What follows belongs to the roles.
 */
public final class DaemonClient {
    private DaemonClient() {}

    /** The newest protocol we speak; 3.4+ daemons require the digest list with it. */
    public static final int PROTOCOL_VERSION = 32;
    /** The oldest protocol we speak. */
    public static final int MIN_PROTOCOL_VERSION = 27;

    /** An open daemon session, positioned right after the argument list. */
    public record Session(Connection connection, int protocol, StreamPair streams) implements AutoCloseable {
        @Override
        public void close() {
            streams.close();
        }
    }

    /**
     * A connection the daemon has admitted to a module ({@code @RSYNCD: OK}: greeting, module and authentication
     * done) and that waits for the argument list. The arguments can be chosen later: a live mirror connects while
     * a batch of changes is still settling.
     */
    public record Greeted(Connection connection, int protocol, StreamPair streams) implements AutoCloseable {
        /** Whether the daemon is still there: a greeting kept waiting may have been closed by a daemon timeout. */
        public boolean isOpen() {
            return streams.isOpen();
        }

        @Override
        public void close() {
            streams.close();
        }
    }

    /**
     * Connects and, for an empty module name, prints the module listing and returns null; otherwise
     * selects the module, authenticates if asked to, sends the argument list built for the negotiated
     * protocol and returns the session.
     */
    public static Session open(DaemonAddress addr, Options options, IntFunction<List<String>> serverArgs,
                               SessionLog log, Credentials credentials) {
        Greeted greeted = greet(addr, options, log, credentials);
        return greeted == null ? null : open(greeted, serverArgs);
    }

    /** Sends the argument list built for the negotiated protocol on an admitted connection. */
    public static Session open(Greeted greeted, IntFunction<List<String>> serverArgs) {
        boolean ok = false;
        try {
            sendArgs(greeted.connection(), serverArgs.apply(greeted.protocol()), greeted.protocol());
            ok = true;
            return new Session(greeted.connection(), greeted.protocol(), greeted.streams());
        } catch (ProtocolException | java.io.UncheckedIOException e) {
            throw dev.jrsync.session.SessionRunner.failure(e);
        } finally {
            if (!ok) {
                greeted.close();
            }
        }
    }

    /**
     * Connects, greets, selects the module and authenticates if asked to ({@code
     * rsync/clientserver.c:start_inband_exchange} up to the arguments). For an empty module name it prints
     * the module listing and returns null.
     */
    public static Greeted greet(DaemonAddress addr, Options options, SessionLog log, Credentials credentials) {
        StreamPair streams;
        try {
            streams = NettyTransport.connect(addr.host(), addr.port(), HttpProxy.parse(System.getenv("RSYNC_PROXY")),
                    SocketOptions.parse(options.sockopts(), log::error), options.address(), options.contimeout(),
                    options.timeout(), options.bwlimit(), options.tls() ? DaemonTls.client(options.tlsCa()) : null);
        } catch (NettyTransport.ConnectTimeout e) {
            throw new RsyncException(ExitCode.CONNECTION_TIMEOUT, "rsync: " + e.getMessage());
        } catch (ProxyException e) {
            throw new RsyncException(ExitCode.SOCKET_IO, e.getMessage());
        } catch (IOException e) {
            throw new RsyncException(ExitCode.SOCKET_IO, "rsync: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RsyncException(ExitCode.SIGNAL, "interrupted while connecting");
        }
        return greet(streams, addr, options, log, credentials);
    }

    /**
     * As {@link #greet(DaemonAddress, Options, SessionLog, Credentials)}, over streams already connected to a
     * daemon ({@code rsync/clientserver.c:start_inband_exchange} on a program's pipes, as with
     * {@code RSYNC_CONNECT_PROG}); the address names the module and the user, its host only appears in messages.
     * The streams are closed when this fails.
     */
    public static Greeted greet(StreamPair streams, DaemonAddress addr, Options options, SessionLog log,
                                Credentials credentials) {
        boolean ok = false;
        try {
            Connection conn = new Connection(streams.input(), streams.output(), log);
            conn.in().setMaxAlloc(new MaxAlloc(options.effectiveMaxAlloc(), null)); // a client has its own process
            int protocol = handshake(conn, addr, options, log, credentials);
            if (protocol < 0) {
                return null;
            }
            conn.setProtocol(protocol);
            ok = true;
            return new Greeted(conn, protocol, streams);
        } catch (ProtocolException | java.io.UncheckedIOException e) {
            throw dev.jrsync.session.SessionRunner.failure(e);
        } finally {
            if (!ok) {
                streams.close();
            }
        }
    }

    /** Returns the negotiated protocol, or -1 after a module listing. */
    static int handshake(Connection conn, DaemonAddress addr, Options options, SessionLog log, Credentials credentials) {
        int ours = options.protocolVersion();
        if (ours < MIN_PROTOCOL_VERSION || ours > PROTOCOL_VERSION) {
            throw new RsyncException(ExitCode.PROTOCOL_INCOMPATIBLE,
                    "--protocol must be between " + MIN_PROTOCOL_VERSION + " and " + PROTOCOL_VERSION);
        }
        Greeting mine = new Greeting(ours, 0, DaemonAuth.DIGESTS);
        conn.writeLine(mine.format());
        String line = conn.readLine();
        Greeting theirs;
        try {
            theirs = Greeting.parse(line);
        } catch (ProtocolException e) {
            throw new RsyncException(ExitCode.START_CLIENT, "rsync: " + e.getMessage());
        }
        int protocol = Greeting.negotiate(mine, theirs);
        if (protocol < MIN_PROTOCOL_VERSION) {
            throw new RsyncException(ExitCode.PROTOCOL_INCOMPATIBLE, "protocol version mismatch -- the daemon speaks "
                    + theirs.protocol() + ", jrsync needs at least " + MIN_PROTOCOL_VERSION);
        }
        if (options.earlyInput() != null) {
            sendEarlyInput(conn, options);
        }
        boolean listing = addr.module().isEmpty();
        conn.writeLine(listing ? "" : addr.module());
        while (true) {
            line = conn.readLine();
            if (line.startsWith("@RSYNCD: AUTHREQD ")) {
                String challenge = line.substring("@RSYNCD: AUTHREQD ".length()).trim();
                String digest = DaemonAuth.choose(theirs.digests(), protocol);
                if (digest == null) {
                    throw new RsyncException(ExitCode.START_CLIENT,
                            "no common daemon-auth digest (the daemon offers " + theirs.digests() + ")");
                }
                String password = credentials.password(addr.authUser(), addr.module());
                if (password == null) {
                    password = "";
                }
                conn.writeLine(addr.authUser() + " " + DaemonAuth.response(digest, password, challenge));
            } else if (line.equals("@RSYNCD: OK")) {
                return protocol;
            } else if (line.equals("@RSYNCD: EXIT")) {
                if (listing) {
                    return -1;
                }
                throw new RsyncException(ExitCode.START_CLIENT, "rsync: the daemon closed the session (@RSYNCD: EXIT)");
            } else if (line.startsWith("@ERROR")) {
                String msg = line.startsWith("@ERROR: ") ? line.substring("@ERROR: ".length()) : line.substring(6).trim();
                throw new RsyncException(ExitCode.START_CLIENT, "@ERROR: " + msg);
            } else {
                // MOTD or listing lines: the client cannot tell them apart, and prints (or with --no-motd drops) both
                if (!options.noMotd()) {
                    log.info(line);
                }
            }
        }
    }

    /**
     * {@code --early-input}: the file's bytes, ahead of the module name, for the module's {@code early exec}
     * ({@code rsync/clientserver.c:start_inband_exchange}). The file is opened as rsync 3.5 opens it, through root's
     * and the user's own symlinks only; an empty one sends nothing.
     */
    private static void sendEarlyInput(Connection conn, Options options) {
        String file = options.earlyInput();
        byte[] bytes;
        try {
            int fd = OperatorPath.openFile(Path.of(""), file, options.insecureLinks());
            try (InputStream in = Files.newInputStream(OperatorPath.pinned(fd))) {
                bytes = in.readNBytes(Greeting.MAX_EARLY_INPUT + 1);
            } finally {
                Posix.close(fd);
            }
        } catch (IOException e) {
            throw new RsyncException(ExitCode.START_CLIENT, "rsync: failed to open " + file + ": " + Posix.describe(e));
        }
        if (bytes.length > Greeting.MAX_EARLY_INPUT) {
            throw new RsyncException(ExitCode.START_CLIENT, file + " is > " + Greeting.MAX_EARLY_INPUT + " bytes.");
        }
        if (bytes.length > 0) {
            conn.writeLine(Greeting.EARLY_INPUT + bytes.length);
            conn.out().write(bytes);
            conn.out().flush();
        }
    }

    /** The argument list as {@link ArgList} encodes it for {@code protocol}, and {@code -s}'s second list after it. */
    static void sendArgs(Connection conn, List<String> args, int protocol) {
        ServerArgs.Divided divided = ServerArgs.divide(args);
        conn.out().write(ArgList.encode(divided.open(), ArgList.separator(protocol)));
        if (!divided.secluded().isEmpty()) {
            conn.out().write(ArgList.secluded(divided.secluded()));
        }
        conn.out().flush();
    }
}
