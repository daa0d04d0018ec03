package dev.jrsync.daemon;

import dev.jrsync.net.ChannelStreams;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.handler.traffic.ChannelTrafficShapingHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A session's TCP connection, accepted by {@link RsyncDaemon}: timeouts and pacing are Netty handlers. */
final class ChannelLink implements SessionLink {
    private final RsyncDaemon daemon;
    private final ChannelStreams streams;
    private final Channel channel;

    ChannelLink(RsyncDaemon daemon, ChannelStreams streams) {
        this.daemon = daemon;
        this.streams = streams;
        this.channel = streams.channel();
    }

    @Override
    public InputStream input() {
        return streams.input();
    }

    @Override
    public OutputStream output() {
        return streams.output();
    }

    @Override
    public InetAddress peer() {
        return ((InetSocketAddress) channel.remoteAddress()).getAddress();
    }

    @Override
    public void armDeadline(Duration deadline) {
        daemon.armHandshakeDeadline(channel, deadline);
    }

    @Override
    public void handshakeComplete() {
        daemon.handshakeComplete(channel);
    }

    @Override
    public void idleTimeout(int seconds) {
        channel.pipeline().addFirst(new IdleStateHandler(0, 0, seconds, TimeUnit.SECONDS));
    }

    @Override
    public void paceWrites(long bytesPerSecond) {
        channel.pipeline().addFirst(new ChannelTrafficShapingHandler(bytesPerSecond, 0, 100));
    }

    @Override
    public void failReads(IOException cause) {
        streams.failReads(cause);
    }

    @Override
    public void awaitWritten() throws IOException {
        streams.awaitWritten();
    }

    @Override
    public void reset() {
        channel.config().setOption(ChannelOption.SO_LINGER, 0);
        channel.close();
    }

    @Override
    public void closeAfter(long millis) {
        channel.eventLoop().schedule(() -> channel.close(), millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        channel.close();
    }
}
