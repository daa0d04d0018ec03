package dev.jrsync.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.testing.LoopbackRelay;
import dev.jrsync.testing.ProcessResult;
import dev.jrsync.testing.StockClient;
import dev.jrsync.testing.StockDaemon;
import dev.jrsync.testing.StockRsync;
import dev.jrsync.testing.TestTrees;
import dev.jrsync.testing.TreeAssert;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code proxy protocol = yes} behind a PROXY-protocol proxy, side by side with stock rsync 3.5's daemon: a stock
 * client's whole session through a relay that opens each connection with a v1 or v2 header, the client the header
 * names being the one {@code hosts allow} judges and the log names; and a peer outside {@code proxy protocol hosts}
 * refused before the greeting.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProxyProtocolDaemonTest {
    private static final String PROXY_GLOBALS = "proxy protocol = yes\nproxy protocol hosts = 127.0.0.0/8\n";

    @TempDir
    Path tmp;

    @ParameterizedTest
    @MethodSource("dev.jrsync.testing.StockRsync#peers")
    void aStockClientBehindTheProxyPullsAsTheClientTheV1HeaderNames(StockRsync client) throws IOException {
        Path served = tmp.resolve("served");
        TestTrees.buildVaried(served, TestTrees.Omit.SPECIALS);
        byte[] header = "PROXY TCP4 10.1.2.3 127.0.0.1 40000 873\r\n".getBytes(StandardCharsets.US_ASCII);
        try (StockDaemon stock = stockDaemon(served, "10.0.0.0/8"); JavaDaemon java = javaDaemon(served, "10.0.0.0/8")) {
            int i = 0;
            for (int port : new int[] {stock.port(), java.port}) {
                Path dst = tmp.resolve("dst" + i++);
                try (LoopbackRelay relay = relay(port, header)) {
                    StockClient.of(client).run("-a", url(relay, "mod/"), dst + "/").assertSuccess();
                }
                TreeAssert.assertIdentical(served, dst, TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));
            }
            assertTrue(java.log().contains("connect from UNDETERMINED (10.1.2.3)"), java::log);
        }
    }

    @Test
    void aV2HeaderNamingAClientOutsideHostsAllowIsDeniedAsStockDeniesIt() throws IOException {
        Path served = Files.createDirectories(tmp.resolve("served"));
        byte[] header = ByteBuffer.allocate(28).put(ProxyHeader.V2_SIGNATURE).put((byte) 0x21).put((byte) 0x11)
                .putShort((short) 12).put(InetAddress.ofLiteral("192.168.1.1").getAddress())
                .put(InetAddress.ofLiteral("127.0.0.1").getAddress()).putShort((short) 40000).putShort((short) 873)
                .array();
        StockRsync rsync = StockRsync.requireOnPath();
        try (StockDaemon stock = stockDaemon(served, "10.0.0.0/8"); JavaDaemon java = javaDaemon(served, "10.0.0.0/8")) {
            for (int port : new int[] {stock.port(), java.port}) {
                try (LoopbackRelay relay = relay(port, header)) {
                    ProcessResult r = StockClient.of(rsync).run("-a", url(relay, "mod/"), tmp.resolve("dst") + "/");
                    assertNotEquals(0, r.exitCode());
                    assertTrue(r.stderr().contains("@ERROR: access denied to mod from UNDETERMINED (192.168.1.1)"),
                            r::transcript);
                }
            }
        }
    }

    @Test
    void aPeerThatIsNoTrustedProxyIsDroppedBeforeTheGreeting() throws IOException {
        Path served = Files.createDirectories(tmp.resolve("served"));
        try (JavaDaemon java = JavaDaemon.start(tmp.resolve("jd"), JavaDaemon.asTestUser()
                + "proxy protocol = yes\nproxy protocol hosts = 10.0.0.0/8\nreverse lookup = no\n[mod]\npath = "
                + served + "\n", Duration.ofSeconds(5));
             Socket s = new Socket(InetAddress.getLoopbackAddress(), java.port)) {
            s.getOutputStream().write("PROXY TCP4 10.1.2.3 127.0.0.1 40000 873\r\n".getBytes(StandardCharsets.US_ASCII));
            s.setSoTimeout(5000);
            assertEquals(0, s.getInputStream().readAllBytes().length, "not even a greeting");
            assertTrue(java.log().contains("proxy protocol rejected from untrusted peer UNDETERMINED (127.0.0.1)"),
                    java::log);
        }
    }

    /** A client that shuts down its side once it has asked still gets its answer (rsync's daemon-proxy-protocol). */
    @Test
    void aHalfClosedConnectionIsStillAnswered() throws IOException {
        Path served = Files.createDirectories(tmp.resolve("served"));
        try (JavaDaemon java = javaDaemon(served, "10.0.0.0/8");
             Socket s = new Socket(InetAddress.getLoopbackAddress(), java.port)) {
            s.getOutputStream().write("PROXY TCP4 10.1.2.3 127.0.0.1 40000 873\r\n@RSYNCD: 30.0\nmod\n"
                    .getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput();
            s.setSoTimeout(5000);
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(answer.startsWith("@RSYNCD: ") && answer.contains("\n@RSYNCD: OK\n"), answer);
        }
    }

    @Test
    void noTrustedProxiesIsWarnedAtStartup() {
        try (JavaDaemon java = JavaDaemon.start(tmp.resolve("jd"), JavaDaemon.asTestUser()
                + "proxy protocol = yes\n[mod]\npath = " + tmp + "\n", Duration.ofSeconds(5))) {
            assertTrue(java.log().contains("\"proxy protocol hosts\" is unset"), java::log);
        }
    }

    private StockDaemon stockDaemon(Path served, String hostsAllow) {
        return StockDaemon.builder(StockRsync.requireOnPath(), tmp.resolve("sd")).proxyProtocol("127.0.0.0/8").module(StockDaemon.Module.of("mod", served).readOnly(true).line("hosts allow = " + hostsAllow))
                .start();
    }

    private JavaDaemon javaDaemon(Path served, String hostsAllow) {
        return JavaDaemon.start(tmp.resolve("jd"), JavaDaemon.asTestUser() + PROXY_GLOBALS + "reverse lookup = no\n"
                + "[mod]\npath = " + served + "\nread only = yes\nhosts allow = " + hostsAllow + "\n",
                Duration.ofSeconds(5));
    }

    /** A PROXY-protocol proxy on loopback: each connection to it reaches the daemon behind {@code header}. */
    private static LoopbackRelay relay(int daemonPort, byte[] header) throws IOException {
        return LoopbackRelay.start(client -> {
            try (Socket daemon = new Socket(InetAddress.getLoopbackAddress(), daemonPort)) {
                daemon.getOutputStream().write(header);
                LoopbackRelay.pipe(client, daemon);
            }
        });
    }

    private static String url(LoopbackRelay relay, String path) {
        return "rsync://127.0.0.1:" + relay.port() + "/" + path;
    }
}
