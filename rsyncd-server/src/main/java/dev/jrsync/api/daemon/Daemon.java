package dev.jrsync.api.daemon;

import dev.jrsync.api.Transport;
import dev.jrsync.daemon.DaemonLog;
import dev.jrsync.daemon.RsyncDaemon;
import dev.jrsync.daemon.RsyncdConfig;
import dev.jrsync.net.StreamPair;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An rsync daemon in this process: stock rsync clients (and jrsync's) push to and pull from its modules, with
 * rsyncd.conf's rules (authentication, host access, read-only and write-only modules, {@code uid}/{@code gid}
 * and chroot when the process may). It logs where its {@code log file} parameter says, and nowhere without one.
 */
public final class Daemon implements AutoCloseable {
    private final RsyncDaemon daemon;
    private final DaemonLog log;
    private int port = -1;

    private Daemon(RsyncdConfig config) {
        this.log = new DaemonLog(config.logFile() == null ? null : Path.of(config.logFile()), null);
        this.daemon = new RsyncDaemon(config, log);
    }

    /**
     * A daemon configured by {@code spec}.
     *
     * @throws IllegalArgumentException for a parameter rsyncd.conf does not have, or one in the wrong section
     */
    public static Daemon of(DaemonSpec spec) {
        Map<String, Map<String, String>> modules = new LinkedHashMap<>();
        for (ModuleSpec m : spec.modules()) {
            Map<String, String> params = new LinkedHashMap<>(m.parameters());
            params.put("path", m.path().toString());
            if (modules.put(m.name(), params) != null) {
                throw new IllegalArgumentException("module " + m.name() + " is defined twice");
            }
        }
        return new Daemon(RsyncdConfig.of(spec.globals(), modules, "DaemonSpec"));
    }

    /** A daemon configured by an rsyncd.conf file, read as {@code jrsync --daemon --config=FILE} reads it. */
    public static Daemon fromConfig(Path file) throws IOException {
        return new Daemon(RsyncdConfig.load(file));
    }

    /** Starts accepting connections at {@code address} (port 0: any free port) and returns the port. */
    public int listen(InetSocketAddress address) throws InterruptedException {
        port = daemon.start(address);
        return port;
    }

    /** The port {@link #listen} bound, or -1 before it. */
    public int port() {
        return port;
    }

    /**
     * Serves one client session over {@code transport} and returns when it has ended and closed the transport
     * (inetd mode, an SSH channel, an in-memory {@link Transport#pipe()}). Interrupting the caller ends the
     * session.
     */
    public void serve(Transport transport) throws InterruptedException {
        daemon.serve(StreamPair.of(transport.in(), transport.out(), transport::close));
    }

    /** Stops listening; sessions under way run to their end. */
    @Override
    public void close() {
        daemon.close();
        log.close();
    }
}
