package dev.jrsync.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.api.Rsync;
import dev.jrsync.api.TransferOutcome;
import dev.jrsync.api.TransferSpec;
import dev.jrsync.api.Transport;
import dev.jrsync.testing.HttpConnectRelay;
import dev.jrsync.testing.StockDaemon;
import dev.jrsync.testing.StockRsync;
import dev.jrsync.testing.TestTrees;
import dev.jrsync.testing.TreeAssert;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A connection tunnelled through an HTTP proxy ({@code RSYNC_PROXY}) to a stock daemon: the CONNECT request the
 * proxy sees, a whole pull through the tunnel, and a proxy's refusal.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HttpProxyTunnelTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void pullsFromAStockDaemonThroughTheProxyWithBasicAuthorization(StockRsync rsync) throws Exception {
        Path served = tmp.resolve("served");
        Path dst = tmp.resolve("dst");
        TestTrees.buildVaried(served, TestTrees.Omit.SPECIALS);
        try (StockDaemon daemon = StockDaemon.builder(rsync, tmp.resolve("daemon"))
                .module(StockDaemon.Module.of("mod", served).readOnly(true)).start();
             HttpConnectRelay relay = HttpConnectRelay.start(daemon.port(), "HTTP/1.1 200 Connection established")) {
            // the proxy alone resolves the daemon's name: this one exists nowhere else
            ChannelStreams streams = NettyTransport.connect("daemon.invalid", 10873,
                    HttpProxy.parse("puser:ppass@127.0.0.1:" + relay.port()), SocketOptions.NONE, null, 5, 0, 0, null);
            TransferOutcome done = Rsync.transfer(TransferSpec.builder().archive()
                            .source("rsync://daemon.invalid:10873/mod/").destination(dst).build(), dev.jrsync.api.TransferListener.NONE,
                    Transport.of(streams.input(), streams.output()));
            assertTrue(done.ok(), done::toString);
            TreeAssert.assertIdentical(served, dst, TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));
            assertEquals(List.of("CONNECT daemon.invalid:10873 HTTP/1.0\r\nProxy-Authorization: Basic cHVzZXI6cHBhc3M="),
                    relay.requests());
        }
    }

    @Test
    void aProxysRefusalIsTheError() throws Exception {
        try (HttpConnectRelay relay = HttpConnectRelay.start(1, "HTTP/1.0 503 Service Unavailable")) {
            ProxyException e = assertThrows(ProxyException.class, () -> NettyTransport.connect("example.invalid", 873,
                    HttpProxy.parse("127.0.0.1:" + relay.port()), SocketOptions.NONE, null, 5, 0, 0, null));
            assertEquals("bad response from proxy -- HTTP/1.0 503 Service Unavailable", e.getMessage());
            assertEquals(List.of("CONNECT example.invalid:873 HTTP/1.0"), relay.requests());
        }
    }
}
