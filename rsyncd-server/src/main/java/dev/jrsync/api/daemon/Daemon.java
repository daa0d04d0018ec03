package dev.jrsync.api.daemon;

import dev.jrsync.api.Transport;
import dev.jrsync.core.ExitCode;
import dev.jrsync.daemon.DaemonLog;
import dev.jrsync.daemon.PidFile;
import dev.jrsync.daemon.RsyncDaemon;
import dev.jrsync.daemon.RsyncdConfig;
import dev.jrsync.net.DaemonTls;
import dev.jrsync.net.StreamPair;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An rsync daemon in this process: stock rsync clients (and jrsync's) push to and pull from its modules, with
 * rsyncd.conf's rules (authentication, host access, read-only and write-only modules, {@code uid}/{@code gid}
 * and chroot when the process may). It logs where its {@code log file} parameter says, and nowhere without one
 * (or to {@link DaemonOptions#console()}).
 */
public final class Daemon implements AutoCloseable {
    private final RsyncdConfig config;
    private final DaemonOptions options;
    private final RsyncDaemon daemon;
    private final DaemonLog log;
    private PidFile pidFile;
    private int port = -1;

    private Daemon(RsyncdConfig config, DaemonOptions options) {
        this.config = config;
        this.options = options;
        this.log = new DaemonLog(logFile().orElse(null), options.console().orElse(null));
        this.daemon = new RsyncDaemon(config, log);
        options.maxAlloc().ifPresent(daemon::maxAlloc);
    }

    /**
     * A daemon configured by {@code spec}.
     *
     * @throws IllegalArgumentException for a parameter rsyncd.conf does not have, or one in the wrong section
     */
    public static Daemon of(DaemonSpec spec) {
        return of(spec, DaemonOptions.NONE);
    }

    /** As {@link #of(DaemonSpec)}, with the command line's additions. */
    public static Daemon of(DaemonSpec spec, DaemonOptions options) {
        Map<String, Map<String, String>> modules = new LinkedHashMap<>();
        for (ModuleSpec m : spec.modules()) {
            Map<String, String> params = new LinkedHashMap<>(m.parameters());
            params.put("path", m.path().toString());
            if (modules.put(m.name(), params) != null) {
                throw new IllegalArgumentException("module " + m.name() + " is defined twice");
            }
        }
        return new Daemon(RsyncdConfig.of(spec.globals(), modules, "DaemonSpec"), options);
    }

    /** A daemon configured by an rsyncd.conf file, read as {@code jrsync --daemon --config=FILE} reads it. */
    public static Daemon fromConfig(Path file) throws IOException {
        return fromConfig(file, DaemonOptions.NONE);
    }

    /** As {@link #fromConfig(Path)}, with the command line's additions. */
    public static Daemon fromConfig(Path file, DaemonOptions options) throws IOException {
        return new Daemon(RsyncdConfig.load(file), options);
    }

    /** The daemon's log file: the options', else the configuration's {@code log file}; empty when there is none. */
    public Optional<Path> logFile() {
        return options.logFile().or(() -> Optional.ofNullable(config.logFile()).map(Path::of));
    }

    /**
     * Starts accepting connections where the options, else the configuration, say: their port (873 without one)
     * on their address (every address without one). Returns the port.
     *
     * @throws DaemonStartException when the port cannot be bound or the {@code pid file} is held; its lines are in
     *                              the log already
     */
    public int listen() throws DaemonStartException, InterruptedException {
        int p = options.port().orElse(config.port() > 0 ? config.port() : RsyncDaemon.DEFAULT_PORT);
        String address = options.address().orElse(config.address());
        return listen(address == null ? new InetSocketAddress(p) : new InetSocketAddress(address, p));
    }

    /**
     * Starts accepting connections at {@code address} (port 0: any free port) and returns the port; the
     * configuration's {@code pid file}, if it names one, is written and held until {@link #close()}.
     *
     * @throws DaemonStartException as {@link #listen()} does
     */
    public int listen(InetSocketAddress address) throws DaemonStartException, InterruptedException {
        String pidPath = config.pidFile();
        if (pidPath != null && !pidPath.isEmpty()) {
            try {
                pidFile = PidFile.create(Path.of(pidPath), ProcessHandle.current().pid());
            } catch (PidFile.Failure e) {
                throw startFailure(ExitCode.FILE_IO, e, e.getMessage());
            }
        }
        if (options.tls().isPresent()) {
            DaemonOptions.Tls tls = options.tls().get();
            try {
                daemon.tls(DaemonTls.server(tls.certificate().toString(), tls.key().toString()));
            } catch (IOException e) {
                release();
                throw startFailure(ExitCode.FILE_IO, e, "TLS: " + e.getMessage());
            }
        }
        try {
            port = daemon.start(address);
        } catch (InterruptedException e) {
            release();
            throw e;
        } catch (Exception e) { // Netty rethrows the bind's checked exception undeclared
            release();
            // rsync/socket.c:open_socket_in
            throw startFailure(ExitCode.SOCKET_IO, e, "bind() failed: " + e.getMessage(),
                    "unable to bind any inbound sockets on port " + address.getPort());
        }
        return port;
    }

    private DaemonStartException startFailure(int code, Exception cause, String... lines) {
        List<String> all = new ArrayList<>(List.of(lines));
        all.add("rsync error: " + ExitCode.describe(code) + " (code " + code + ")");
        all.forEach(log::log);
        return new DaemonStartException(code, all, cause);
    }

    /** The port {@link #listen} bound, or -1 before it. */
    public int port() {
        return port;
    }

    /** Blocks until the daemon stops listening: until {@link #close()}, from another thread or a shutdown hook. */
    public void awaitClose() throws InterruptedException {
        daemon.awaitClose();
    }

    /**
     * Serves one client session over {@code transport} and returns when it has ended and closed the transport
     * (inetd mode, an SSH channel, an in-memory {@link Transport#pipe()}). Its {@link Transport#peer()} is the
     * client that {@code hosts allow} and {@code hosts deny} judge. Interrupting the caller ends the session.
     */
    public void serve(Transport transport) throws InterruptedException {
        daemon.serve(StreamPair.of(transport.in(), transport.out(), transport::close), transport.peer().orElse(null));
    }

    /** Stops listening and releases the pid file; sessions under way run to their end. */
    @Override
    public void close() {
        release();
        log.close();
    }

    private void release() {
        daemon.close();
        if (pidFile != null) {
            pidFile.close();
            pidFile = null;
        }
    }
}
