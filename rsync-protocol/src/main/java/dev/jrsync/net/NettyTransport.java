package dev.jrsync.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.handler.traffic.ChannelTrafficShapingHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/** Client connections: one shared event loop, each connection exposed as blocking {@link ChannelStreams}. */
public final class NettyTransport {
    private NettyTransport() {}

    private static final class Holder {
        static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(
                1, new DefaultThreadFactory("jrsync-io", true), NioIoHandler.newFactory());
    }

    /** The event loop group shared by every client connection in this JVM. */
    public static EventLoopGroup group() {
        return Holder.GROUP;
    }

    /**
     * Connects to {@code host:port}; {@code connectTimeoutSeconds} is --contimeout (0 = system
     * default), {@code ioTimeoutSeconds} is --timeout (0 = none), {@code bwlimitKib} is --bwlimit in
     * KiB per second (0 = none), applied to what this side writes as rsync does; {@code bindAddress} is
     * --address, the local address the connection leaves from (null = any; {@code socket.c:open_socket_out}).
     * With a {@code proxy} ({@code RSYNC_PROXY}; null = none) the connection goes to it, and asks it for a tunnel
     * to {@code host:port}, which only the proxy resolves. {@code sockopts} ({@code --sockopts}) are set on the
     * socket before it connects. With {@code tls} (null = none) the session goes over TLS ({@link DaemonTls}), once
     * the connection (or the proxy's tunnel) is up.
     */
    public static ChannelStreams connect(String host, int port, HttpProxy proxy, SocketOptions sockopts,
                                         String bindAddress, int connectTimeoutSeconds, int ioTimeoutSeconds,
                                         int bwlimitKib, SslContext tls) throws IOException, InterruptedException {
        ChannelStreams streams = new ChannelStreams();
        ProxyConnectHandler tunnel = proxy == null ? null : new ProxyConnectHandler(proxy.connectRequest(host, port));
        Bootstrap b = new Bootstrap()
                .group(group())
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 4 << 20))
                // Reads of up to 1 MiB while data streams in (Netty's default stops at 64 KiB): each read is
                // an event-loop round, a buffer and a wake-up of the blocked reader.
                .option(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(2048, 65536, 1 << 20))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        sockopts.applyTo(ch.config());
                        if (ioTimeoutSeconds > 0) {
                            ch.pipeline().addLast(new IdleStateHandler(0, 0, ioTimeoutSeconds, TimeUnit.SECONDS));
                        }
                        if (bwlimitKib > 0) {
                            // Shaped writes make the channel unwritable, so the blocking writer waits.
                            ch.pipeline().addLast(new ChannelTrafficShapingHandler(bwlimitKib * 1024L, 0, 100));
                        }
                        if (tunnel != null) {
                            ch.pipeline().addLast(tunnel);
                        }
                        ch.pipeline().addLast(streams);
                    }
                });
        if (connectTimeoutSeconds > 0) {
            b.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutSeconds * 1000);
        }
        String toHost = proxy == null ? host : proxy.host();
        int toPort = proxy == null ? port : proxy.port();
        InetSocketAddress remote = new InetSocketAddress(toHost, toPort);
        ChannelFuture f = (bindAddress == null ? b.connect(remote)
                : b.connect(remote, new InetSocketAddress(bindAddress, 0))).await();
        if (!f.isSuccess()) {
            Throwable cause = f.cause();
            if (cause instanceof io.netty.channel.ConnectTimeoutException) {
                throw new ConnectTimeout("timed out connecting to " + toHost + " (" + toPort + ")");
            }
            throw new IOException("failed to connect to " + toHost + " (" + toPort + "): "
                    + (cause == null ? "unknown error" : cause.getMessage()), cause);
        }
        Channel ch = f.channel();
        assert ch == streams.channel();
        if (tunnel != null) {
            awaitTunnel(tunnel, ch);
        }
        if (tls != null) {
            SslHandler handler = tls.newHandler(ch.alloc(), host, port);
            ch.pipeline().addBefore(ch.pipeline().context(streams).name(), "tls", handler);
            Future<Channel> done = handler.handshakeFuture().await();
            if (!done.isSuccess()) {
                ch.close();
                Throwable cause = done.cause();
                throw new IOException("TLS handshake with " + host + " (" + port + ") failed: "
                        + (cause == null ? "unknown error" : rootMessage(cause)), cause);
            }
        }
        return streams;
    }

    /** The innermost cause's message: what went wrong (an untrusted chain, a wrong name), not its wrappings. */
    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.toString();
    }

    private static void awaitTunnel(ProxyConnectHandler tunnel, Channel ch) throws IOException, InterruptedException {
        try {
            tunnel.established().get();
        } catch (java.util.concurrent.ExecutionException e) {
            ch.close();
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            ch.close();
            throw e;
        }
    }

    /** --contimeout expired (exit code 35). */
    public static final class ConnectTimeout extends IOException {
        public ConnectTimeout(String message) {
            super(message);
        }
    }
}
