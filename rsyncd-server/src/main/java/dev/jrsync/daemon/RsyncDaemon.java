package dev.jrsync.daemon;

import dev.jrsync.fs.BeneathOpener;
import dev.jrsync.net.ChannelStreams;
import dev.jrsync.net.SocketOptions;
import dev.jrsync.net.StreamPair;
import dev.jrsync.options.Options;
import dev.jrsync.wire.HeapBudget;
import dev.jrsync.wire.MaxAlloc;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The rsync daemon ({@code rsync/clientserver.c:daemon_main}, {@code socket.c:start_accept_loop}): Netty
 * accepts connections, each connection's session runs on its own platform thread against blocking
 * {@link ChannelStreams}, and takes its module's identity and root on that thread ({@link ModuleIdentity}). A
 * client that has not finished the handshake (greeting, module, auth, argument list) within the handshake
 * deadline is dropped ({@code clientserver.c:daemon_handshake_timeout}): each phase a client drives
 * (choosing a module; authenticating; sending its arguments) has its own deadline, 60 seconds or the
 * {@code timeout} that applies if that is shorter, so a silent or trickling client cannot hold a
 * connection slot.
 *
 * <p>Pulls are served by {@link ServerSender}, pushes by {@link ServerReceiver}.
 */
public final class RsyncDaemon implements AutoCloseable {
    public static final int PROTOCOL_VERSION = 32;
    public static final int MIN_PROTOCOL_VERSION = 27;
    public static final int DEFAULT_PORT = 873;
    /** rsync's DAEMON_HANDSHAKE_TIMEOUT: the longest any handshake phase may take. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(60);

    private static final AttributeKey<ScheduledFuture<?>> DEADLINE = AttributeKey.valueOf("jrsync.handshakeDeadline");

    private final RsyncdConfig config;
    private final DaemonLog log;
    private final ConnectionSlots slots = new ConnectionSlots();
    private final LockFileSlots lockFileSlots = new LockFileSlots();
    private final DaemonAuthenticator authenticator;
    // a module's own symlinks to its own directories are followed, as rsync 3.5's daemon follows them
    private final BeneathOpener opener = new BeneathOpener(true, true);
    private final AtomicLong sessions = new AtomicLong();
    private final ShellExec shellExec = new ShellExec();
    /** Module log files, opened on a session's first use before it chroots, then shared. */
    private final Map<String, DaemonLog> moduleLogs = new ConcurrentHashMap<>();
    private volatile Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
    private volatile HeapBudget heapBudget = HeapBudget.halfOfMaxHeap();
    private volatile long maxAlloc = MaxAlloc.DEFAULT_LIMIT;
    /** TLS for every connection; null: none. */
    private volatile SslContext tls;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private Channel server;

    public RsyncDaemon(RsyncdConfig config, DaemonLog log) {
        this.config = config;
        this.log = log;
        this.authenticator = new DaemonAuthenticator(UnixGroups.system()::groupsOf,
                "root".equals(System.getProperty("user.name")));
    }

    /**
     * Serves every connection over TLS with {@code tls} ({@code jrsync --daemon --tls-cert --tls-key}): what
     * rsync-ssl users put stunnel in front of rsyncd for.
     */
    public RsyncDaemon tls(SslContext tls) {
        this.tls = tls;
        return this;
    }

    public RsyncDaemon handshakeTimeout(Duration timeout) {
        this.handshakeTimeout = timeout;
        return this;
    }

    /** The daemon's own {@code --max-alloc}: what a session gets when its client sends none, as in rsync. */
    public RsyncDaemon maxAlloc(long limit) {
        this.maxAlloc = limit;
        return this;
    }

    /**
     * A session's allowance: the client's {@code --max-alloc} if it sent one, else the daemon's, and in any
     * case a share of the one heap budget all sessions draw from, so no client can starve the others.
     */
    MaxAlloc sessionAlloc(Options client) {
        return new MaxAlloc(client.maxAlloc() != null ? client.effectiveMaxAlloc() : maxAlloc, heapBudget);
    }

    /** Replaces the budget all sessions draw from (by default half of the JVM's maximum heap). */
    public RsyncDaemon heapBudget(long bytes) {
        this.heapBudget = new HeapBudget(bytes);
        return this;
    }

