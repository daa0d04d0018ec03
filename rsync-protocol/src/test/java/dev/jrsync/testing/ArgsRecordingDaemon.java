package dev.jrsync.testing;

import dev.jrsync.clientserver.ArgList;
import dev.jrsync.clientserver.DaemonAuth;
import dev.jrsync.clientserver.Greeting;
import dev.jrsync.core.SessionLog;
import dev.jrsync.options.ServerArgs;
import dev.jrsync.session.Connection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

/**
 * A loopback "daemon" that admits a client to any module, reads the server argument list it sends after
 * {@code @RSYNCD: OK}, and hangs up: how the tests learn what a stock client asks of a daemon
 * ({@code rsync/clientserver.c:start_inband_exchange}) without a real transfer.
 */
public final class ArgsRecordingDaemon {
    private ArgsRecordingDaemon() {}

    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(20);

    /**
     * Starts a one-session daemon, runs {@code client} with the arguments {@code argv} makes for its port and
     * returns the argument list the client sent (rsync's dummy program name excluded). The client's own failure
     * after the hang-up is expected and ignored; a client that sends nothing fails the test with its output.
     */
    public static List<String> record(StockClient client, IntFunction<List<String>> argv) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout((int) SESSION_TIMEOUT.toMillis());
            CompletableFuture<List<String>> sent = CompletableFuture.supplyAsync(() -> serveOne(socket),
                    r -> Thread.ofVirtual().start(r));
            ProcessResult r = client.timeout(SESSION_TIMEOUT).run(argv.apply(socket.getLocalPort()));
            try {
                return sent.get(SESSION_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new AssertionError("the client sent no argument list: exit " + r.exitCode() + ": "
                        + (r.stdout() + r.stderr()).strip(), e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static List<String> serveOne(ServerSocket socket) {
        try (Socket s = socket.accept()) {
            s.setSoTimeout((int) SESSION_TIMEOUT.toMillis());
            return admit(new Connection(s.getInputStream(), s.getOutputStream(),
                    SessionLog.of(System.out, System.out))).args();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a client sent before the session proper: the protocol both settled on and its argument list. */
    public record Admitted(int protocol, List<String> args) {
        public Admitted {
            args = List.copyOf(args);
        }
    }

    /**
     * Greets the client on {@code conn} as a protocol-32 daemon, admits it to whatever module it names and reads
     * its argument list; {@code conn} is left at the negotiated protocol.
     */
    // rsync/clientserver.c:rsync_module up to read_args, minus every check a daemon makes
    public static Admitted admit(Connection conn) {
        Greeting ours = new Greeting(ServerArgs.PROTOCOL_VERSION, 0, DaemonAuth.DIGESTS);
        conn.writeLine(ours.format());
        int protocol = Greeting.negotiate(ours, Greeting.parse(conn.readLine()));
        conn.setProtocol(protocol);
        conn.readLine(); // the module: any will do
        conn.writeLine("@RSYNCD: OK");
        return new Admitted(protocol, ArgList.read(conn.in(), ArgList.separator(protocol)));
    }
}
