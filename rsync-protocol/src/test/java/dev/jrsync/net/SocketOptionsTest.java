package dev.jrsync.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** --sockopts and a daemon's socket options: the words rsync takes, and the options set on a real socket. */
class SocketOptionsTest {
    @Test
    void optionsAreSetOnTheSocketBeforeItConnects() throws Exception {
        List<String> errors = new ArrayList<>();
        SocketOptions options = SocketOptions.parse("SO_KEEPALIVE, SO_SNDBUF=65536\tIPTOS_THROUGHPUT TCP_NODELAY=0",
                errors::add);
        assertEquals(List.of(), errors);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Channel ch = new Bootstrap().group(NettyTransport.group()).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            options.applyTo(c.config());
                        }
                    }).connect(server.getLocalSocketAddress()).sync().channel();
            try {
                assertTrue(ch.config().getOption(ChannelOption.SO_KEEPALIVE));
                assertEquals(false, ch.config().getOption(ChannelOption.TCP_NODELAY));
                assertEquals(0x08, ch.config().getOption(ChannelOption.IP_TOS));
                // Linux doubles what it is asked for, for its own bookkeeping
                assertTrue(ch.config().getOption(ChannelOption.SO_SNDBUF) >= 65536);
            } finally {
                ch.close().sync();
            }
        }
    }

    @Test
    void unknownAndUnsettableNamesAreReportedAndSkipped() {
        List<String> errors = new ArrayList<>();
        SocketOptions.parse("NOSUCHOPT,so_keepalive SO_RCVTIMEO=5 SO_BROADCAST IPTOS_LOWDELAY=1", errors::add);
        assertEquals(List.of("Unknown socket option NOSUCHOPT", "Unknown socket option so_keepalive",
                "failed to set socket option SO_RCVTIMEO: not supported by the JDK",
                "syntax error -- IPTOS_LOWDELAY does not take a value"), errors);
    }

    @Test
    void valuesAreReadAsAtoiReadsThem() {
        assertEquals(8192, SocketOptions.atoi("8192"));
        assertEquals(12, SocketOptions.atoi(" +12kb"));
        assertEquals(-3, SocketOptions.atoi("-3"));
        assertEquals(0, SocketOptions.atoi("lots"));
        assertEquals(0, SocketOptions.atoi(""));
    }
}