    /** Binds and starts accepting; returns the bound port (useful with port 0). */
    public int start(InetSocketAddress bind) throws InterruptedException {
        for (String w : config.warnings()) {
            log.log(w);
        }
        for (String n : config.identityNotes()) {
            log.log(n);
        }
        for (String n : config.notAppliedNotes()) {
            log.log(n);
        }
        if (config.proxyProtocol() && config.proxyProtocolHosts().isEmpty()) {
            // fail-closed is what rsync intends, but silent unless said at startup (clientserver.c:daemon_main)
            log.log("WARNING: \"proxy protocol = true\" but \"proxy protocol hosts\" is unset: all connections will"
                    + " be rejected as untrusted proxy peers.  Set \"proxy protocol hosts\" to your trusted proxy's"
                    + " address.");
        }
        // rsync sets them on each connection and logs what fails each time; once at startup says as much
        SocketOptions sockopts = SocketOptions.parse(config.socketOptions(), log::log);
        ChrootPreload.run();
        boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("rsyncd-accept", true), NioIoHandler.newFactory());
        workers = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("rsyncd-io", true), NioIoHandler.newFactory());
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // a client that shuts down its sending side after its requests still gets the answers, as from
                // rsync's forked child, which reads an end of file but keeps writing
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 << 10, 1 << 20))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        sockopts.applyTo(ch.config());
                        // a session's flush does not wait for the socket; it waits once, before the close
                        ChannelStreams streams = new ChannelStreams(false);
                        if (tls != null) {
                            // before the session's streams: they read and write the session's clear text
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(streams);
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelActive(ChannelHandlerContext ctx) {
                                armHandshakeDeadline(ch, handshakeDeadline(config.timeout()));
                                ch.closeFuture().addListener(f -> handshakeComplete(ch));
                                // a platform thread: the session may take a module's identity and root,
                                // which a virtual thread would leave behind on its carrier (ModuleIdentity)
                                Thread.ofPlatform().daemon().name("rsyncd-session-" + sessions.incrementAndGet())
                                        .start(new DaemonSession(RsyncDaemon.this, new ChannelLink(RsyncDaemon.this, streams)));
                                ctx.fireChannelActive();
                            }
                        });
                    }
                });
        server = b.bind(bind).sync().channel();
        int port = ((InetSocketAddress) server.localAddress()).getPort();
        log.log("rsyncd (jrsync) version " + PROTOCOL_VERSION + " starting, listening on port " + port);
        return port;
    }

    /**
     * Runs one session over {@code streams} (inetd mode, a program's pipes, a library user's transport) and
     * returns when it has ended and closed them. The session gets a platform thread of its own, as one accepted
     * on the socket does: a module's identity and chroot are set on that thread and end with it, never on the
     * caller's.
     */
    public void serve(StreamPair streams) throws InterruptedException {
        serve(streams, null);
    }

    /** As {@link #serve(StreamPair)}, for a client at {@code peer} (a TCP socket on stdin); null when unknown. */
    public void serve(StreamPair streams, InetAddress peer) throws InterruptedException {
        Thread session = Thread.ofPlatform().daemon().name("rsyncd-session-" + sessions.incrementAndGet())
                .start(new DaemonSession(this, new StreamLink(streams, peer)));
        try {
            session.join();
        } catch (InterruptedException e) {
            streams.close(); // the session's next read or write fails, and it ends
            throw e;
        }
    }

    /** Blocks until the listener closes. */
    public void awaitClose() throws InterruptedException {
        server.closeFuture().sync();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        if (boss != null) {
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
        // the modules' logs are the daemon's to close; its own log is its caller's, who may still report
        moduleLogs.values().forEach(DaemonLog::close);
        moduleLogs.clear();
        shellExec.close();
        lockFileSlots.close();
    }

    RsyncdConfig config() {
        return config;
    }

    DaemonLog log() {
        return log;
    }

    /** The log a module's transfer lines go to: its own {@code log file}, or the daemon's. */
    DaemonLog logOf(ModuleConfig module) {
        String f = module.logFile();
        if (f == null || f.equals(String.valueOf(log.file()))) {
            return log;
        }
        return moduleLogs.computeIfAbsent(f, name -> new DaemonLog(Path.of(name), null));
    }

    /** Starts the modules' hook commands, as the daemon's own user and outside any chroot. */
    ShellExec shellExec() {
        return shellExec;
    }

    /** The slots of modules that name a {@code lock file}, shared with other daemons using it. */
    LockFileSlots lockFileSlots() {
        return lockFileSlots;
    }

    ConnectionSlots slots() {
        return slots;
    }

    DaemonAuthenticator authenticator() {
        return authenticator;
    }

    /** Opens the directories uploads write into, without following symlinks. */
    BeneathOpener opener() {
        return opener;
    }

    /** The deadline of a handshake phase: the builtin bound, shortened by a positive {@code timeout}. */
    Duration handshakeDeadline(int timeoutSeconds) {
        Duration cap = handshakeTimeout;
        return timeoutSeconds > 0 && Duration.ofSeconds(timeoutSeconds).compareTo(cap) < 0
                ? Duration.ofSeconds(timeoutSeconds) : cap;
    }

    /** Starts a handshake phase: the client is dropped unless it completes within {@code deadline}. */
    void armHandshakeDeadline(Channel ch, Duration deadline) {
        ScheduledFuture<?> next = ch.eventLoop().schedule(() -> {
            if (ch.isActive()) {
                log.log("daemon handshake timeout -- exiting: dropped " + ch.remoteAddress());
                ch.close();
            }
        }, deadline.toMillis(), TimeUnit.MILLISECONDS);
        ScheduledFuture<?> previous = ch.attr(DEADLINE).getAndSet(next);
        if (previous != null) {
            previous.cancel(false);
        }
    }

    /** The argument list is in (or the connection is gone): the handshake deadline no longer applies. */
    void handshakeComplete(Channel ch) {
        ScheduledFuture<?> f = ch.attr(DEADLINE).getAndSet(null);
        if (f != null) {
            f.cancel(false);
        }
    }
}
