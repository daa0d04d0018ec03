package dev.jrsync.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A stock rsync daemon ({@code rsync --daemon --no-detach}) on a free loopback port, configured from a builder
 * and stopped on {@link #close()}.
 *
 * <p>Every start writes {@code rsyncd.conf}, {@code rsyncd.log} (with per-file transfer logging in
 * {@link TransferLog#LOG_FORMAT}), {@code rsyncd.stderr} and one {@code <module>.secrets} per authenticated module
 * into the work directory. Failure messages include all of them via {@link #diagnostics()}.
 *
 * <p>Module defaults suit interop tests rather than production: writable, {@code use chroot = no} (no root
 * needed) and {@code munge symlinks = no} (otherwise a non-chroot module stores every pushed symlink as
 * {@code /rsyncd-munged/<target>} and trees stop comparing equal). When the tests run as root the module also
 * gets {@code uid = 0} and {@code gid = 0}: a root daemon otherwise switches to "nobody" for the transfer, and
 * then cannot chown, so {@code -a} pushes silently lose file ownership.
 */
public final class StockDaemon implements AutoCloseable {

    /** The address the daemon listens on; only loopback, so tests never expose a writable module. */
    public static final String HOST = "127.0.0.1";

    private static final int START_ATTEMPTS = 5;
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private final StockRsync rsync;
    private final Path workDir;
    private final Process process;
    private final int port;
    /** Whether connections must open with a PROXY protocol header, the readiness probe's included. */
    private final boolean proxyProtocol;

    private StockDaemon(StockRsync rsync, Path workDir, Process process, int port, boolean proxyProtocol) {
        this.rsync = rsync;
        this.workDir = workDir;
        this.process = process;
        this.port = port;
        this.proxyProtocol = proxyProtocol;
    }

    /** A builder for a daemon run by {@code rsync}, keeping its files in {@code workDir} (created if needed). */
    public static Builder builder(StockRsync rsync, Path workDir) {
        return new Builder(rsync, workDir);
    }

    public StockRsync rsync() {
        return rsync;
    }

    public int port() {
        return port;
    }

    /** {@code rsync://127.0.0.1:<port>/<module>/}: the module's root as a client argument. */
    public String url(String module) {
        return "rsync://" + HOST + ":" + port + "/" + module + "/";
    }

    /** {@code rsync://<user>@127.0.0.1:<port>/<module>/} for authenticated modules. */
    public String url(String user, String module) {
        return "rsync://" + user + "@" + HOST + ":" + port + "/" + module + "/";
    }

    public Path configFile() {
        return workDir.resolve("rsyncd.conf");
    }

    public Path logFile() {
        return workDir.resolve("rsyncd.log");
    }

    public Path stderrFile() {
        return workDir.resolve("rsyncd.stderr");
    }

    /** The daemon log as parsed so far; a session still running may be missing its last entries. */
    public TransferLog transferLog() {
        return TransferLog.read(logFile());
    }

    /**
     * Waits until at least {@code sessions} module sessions have logged their end, and returns the log. A client
     * exits as soon as it has its answer, slightly before the daemon's child writes its last lines, so tests
     * that read byte counts right after a client run must wait here.
     */
    public TransferLog awaitSessions(int sessions, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            TransferLog log = transferLog();
            if (log.sessions().size() >= sessions) {
                return log;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("daemon logged " + log.sessions().size() + " finished session(s) within "
                        + timeout + ", expected " + sessions + "\n" + diagnostics());
            }
            sleep(20);
        }
    }

    /** Configuration, stderr and the log's tail, for assertion messages. */
    public String diagnostics() {
        return "stock daemon " + rsync + " on port " + port + " (alive: " + process.isAlive() + ")\n"
                + describeFiles(configFile(), stderrFile(), logFile());
    }

    /** Stops the daemon and any session children it forked, waiting for them to exit. */
    @Override
    public void close() {
        stop(process);
    }

    /** Configures modules and global lines, then {@link #start()}s the daemon. */
    public static final class Builder {
        private final StockRsync rsync;
        private final Path workDir;
        private final List<Module> modules = new ArrayList<>();
        private final List<String> globalLines = new ArrayList<>();
        private Duration startTimeout = Duration.ofSeconds(10);
        private int fixedPort;
        private boolean proxyProtocol;

        private Builder(StockRsync rsync, Path workDir) {
            this.rsync = rsync;
            this.workDir = workDir;
        }

        public Builder module(Module module) {
            modules.add(module);
            return this;
        }

        /** A raw line for the global section, e.g. {@code motd file = ...}. */
        public Builder globalLine(String line) {
            globalLines.add(checkLine(line));
            return this;
        }

        /**
         * {@code proxy protocol = yes}, believing the PROXY headers of the proxies {@code trustedHosts} names
         * ({@code proxy protocol hosts}, rsync 3.5).
         */
        public Builder proxyProtocol(String trustedHosts) {
            proxyProtocol = true;
            return globalLine("proxy protocol = yes").globalLine("proxy protocol hosts = " + trustedHosts);
        }

        /**
         * Listens on this port instead of a free one picked at random (no retry elsewhere when it is taken): a
         * daemon restarted on the address its clients already use.
         */
        public Builder port(int port) {
            this.fixedPort = port;
            return this;
        }

        /** How long to wait for the port to accept connections (default 10 s). */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        /**
         * Writes the configuration and starts the daemon on a free port, retrying with another port when the
         * one picked was taken in the meantime; returns once the daemon answers with its {@code @RSYNCD:} greeting.
         */
        public StockDaemon start() {
            try {
                Files.createDirectories(workDir);
                Files.writeString(workDir.resolve("rsyncd.conf"), config(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write daemon configuration in " + workDir, e);
            }
            String lastFailure = "";
            for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
                int port = fixedPort > 0 ? fixedPort : freeLoopbackPort();
                StockDaemon daemon = launch(port);
                String failure = daemon.awaitReady(startTimeout);
                if (failure == null) {
                    return daemon;
                }
                daemon.close();
                lastFailure = failure + "\n" + daemon.diagnostics();
                boolean portTaken = readQuietly(daemon.stderrFile()).contains("in use")
                        || readQuietly(daemon.logFile()).contains("in use");
                if (!portTaken || fixedPort > 0) {
                    break;
                }
            }
            throw new AssertionError("stock rsync daemon did not start: " + lastFailure);
        }

        private StockDaemon launch(int port) {
            Path log = workDir.resolve("rsyncd.log");
            Path stderr = workDir.resolve("rsyncd.stderr");
            try {
                Files.deleteIfExists(log);
                ProcessBuilder pb = new ProcessBuilder(rsync.binary().toString(), "--daemon", "--no-detach",
                        "--config=" + workDir.resolve("rsyncd.conf"), "--port=" + port, "--address=" + HOST)
                        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                        .redirectErrorStream(true)
                        .redirectOutput(stderr.toFile());
                return new StockDaemon(rsync, workDir, pb.start(), port, proxyProtocol);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + rsync.binary() + " --daemon", e);
            }
        }

        private String config() throws IOException {
            StringBuilder conf = new StringBuilder();
            conf.append("# written by dev.jrsync.testing.StockDaemon\n");
            conf.append("log file = ").append(workDir.resolve("rsyncd.log")).append('\n');
            conf.append("transfer logging = yes\n");
            conf.append("log format = ").append(TransferLog.LOG_FORMAT).append('\n');
            // Skips a DNS lookup per connection, which can cost a second or more on build hosts.
            conf.append("reverse lookup = no\n");
            for (String line : globalLines) {
                conf.append(line).append('\n');
            }
            for (Module m : modules) {
                conf.append('\n').append(m.section(workDir));
            }
            return conf.toString();
        }
    }

    /** One {@code [module]} section. Unset options keep the defaults described on {@link StockDaemon}. */
    public static final class Module {
        private final String name;
        private Path path;
        private boolean readOnly;
        private boolean useChroot;
        private boolean mungeSymlinks;
        private boolean useChrootSet;
        private boolean mungeSet;
        private boolean daemonDefaults;
        private String uid;
        private String gid;
        private Boolean numericIds;
        private final Map<String, String> authUsers = new LinkedHashMap<>();
        private final List<String> lines = new ArrayList<>();

        private Module(String name) {
            if (name.isEmpty() || name.contains("]") || name.contains("/") || !name.equals(name.strip())) {
                throw new IllegalArgumentException("unusable module name: '" + name + "'");
            }
            this.name = checkLine(name);
        }

        /** A writable module named {@code name} serving {@code path} (which must exist). */
        public static Module of(String name, Path path) {
            Module m = new Module(name);
            m.path = path;
            return m;
        }

        public Module readOnly(boolean readOnly) {
            this.readOnly = readOnly;
            return this;
        }

        public Module useChroot(boolean useChroot) {
            this.useChroot = useChroot;
            this.useChrootSet = true;
            return this;
        }

        public Module mungeSymlinks(boolean munge) {
            this.mungeSymlinks = munge;
            this.mungeSet = true;
            return this;
        }

        /**
         * Leaves {@code uid}, {@code gid}, {@code use chroot} and {@code munge symlinks} to the daemon's own
         * defaults (a root daemon then runs the module as nobody, chrooted) unless set on this module.
         */
        public Module daemonIdentityDefaults() {
            this.daemonDefaults = true;
            return this;
        }

        /** The user the transfer runs as (only honoured by a root daemon); overrides the root default. */
        public Module uid(String uid) {
            this.uid = checkLine(uid);
            return this;
        }

        /** The group(s) the transfer runs as (only honoured by a root daemon); overrides the root default. */
        public Module gid(String gid) {
            this.gid = checkLine(gid);
            return this;
        }

        public Module numericIds(boolean numericIds) {
            this.numericIds = numericIds;
            return this;
        }

        /**
         * Requires authentication as {@code user} with {@code secret}; all such users go to {@code auth users}
         * and to the module's secrets file.
         */
        public Module authUser(String user, String secret) {
            if (user.contains(":") || user.contains(",")) {
                throw new IllegalArgumentException("unusable user name: '" + user + "'");
            }
            authUsers.put(checkLine(user), checkLine(secret));
            return this;
        }

        /** A raw line for this section, e.g. {@code refuse options = delete}. */
        public Module line(String line) {
            lines.add(checkLine(line));
            return this;
        }

        public String name() {
            return name;
        }

        private String section(Path workDir) throws IOException {
            StringBuilder s = new StringBuilder();
            s.append('[').append(name).append("]\n");
            s.append("path = ").append(path.toAbsolutePath()).append('\n');
            s.append("read only = ").append(yesNo(readOnly)).append('\n');
            if (!daemonDefaults || useChrootSet) {
                s.append("use chroot = ").append(yesNo(useChroot)).append('\n');
            }
            if (!daemonDefaults || mungeSet) {
                s.append("munge symlinks = ").append(yesNo(mungeSymlinks)).append('\n');
            }
            boolean rootDefault = CurrentUser.isRoot() && !daemonDefaults;
            String effectiveUid = uid != null ? uid : rootDefault ? "0" : null;
            String effectiveGid = gid != null ? gid : rootDefault ? "0" : null;
            if (effectiveUid != null) {
                s.append("uid = ").append(effectiveUid).append('\n');
            }
            if (effectiveGid != null) {
                s.append("gid = ").append(effectiveGid).append('\n');
            }
            if (numericIds != null) {
                s.append("numeric ids = ").append(yesNo(numericIds)).append('\n');
            }
            if (!authUsers.isEmpty()) {
                Path secrets = writeSecrets(workDir);
                s.append("auth users = ").append(String.join(", ", authUsers.keySet())).append('\n');
                s.append("secrets file = ").append(secrets).append('\n');
            }
            for (String line : lines) {
                s.append(line).append('\n');
            }
            return s.toString();
        }

        /**
         * Writes {@code user:secret} lines with mode 0600 from the moment the file exists: the daemon's default
         * {@code strict modes} rejects a secrets file other users could read (rsync/authenticate.c:get_secret).
         */
        private Path writeSecrets(Path workDir) throws IOException {
            Path secrets = workDir.resolve(name + ".secrets");
            Files.deleteIfExists(secrets);
            Files.createFile(secrets, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            StringBuilder s = new StringBuilder();
            authUsers.forEach((user, secret) -> s.append(user).append(':').append(secret).append('\n'));
            Files.writeString(secrets, s.toString(), StandardCharsets.UTF_8);
            return secrets;
        }
    }

    /**
     * Waits for the greeting on the port; returns null when ready, else why not. A plain connect is not enough:
     * another process might have grabbed the port between {@link #freeLoopbackPort} and the daemon's bind.
     */
    private String awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return "daemon exited with code " + process.exitValue();
            }
            if (greets()) {
                return null;
            }
            sleep(25);
        }
        return "port " + port + " did not answer with an @RSYNCD: greeting within " + timeout;
    }

    private boolean greets() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getByName(HOST), port), 250);
            s.setSoTimeout(1000);
            if (proxyProtocol) {
                // a header that names no client: the probe stays the loopback peer it is
                s.getOutputStream().write("PROXY UNKNOWN\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            var in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            String line = in.readLine();
            return line != null && line.startsWith("@RSYNCD:");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Binds an ephemeral loopback port and releases it for the daemon. The daemon binds it moments later; the
     * small race with other processes is covered by {@link Builder#start()}'s retry.
     */
    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    private static void stop(Process process) {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
            for (ProcessHandle child : children) {
                try {
                    child.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    child.destroyForcibly();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException(e);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String describeFiles(Path... files) {
        StringBuilder s = new StringBuilder();
        for (Path f : files) {
            String text = readQuietly(f);
            List<String> lines = text.lines().toList();
            int from = Math.max(0, lines.size() - 60);
            s.append("--- ").append(f.getFileName()).append(from > 0 ? " (last 60 lines)" : "").append(" ---\n");
            lines.subList(from, lines.size()).forEach(l -> s.append(l).append('\n'));
        }
        return s.toString();
    }

    private static String readQuietly(Path f) {
        try {
            return Files.exists(f) ? new String(Files.readAllBytes(f), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }

    private static String checkLine(String value) {
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("configuration values cannot contain line breaks: " + value);
        }
        return value;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
