package dev.jrsync.daemon;

import dev.jrsync.clientserver.ArgList;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jrsync.clientserver.DaemonAuth;
import dev.jrsync.clientserver.Greeting;
import dev.jrsync.options.OptionException;
import dev.jrsync.options.ServerArgs;
import dev.jrsync.session.Connection;
import dev.jrsync.session.ProtocolSetup;
import dev.jrsync.testing.HostileInput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

/**
 * What a client sends a daemon before any file data, read in {@link DaemonSession}'s order
 * ({@code rsync/clientserver.c:start_daemon}, {@code rsync_module}, {@code authenticate.c:auth_server},
 * {@code io.c:read_args}, {@code main.c:start_server}, {@code compat.c:setup_protocol}): the
 * {@code @RSYNCD} greeting, the module line, the auth reply for module "auth", the argument list, its
 * parse into options and the module's refusals, then the checksum and compression name lists. The input
 * is the client's byte stream from its first byte, as recorded from stock clients.
 */
class HandshakeFuzzTest {
    /** The challenge of the recorded auth session, so its (correct) reply gets past authentication. */
    static final String RECORDED_CHALLENGE =
            "liUtjvfrT+n4mFdmLS1IKLWzkf+k1pMXhXMESCdVMxx1FaRh6QUwshefMf68qms5cnmLKWCelx0ysnaK3gGSeA";
    private static final RsyncdConfig CONFIG = config();
    private static final DaemonAuthenticator AUTH = new DaemonAuthenticator(user -> Set.of("staff"), false);
    private static final Greeting OURS = new Greeting(RsyncDaemon.PROTOCOL_VERSION, 0, DaemonAuth.DIGESTS);

    @FuzzTest(maxDuration = "3s")
    void clientHandshake(byte[] data) {
        HostileInput.decode(data, HandshakeFuzzTest::handshake);
    }

    private static void handshake(byte[] data) {
        Connection conn = HostileInput.connection(data, 0);
        Greeting theirs = Greeting.parse(conn.readLine());
        int protocol = Greeting.negotiate(OURS, theirs);
        if (protocol < RsyncDaemon.MIN_PROTOCOL_VERSION) {
            return;
        }
        conn.setProtocol(protocol);
        String request = conn.readLine();
        ModuleConfig module = request.length() > DaemonSession.MAX_MODULE_LINE ? null : CONFIG.module(request);
        if (module == null) {
            return;
        }
        if (!module.authUsers().isEmpty()) {
            String digest = DaemonAuth.choose(theirs.digests(), protocol);
            if (digest == null) {
                return;
            }
            try {
                AUTH.verify(module, digest, RECORDED_CHALLENGE, conn.readLine());
            } catch (DaemonAuthenticator.AuthFailure e) {
                return;
            }
        }
        List<String> args = ArgList.read(conn.in(), ArgList.separator(protocol));
        List<String> secluded = ServerArgs.secluded(args) ? ArgList.readSecluded(conn.in()) : List.of();
        ServerArgs.Parsed parsed;
        try {
            parsed = ServerArgs.parse(args, secluded);
        } catch (OptionException e) {
            return; // the daemon reports it to the client as rsync does
        }
        RefuseOptions.firstRefused(args, module.refuseOptions());
        ProtocolSetup.server(conn, parsed.options(), parsed.clientInfo(), protocol, 1, false);
    }

    private static RsyncdConfig config() {
        try {
            Path dir = Files.createTempDirectory("handshake-fuzz");
            Path secrets = dir.resolve("secrets");
            Files.writeString(secrets, "alice:sesame\n@staff:sesame2\n");
            Files.setPosixFilePermissions(secrets, PosixFilePermissions.fromString("rw-------"));
            return RsyncdConfig.parse("[mod]\npath = " + dir + "\nread only = no\nrefuse options = delete* -c\n"
                    + "[auth]\npath = " + dir + "\nauth users = alice, @staff:ro, bob:deny\nsecrets file = " + secrets
                    + "\n", "fuzz.conf");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
