package dev.jrsync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.api.daemon.Daemon;
import dev.jrsync.api.daemon.DaemonOptions;
import dev.jrsync.api.daemon.DaemonSpec;
import dev.jrsync.api.daemon.ModuleSpec;
import dev.jrsync.testing.CurrentUser;
import dev.jrsync.testing.Peers;
import dev.jrsync.testing.ProcessResult;
import dev.jrsync.testing.StockClient;
import dev.jrsync.testing.StockRsync;
import dev.jrsync.testing.TestTrees;
import dev.jrsync.testing.TreeAssert;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Daemon connections over TLS: the Java daemon with {@code --tls-cert}/{@code --tls-key} (through the daemon API's
 * options, as {@code jrsync --daemon} sets them) takes jrsync's {@code --tls} client and stock rsync's own
 * {@code rsync-ssl} (its openssl mode: {@code openssl s_client} checking the chain and the host name), push and
 * pull; a certificate the client does not trust, and a client that does not speak TLS, get nowhere.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TlsIT {
    /** stock rsync's script, which runs rsync with itself (and openssl s_client) as the remote shell */
    private static final Path RSYNC_SSL = Path.of("/usr/bin/rsync-ssl");

    @TempDir
    Path tmp;

    @Test
    void pushesAndPullsOverTlsWithJrsyncAndStockRsyncSsl() throws Exception {
        Peers.require(Files.isExecutable(Path.of("/usr/bin/openssl")), () -> "openssl (for the test's certificate"
                + " and rsync-ssl's openssl mode) is not installed");
        Path cert = tmp.resolve("cert.pem");
        Path key = tmp.resolve("key.pem");
        Process gen = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-subj",
                "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-days", "2")
                .redirectErrorStream(true).start();
        assertEquals(0, gen.waitFor(), new String(gen.getInputStream().readAllBytes()));

        Path src = tmp.resolve("src");
        TestTrees.buildVaried(src, TestTrees.Omit.SPECIALS);
        Path module = Files.createDirectories(tmp.resolve("module"));
        DaemonSpec spec = DaemonSpec.of(ModuleSpec.of("mod", module).with("read only", "no")
                .with("munge symlinks", "no")).with("use chroot", "no");
        if (CurrentUser.isRoot()) {
            spec = spec.with("uid", "0").with("gid", "0");
        }
        DaemonOptions options = new DaemonOptions(OptionalInt.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), OptionalLong.empty(), Optional.of(new DaemonOptions.Tls(cert, key)));
        try (Daemon daemon = Daemon.of(spec, options)) {
            int port = daemon.listen(new InetSocketAddress("127.0.0.1", 0));
            String url = "rsyncs://127.0.0.1:" + port + "/mod/";

            Jrsync push = Jrsync.run("-a", "--tls-ca=" + cert, src + "/", url);
            assertEquals(0, push.exitCode(), push::toString);
            TreeAssert.assertIdentical(src, module, TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));
            // a changed big file still goes as a delta inside the tunnel
            TestTrees.editInPlace(src.resolve(TestTrees.BIG_FILE), 5, 3);
            Jrsync delta = Jrsync.run("-a", "--stats", "--tls-ca=" + cert, src + "/", url);
            assertEquals(0, delta.exitCode(), delta::toString);
            assertTrue(delta.statsValue("Literal data") < TestTrees.BIG_SIZE / 20, delta::toString);
            Path back = tmp.resolve("back");
            Jrsync pull = Jrsync.run("-a", "--tls", "--tls-ca=" + cert, "rsync://127.0.0.1:" + port + "/mod/",
                    back + "/");
            assertEquals(0, pull.exitCode(), pull::toString);
            TreeAssert.assertIdentical(src, back, TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));

            Jrsync untrusted = Jrsync.run("-a", src + "/", url);
            assertEquals(10, untrusted.exitCode(), untrusted::toString);
            assertTrue(untrusted.stderr().contains("TLS handshake with 127.0.0.1 (" + port + ") failed")
                    && untrusted.stderr().contains("certification path"), untrusted::toString);
            Jrsync plain = Jrsync.run("-a", src + "/", "rsync://127.0.0.1:" + port + "/mod/");
            assertNotEquals(0, plain.exitCode(), plain::toString);

            // stock rsync's rsync-ssl: openssl s_client verifies the chain and the name "localhost"
            Path stockBack = tmp.resolve("stock-back");
            Peers.require(Files.isExecutable(RSYNC_SSL), () -> RSYNC_SSL + " is not installed");
            StockRsync rsync = StockRsync.requireOnPath();
            StockClient stock = StockClient.of(new StockRsync(RSYNC_SSL, rsync.version(), rsync.protocol()))
                    .env("RSYNC_SSL_CA_CERT", cert.toString()).env("RSYNC_SSL_TYPE", "openssl");
            ProcessResult sslPull = stock.run("-a", "rsync://localhost:" + port + "/mod/", stockBack + "/");
            assertEquals(0, sslPull.exitCode(), sslPull::transcript);
            TreeAssert.assertIdentical(src, stockBack, TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));
            Files.writeString(src.resolve("pushed-by-rsync-ssl.txt"), "over TLS\n");
            ProcessResult sslPush = stock.run("-a", src + "/", "rsync://localhost:" + port + "/mod/");
            assertEquals(0, sslPush.exitCode(), sslPush::transcript);
            TreeAssert.assertIdentical(src, module, TreeAssert.exact(TreeAssert.Option.IGNORE_SYMLINK_MTIMES));
        }
    }
}
