package dev.jrsync.daemon;

import dev.jrsync.clientserver.ArgList;
import dev.jrsync.clientserver.DaemonAuth;
import dev.jrsync.clientserver.Greeting;
import dev.jrsync.clientserver.ModuleLine;
import dev.jrsync.core.Escaped;
import dev.jrsync.core.ExitCode;
import dev.jrsync.core.PathBytes;
import dev.jrsync.core.RsyncException;
import dev.jrsync.flist.IdNames;
import dev.jrsync.fs.OperatorFile;
import dev.jrsync.fs.OperatorPath;
import dev.jrsync.fs.Posix;
import dev.jrsync.options.OptionException;
import dev.jrsync.options.Options;
import dev.jrsync.options.OptionsBuilder;
import dev.jrsync.options.ServerArgs;
import dev.jrsync.session.Connection;
import dev.jrsync.session.ProtocolSetup;
import dev.jrsync.session.SessionRunner;
import dev.jrsync.session.SessionParams;
import dev.jrsync.wire.AllocationRefused;
import dev.jrsync.wire.MsgCode;
import dev.jrsync.core.LogFormat;
import dev.jrsync.wire.ProtocolException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * One client connection to the daemon ({@code rsync/clientserver.c:start_daemon}, {@code rsync_module},
 * {@code main.c:start_server}): greeting and MOTD, module listing or selection, host and connection-count
 * checks, authentication, the argument list, protocol setup as server, then the role.
 */
final class DaemonSession implements Runnable {
    /** The longest module line accepted (rsync reads it into a 1024-byte buffer). */
    static final int MAX_MODULE_LINE = 1024;
    /** How long a failing session waits for the client to read its error before closing. */
    static final long ERROR_DRAIN_MILLIS = 2000;
    /** The most {@code --compress-threads} a client gets (rsync's MAX_DAEMON_COMPRESSION_THREADS). */
    static final int MAX_COMPRESSION_THREADS = 8;
    /** A message of the day is a screenful; the rest of a larger file is not sent. */
    static final int MAX_MOTD_BYTES = 64 << 10;
    /** rsync's {@code RSYNC_REQUEST} stops growing past this many characters ({@code io.c:read_args}). */
    static final int MAX_REQUEST_CHARS = 1024;
    /** The exit status of a session refused before its transfer: rsync's child exits with -1 from rsync_module. */
    static final int REFUSED_STATUS = 255;

    private static final SecureRandom SEEDS = new SecureRandom();
    private static final String UNKNOWN_ADDR = "0.0.0.0";

    private final RsyncDaemon daemon;
    private final SessionLink link;
    /**
     * The client: the link's peer, or the one a trusted proxy's PROXY header names; null when the link is not a
     * socket and no header named one.
     */
    private InetAddress client;
    /** The client's address as rsync logs it; 0.0.0.0 on a link that is not a socket (rsync/socket.c:client_addr). */
    private String addr;
    private String host;
    private final DaemonLog log;
    /** Whether this session sends files (a pull), for the role named in its error line. */
    private boolean serving;
    /** Whether the receiving role has started: its failure drains what the client still sends, at any protocol. */
    private boolean receiving;
    /** What the session's hooks and {@code %VAR%} references see of it so far. */
    private ModuleEnv env = ModuleEnv.EMPTY;
    /** The client's {@code --early-input} bytes, for the module's {@code early exec}. */
    private byte[] earlyInput = new byte[0];
    /** The module's {@code pre-xfer exec}, expanded, when it has one. */
    private String preXfer;
    /** The module's {@code name converter} command, expanded, when it has one. */
    private String nameConverterCommand;
    /** The running {@code name converter}, once started; ended with the session. */
    private NameConverter nameConverter;
    /** The module root, opened before the session took the module's identity; closed with the session. */
    private ConfinedDirs moduleDirs;
    /** The module's {@code post-xfer exec}, once the session has come far enough to owe it a run; else null. */
    private String postXfer;
    /** What the session had read of the client when the protocol setup was done. */
    private long readAtSetup;
    /** The session's exit status as rsync's forked child would end with it, for {@code post-xfer exec}. */
    private int exitStatus = REFUSED_STATUS;

    DaemonSession(RsyncDaemon daemon, SessionLink link) {
        this.daemon = daemon;
        this.link = link;
        this.client = link.peer();
        this.addr = client == null ? UNKNOWN_ADDR : client.getHostAddress();
        this.log = daemon.log();
        this.host = ClientName.UNDETERMINED;
    }

    @Override
    public void run() {
        ClientMessages messages = new ClientMessages(log, "");
        Connection conn = new Connection(link.input(), link.output(), messages);
        try {
            session(conn, messages);
        } catch (ProtocolException e) {
            exitStatus = ExitCode.PROTOCOL_INCOMPATIBLE;
            log.log("rsync: connection with " + host + " (" + addr + ") ended: " + e.getMessage());
        } catch (UncheckedIOException e) {
            exitStatus = ExitCode.STREAM_IO;
            log.log("rsync: connection with " + host + " (" + addr + ") ended: " + Posix.describe(e.getCause()));
        } catch (RuntimeException e) {
            // The class name of an unexpected exception says nothing to an administrator; the stack is for a debugger.
            log.log("rsync: session with " + host + " (" + addr + ") failed: "
                    + (e.getMessage() == null ? "internal error" : Posix.withoutFdPaths(e.getMessage())));
        } finally {
            conn.in().maxAlloc().close();
            if (nameConverter != null) {
                nameConverter.close();
            }
            if (moduleDirs != null) {
                moduleDirs.close();
            }
            closeWhenWritten();
        }
        runPostXfer();
    }

    /**
     * Whether the connection comes from a proxy {@code proxy protocol hosts} names, as {@code hosts allow} words
     * matched against its address alone ({@code rsync/clientserver.c:proxy_peer_allowed},
     * {@code access.c:allow_proxy_protocol_peer}): anyone else could name any client it liked. An empty list
     * trusts no one.
     */
    private boolean trustedProxy() {
        List<String> trusted = daemon.config().proxyProtocolHosts();
        HostAccess.Verdict verdict = trusted.isEmpty() ? new HostAccess.Verdict(false, host)
                : HostAccess.check(clientOrUnknown(), host, false, trusted, List.of());
        if (!verdict.allowed()) {
            log.log("proxy protocol rejected from untrusted peer " + verdict.host() + " (" + addr + ")");
        }
        return verdict.allowed();
    }

    /** Reads the PROXY header ({@link ProxyHeader}); the client it names replaces the proxy's address. */
    private boolean readProxyHeader() {
        ProxyHeader.Step step;
        try {
            step = ProxyHeader.read(link.input());
        } catch (IOException e) {
            return false;
        }
        if (!(step instanceof ProxyHeader.Accepted(InetAddress source))) {
            return false;
        }
        if (source != null) {
            client = source;
            addr = source.getHostAddress();
        }
        return true;
    }

    private InetAddress clientOrUnknown() {
        return client != null ? client : InetAddress.ofLiteral(UNKNOWN_ADDR);
    }

    /**
     * rsync's post-xfer parent waits for the session's process, closed from the client, and then runs the
     * command with the session's exit status ({@code clientserver.c:rsync_module}).
     */
    private void runPostXfer() {
        if (postXfer == null) {
            return;
        }
        ModuleEnv done = env.with("RSYNC_RAW_STATUS", Integer.toString(exitStatus << 8))
                .with("RSYNC_EXIT_STATUS", Integer.toString(exitStatus));
        try {
            daemon.shellExec().run(postXfer, done.environment(), new byte[0], false);
        } catch (IOException e) {
            log.log("post-xfer exec failed: " + Posix.describe(e));
        }
    }

    private void session(Connection conn, ClientMessages messages) {
        if (daemon.config().proxyProtocol() && !(trustedProxy() && readProxyHeader())) {
            return; // dropped before the greeting, without a word to the peer
        }
        if (daemon.config().reverseLookup() && client != null) {
            // here, on the session's own thread: a slow resolver must not stall the event loop
            host = ClientName.of(client, log);
        }
        log.log("connect from " + host + " (" + addr + ")");
        RsyncdConfig config = daemon.config();
        Greeting mine = new Greeting(RsyncDaemon.PROTOCOL_VERSION, 0, DaemonAuth.DIGESTS);
        conn.writeLine(mine.format());
        sendMotd(conn, config.motdFile());

        Greeting theirs;
        try {
            theirs = Greeting.parse(conn.readLine());
        } catch (ProtocolException e) {
            conn.writeLine("@ERROR: protocol startup error");
            log.log("protocol startup error from " + addr + ": " + e.getMessage());
            return;
        }
        int protocol = Greeting.negotiate(mine, theirs);
        if (protocol < RsyncDaemon.MIN_PROTOCOL_VERSION) {
            conn.writeLine("@ERROR: protocol version mismatch -- is your client too old? (we need "
                    + RsyncDaemon.MIN_PROTOCOL_VERSION + ")");
            return;
        }
        conn.setProtocol(protocol);

        String request = conn.readLine();
        if (request.startsWith(Greeting.EARLY_INPUT)) {
            // rsync/clientserver.c:start_daemon: --early-input's bytes come before the module line
            int len = earlyInputLength(request.substring(Greeting.EARLY_INPUT.length()));
            if (len <= 0 || len > Greeting.MAX_EARLY_INPUT) {
                conn.writeLine("@ERROR: invalid early_input length");
                return;
            }
            earlyInput = conn.in().readBytes(len);
            request = conn.readLine();
        }
        if (request.length() > MAX_MODULE_LINE) {
            conn.writeLine("@ERROR: module name too long");
            return;
        }
        if (request.isEmpty() || request.equals("#list")) {
            log.log("module-list request from " + host + " (" + addr + ")");
            sendListing(conn, config);
            return;
        }
        if (request.startsWith("#")) {
            conn.writeLine("@ERROR: Unknown command '" + Escaped.of(request) + "'");
            return;
        }
        String name = request;
        ModuleConfig configured = config.module(name);
        if (configured == null) {
            conn.writeLine("@ERROR: Unknown module '" + Escaped.of(name) + "'");
            log.log("unknown module '" + name + "' tried from " + host + " (" + addr + ")");
            return;
        }
        if (host.equals(ClientName.UNDETERMINED) && configured.reverseLookup() && client != null) {
            host = ClientName.of(client, log);
        }
        env = env.with("RSYNC_MODULE_NAME", name).with("RSYNC_HOST_NAME", host).with("RSYNC_HOST_ADDR", addr);
        // what the access checks read is expanded now; the rest again once the user is known
        ModuleConfig module = configured.expanded(env);
        HostAccess.Verdict verdict = HostAccess.check(clientOrUnknown(), host, module.forwardLookup(), module.hostsAllow(),
                module.hostsDeny());
        host = verdict.host();
        if (!verdict.allowed()) {
            log.log("rsync denied on module " + name + " from " + host + " (" + addr + ")");
            conn.writeLine(module.list() ? "@ERROR: access denied to " + name + " from " + host + " (" + addr + ")"
                    : "@ERROR: Unknown module '" + name + "'");
            return;
        }
        int max = module.maxConnections();
        if (!daemon.slots().claim(name, max)) {
            log.log("max connections (" + max + ") reached");
            conn.writeLine("@ERROR: max connections (" + max + ") reached -- try again later");
            return;
        }
        FileLock lockSlot = null;
        try {
            if (max > 0 && module.isSet("lock file")) {
                lockSlot = daemon.lockFileSlots().claim(Path.of(module.lockFile()), max);
                if (lockSlot == null) {
                    log.log("max connections (" + max + ") reached");
                    conn.writeLine("@ERROR: max connections (" + max + ") reached -- try again later");
                    return;
                }
            }
            link.armDeadline(daemon.handshakeDeadline(module.timeout()));
            moduleSession(conn, messages, theirs, protocol, configured, module);
        } catch (IOException e) {
            log.log("failed to open lock file " + module.lockFile() + ": " + Posix.describe(e));
            conn.writeLine("@ERROR: failed to open lock file");
        } finally {
            release(lockSlot);
            daemon.slots().release(name);
        }
    }

    /**
     * Opens the module root for the session ({@code rsync/clientserver.c:rsync_module}'s chdir into it while still
     * root): what the session reads is resolved beneath this descriptor, never by the module's path again, which
     * the module's uid may not be able to walk. False when it cannot be opened, the client told.
     */
    private boolean pinModule(Connection conn, Path root, boolean chrooted) {
        try {
            moduleDirs = new ConfinedDirs(daemon.opener(), root, "", chrooted);
            return true;
        } catch (IOException e) {
            log.log("chdir " + root + " failed: " + Posix.describe(e));
            conn.writeLine("@ERROR: chdir failed");
            return false;
        }
    }

    private static void release(FileLock slot) {
        if (slot != null) {
            try {
                slot.release();
            } catch (IOException ignored) {
                // the daemon's channel is closed: the lock went with it
            }
        }
    }

    // rsync/clientserver.c:rsync_module
    private void moduleSession(Connection conn, ClientMessages messages, Greeting theirs, int protocol,
                               ModuleConfig configured, ModuleConfig module) {
        String name = module.name();
        String user = "";
        boolean readOnly = module.readOnly();
        if (!module.authUsers().isEmpty()) {
            String digest = DaemonAuth.choose(theirs.digests(), protocol);
            if (digest == null) {
                conn.writeLine("@ERROR: your client does not support one of our daemon-auth checksums: "
                        + String.join(" ", DaemonAuth.DIGESTS));
                return;
            }
            DaemonAuthenticator.Login login;
            try {
                DaemonAuthenticator.checkDigestFloor(module, digest);
                String challenge = DaemonAuthenticator.challenge(digest, addr);
                conn.writeLine("@RSYNCD: AUTHREQD " + challenge);
                String reply = conn.readLine();
                login = daemon.authenticator().verify(module, digest, challenge, reply);
            } catch (DaemonAuthenticator.AuthFailure e) {
                // rsync/authenticate.c:auth_server's log line
                log.log("auth failed on module " + name + " from " + host + " (" + addr + ")"
                        + (e.user() != null ? " for " + e.user() : "") + ": " + e.getMessage());
                conn.writeLine("@ERROR: auth failed on module " + name);
                return;
            }
            user = login.user();
            if (login.access() == DaemonAuthenticator.Access.READ_ONLY) {
                readOnly = true;
            } else if (login.access() == DaemonAuthenticator.Access.READ_WRITE) {
                readOnly = false;
            }
        }
        env = env.with("RSYNC_USER_NAME", user);
        module = configured.expanded(env); // path = /home/%RSYNC_USER_NAME%, uid = %RSYNC_USER_NAME%, ...
        if (module.path() == null || module.path().isEmpty()) {
            log.log("No path specified for module " + name);
            conn.writeLine("@ERROR: no path setting.");
            return;
        }
        env = env.with("RSYNC_MODULE_PATH", Path.of(module.path()).normalize().toString());
        if (!startHooks(conn, module)) {
            return;
        }
        ModulePaths paths;
        try {
            paths = new ModulePaths(name, Path.of(module.path()));
        } catch (IOException e) {
            log.log("chdir " + module.path() + " failed: " + Posix.describe(e));
            conn.writeLine("@ERROR: chdir failed");
            return;
        }
        ModuleIdentity identity;
        ModuleFilter filter;
        DaemonLog transferLog = daemon.logOf(module);
        try {
            identity = ModuleIdentity.resolve(module, paths.root(), IdNames.system(), UnixGroups.system()::groupsOf,
                    log);
            if (!identity.chroot()) {
                // rsync 3.5's change_dir for a daemon that does not chroot: the module path is entered through root's
                // and the daemon's own symlinks only, so a link someone else planted on the way cannot move the
                // module (checked before the session takes the module's uid, whose own links would pass)
                try {
                    Posix.close(OperatorPath.openDirectory(Path.of(""), module.path(), false, false));
                } catch (IOException e) {
                    log.log("chdir " + module.path() + " failed: " + Posix.describe(e));
                    conn.writeLine("@ERROR: chdir failed");
                    return;
                }
            }
            // the module's filter files are read before the chroot: they live outside the module
            filter = ModuleFilter.of(module, identity.sessionRoot());
            if (!identity.chroot() && !pinModule(conn, paths.root(), false)) {
                return;
            }
            identity.enter();
        } catch (ModuleIdentity.Refused e) {
            log.log(e.getMessage());
            conn.writeLine("@ERROR: " + e.clientText);
            return;
        } catch (RsyncException e) {
            log.log(e.getMessage());
            conn.writeLine("@ERROR: " + e.getMessage());
            return;
        }
        if (identity.chroot()) {
            try {
                paths = new ModulePaths(name, identity.sessionRoot());
            } catch (IOException e) {
                log.log("chdir " + identity.sessionRoot() + " failed: " + Posix.describe(e));
                conn.writeLine("@ERROR: chdir failed");
                return;
            }
            if (!pinModule(conn, paths.root(), true)) {
                return;
            }
        }
        if (identity.mungeSymlinks() && Files.isDirectory(Path.of(SymlinkMunging.PREFIX))) {
            // A real /rsyncd-munged would let munged symlinks point somewhere after all.
            log.log("Symlink munging is unsafe when a " + SymlinkMunging.PREFIX + " directory exists.");
            conn.writeLine("@ERROR: daemon security issue -- contact admin");
            return;
        }
        if (!identity.chroot()) {
            messages.hideModuleDir(paths.root()); // in a chroot the session's paths are the module's already
        }
        link.armDeadline(daemon.handshakeDeadline(module.timeout()));
        conn.writeLine("@RSYNCD: OK");

        List<String> args = ArgList.read(conn.in(), ArgList.separator(protocol));
        List<String> secluded = List.of();
        if (ServerArgs.secluded(args)) {
            // rsync/clientserver.c:rsync_module: -s among the first arguments, the rest follow as a second list
            secluded = ArgList.readSecluded(conn.in());
        }
        link.handshakeComplete();
        List<String> allArgs = new ArrayList<>(args);
        allArgs.addAll(secluded);
        String preXferFailure = preXfer != null ? runPreXfer(preXfer, name, allArgs) : null;
        if (nameConverterCommand != null && !startNameConverter(name, allArgs, messages) && preXferFailure == null) {
            preXferFailure = "name-converter exec preparation failed";
        }
        if (module.timeout() > 0) {
            link.idleTimeout(module.timeout());
        }

        Options asked;
        String refusal = null;
        try {
            ServerArgs.Parsed parsed = ServerArgs.parse(args, secluded);
            asked = parsed.options();
            String refused = RefuseOptions.firstRefused(allArgs, module.refuseOptions());
            if (refused != null) {
                refusal = "The server is configured to refuse " + refused;
                log.log("rsync: " + refusal); // the administrator sees which option was refused, as in rsync
            }
        } catch (OptionException e) {
            asked = fallbackOptions(allArgs);
            refusal = e.getMessage();
        }
        OptionsBuilder applied = asked.toBuilder();
        applied.verbose = Math.min(asked.verbose(), module.maxVerbosity());
        // rsync/options.c: one client, anonymous perhaps, may not have the sender start zstd's hundreds of workers
        applied.compressThreads = Math.min(asked.compressThreads(), MAX_COMPRESSION_THREADS);
        // rsync/clientserver.c:rsync_module: the module decides; a client's own --fake-super does not carry
        // over (rsync turns it into --super, which a daemon that is not root cannot use)
        applied.fakeSuper = module.fakeSuper();
        Options options = applied.build();
        if (options.bwlimit() > 0) {
            // rsync/io.c:sleep_for_bwlimit: a server paces what it writes at the client's --bwlimit too
            link.paceWrites(options.bwlimit() * 1024L);
        }
        conn.in().setMaxAlloc(daemon.sessionAlloc(options));
        String clientInfo = options.clientInfo() == null ? "" : options.clientInfo();
        SessionParams params = ProtocolSetup.server(conn, options, clientInfo, protocol, SEEDS.nextInt(), true);
        conn.startMultiplexOut();
        messages.attach(conn);
        if (module.timeout() > 0 && protocol >= 31) {
            conn.sendInt(MsgCode.IO_TIMEOUT, module.timeout());
        }
        if (protocol >= 30) {
            conn.startMultiplexIn();
        }
        readAtSetup = conn.socketBytesRead();
        boolean pull = options.sender();
        serving = pull;
        conn.setSender(pull);
        String requestText = String.join(" ", options.args());
        log.log("rsync " + (pull ? "on " : "to ") + requestText + " from "
                + (user.isEmpty() ? "" : user + "@") + host + " (" + addr + ")");
        if (preXferFailure != null) {
            refusal = preXferFailure; // rsync shows the command's failure instead of an option error
        }
        if (refusal != null) {
            failAfterSetup(conn, protocol, ExitCode.UNSUPPORTED, refusal);
            return;
        }
        // A failed role unblocks its partner without closing: the client is still owed rsync's error message.
        IdNames idNames = identity.numericIds() ? IdNames.none() : nameConverter != null ? nameConverter
                : IdNames.system();
        ServerRole.Context ctx = new ServerRole.Context(conn, params, options, module, paths, options.args(),
                identity, filter, idNames, moduleDirs, () -> link.failReads(new IOException("the session ended on an error")));
        try {
            ServerRole.Outcome outcome;
            if (pull) {
                if (module.writeOnly()) {
                    failAfterSetup(conn, protocol, ExitCode.SYNTAX, "ERROR: module is write only");
                    return;
                }
                if (readOnly && options.removeSourceFiles()) {
                    // rsync/main.c:do_server_sender: removing sources is a write
                    failAfterSetup(conn, protocol, ExitCode.SYNTAX,
                            "ERROR: --remove-source-files cannot be used with a read-only module");
                    return;
                }
                // rsync's sender reports per-file failures (link_stat, send_files, successful_send) as
                // FERROR_XFER too: the client exits with 23.
                messages.reportTransferErrors();
                outcome = ServerSender.run(ctx, transferLogger(conn, transferLog, module, paths.root(), user, "send", options));
            } else {
                if (readOnly) {
                    failAfterSetup(conn, protocol, ExitCode.SYNTAX, "ERROR: module is read only");
                    return;
                }
                // rsync's receiver reports per-file failures as FERROR_XFER: the client exits with 23.
                messages.reportTransferErrors();
                receiving = true;
                outcome = ServerReceiver.run(ctx, transferLogger(conn, transferLog, module, paths.root(), user, "recv", options),
                        daemon.opener(), log);
            }
            log.log("sent " + conn.socketBytesWritten() + " bytes  received " + conn.socketBytesRead()
                    + " bytes  total size " + outcome.stats().totalSize);
            exitStatus = ExitCode.OK;
        } catch (Connection.RemoteExit e) {
            exitStatus = e.exitCode();
            log.log("rsync error: the client exited with code " + e.exitCode() + " (" + host + ")");
        } catch (RsyncException | AllocationRefused failure) {
            RsyncException e = SessionRunner.failure(failure);
            log.log("rsync error: " + e.getMessage() + " (code " + e.exitCode() + ")");
            failAfterSetup(conn, protocol, e.exitCode(), e.getMessage());
        }
    }

    /**
     * The module's hooks as rsync starts them before it enters the module ({@code rsync_module}): the commands
     * are expanded (one whose {@code %RSYNC_*%} value could act on a shell refuses the session), from here on
     * {@code post-xfer exec} is owed a run, and {@code early exec} runs now, its failure refusing the session.
     * Returns false when the session was refused.
     */
    private boolean startHooks(Connection conn, ModuleConfig module) {
        if (System.getenv("RSYNC_NO_XFER_EXEC") != null) {
            return true;
        }
        String early;
        try {
            early = module.hook("early exec", env);
            preXfer = module.hook("pre-xfer exec", env);
            postXfer = module.hook("post-xfer exec", env);
            nameConverterCommand = module.hook("name converter", env);
        } catch (ConfigVars.UnsafeValue e) {
            log.log(e.getMessage());
            conn.writeLine("@ERROR: " + e.getMessage());
            return false;
        }
        if (early == null && preXfer == null && postXfer == null && nameConverterCommand == null) {
            return true;
        }
        env = env.with("RSYNC_PID", Long.toString(ProcessHandle.current().pid()));
        if (early == null) {
            return true;
        }
        try {
            // rsync's early exec reads the same argument stream as pre-xfer, empty but for "(NONE)"
            ShellExec.Outcome outcome = daemon.shellExec().run(early,
                    env.with("RSYNC_REQUEST", "(NONE)").environment(), earlyInput, false);
            if (outcome.succeeded()) {
                return true;
            }
            log.log("early exec failed: returned failure (" + outcome.rawStatus() + ")");
        } catch (IOException e) {
            log.log("early exec failed: " + Posix.describe(e));
        }
        conn.writeLine("@ERROR: early exec failed");
        return false;
    }

    /**
     * The environment rsync gives {@code pre-xfer exec} and the {@code name converter} ({@code
     * write_pre_exec_args}): the request (the paths asked for) and each argument the client sent.
     */
    private ModuleEnv requestEnv(String module, List<String> args) {
        ModuleEnv preEnv = env.with("RSYNC_ARG0", "rsyncd");
        StringBuilder request = new StringBuilder();
        boolean paths = false;
        int n = 1;
        for (String a : args) {
            if (paths) {
                if (request.length() < MAX_REQUEST_CHARS) {
                    request.append(request.isEmpty() ? "" : " ").append(a);
                }
                // rsync/util1.c:glob_expand_module: a path loses its module name
                a = a.startsWith(module) ? a.substring(module.length()) : a;
            } else if (a.equals(".")) {
                paths = true;
            }
            preEnv = preEnv.with("RSYNC_ARG" + n++, a);
        }
        return preEnv.with("RSYNC_REQUEST", request.toString());
    }

    /**
     * Starts the module's {@code name converter} ({@code rsync_module}'s start_pre_exec), which then answers the
     * session's name and id lookups; false when it could not be started.
     */
    private boolean startNameConverter(String module, List<String> args, ClientMessages messages) {
        try {
            Process helper = daemon.shellExec().startHelper(nameConverterCommand, requestEnv(module, args)
                    .environment());
            nameConverter = new NameConverter(helper.getOutputStream(), helper.getInputStream(), messages::error);
            return true;
        } catch (IOException e) {
            log.log("name-converter exec preparation failed: " + Posix.describe(e));
            return false;
        }
    }

    /**
     * Runs {@code pre-xfer exec} with the client's request ({@code finish_pre_exec}): null when it succeeded,
     * else the text the client is shown, which ends with what the command printed.
     */
    private String runPreXfer(String command, String module, List<String> args) {
        ModuleEnv preEnv = requestEnv(module, args);
        try {
            ShellExec.Outcome outcome = daemon.shellExec().run(command, preEnv.environment(), new byte[0], true);
            if (outcome.succeeded()) {
                return null;
            }
            String text = "pre-xfer exec returned failure (" + outcome.rawStatus() + ")"
                    + (outcome.output().isEmpty() ? "" : ":\n" + outcome.output());
            log.log(text);
            return text.stripTrailing();
        } catch (IOException e) {
            log.log("pre-xfer exec failed: " + Posix.describe(e));
            return "pre-xfer exec failed: " + Posix.describe(e);
        }
    }

    private static int earlyInputLength(String digits) {
        try {
            return Integer.parseInt(digits.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private TransferLogger transferLogger(Connection conn, DaemonLog target, ModuleConfig module, Path root,
                                          String user, String op, Options o) {
        if (!module.transferLogging()) {
            return TransferLogger.disabled();
        }
        LongSupplier position = op.equals("send") ? () -> conn.out().bytesWritten() : () -> conn.in().bytesRead();
        return new TransferLogger(target, module.logFormat(), op,
                new LogFormat.Session(host, addr, module.name(), module.path(), user), root, position, o.times(),
                o.owner(), o.group());
    }

    /**
     * Options good enough to finish the protocol setup when the real list did not parse: rsync still
     * negotiates before it reports the error, so the capability letters and -z must be known.
     */
    private static Options fallbackOptions(List<String> args) {
        for (String a : args) {
            if (a.startsWith("-") && !a.startsWith("--") && a.indexOf('e') > 0) {
                try {
                    return ServerArgs.parse(List.of("--server", a)).options();
                } catch (OptionException ignored) {
                    break;
                }
            }
        }
        return new OptionsBuilder().build();
    }

    /**
     * Reports an error after the setup, the only way left to tell the client ({@code rsync/log.c:rwrite},
     * {@code cleanup.c:_exit_cleanup}): MSG_ERROR, then MSG_ERROR_EXIT with the code for protocol 31+.
     */
    private void failAfterSetup(Connection conn, int protocol, int code, String message) {
        exitStatus = code;
        try {
            conn.sendText(MsgCode.ERROR, message + "\n");
            conn.sendText(MsgCode.ERROR, "rsync error: " + ExitCode.describe(code) + " (code " + code + ") ["
                    + (serving ? "sender" : "receiver") + "=jrsync]\n");
            if (protocol >= 31) {
                conn.sendInt(MsgCode.ERROR_EXIT, code);
            }
            conn.flush();
            link.awaitWritten(); // before the reset below, which would discard it
        } catch (RuntimeException | IOException e) {
            return; // the client is gone already
        }
        if (protocol < 31 && !receiving) {
            // No exit code to act on: the client waits for more. rsync exits here, usually with the client's
            // data unread (or still to come, if it read none of it), so its kernel resets the connection and the
            // client stops on "connection reset" (code 10) after printing the error; a reset does the same here,
            // where a plain close would read as "connection unexpectedly closed" (code 12). A session that read
            // all the client sent just closes, as rsync's kernel does. rsync's receiver (cleanup.c:_exit_cleanup)
            // reads on until the client hangs up instead, so a failed push is never reset.
            if (unreadInput() || conn.socketBytesRead() == readAtSetup) {
                link.reset();
            } else {
                link.close();
            }
            return;
        }
        drainUntilClosed();
    }

    /**
     * Closes the connection once the socket took what the session flushed (its flushes do not wait:
     * {@link dev.jrsync.net.ChannelStreams#ChannelStreams(boolean)}); what it wrote and never flushed, after an
     * error, is dropped.
     */
    private void closeWhenWritten() {
        try {
            link.awaitWritten();
        } catch (IOException e) {
            // the client is gone: nothing left to deliver
        }
        link.close();
    }

    private boolean unreadInput() {
        try {
            return link.input().available() > 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** Lets the client read the error and hang up first, bounded by {@link #ERROR_DRAIN_MILLIS}. */
    private void drainUntilClosed() {
        link.closeAfter(ERROR_DRAIN_MILLIS);
        byte[] buf = new byte[8192];
        try {
            for (int i = 0; i < 1024 && link.input().read(buf) >= 0; i++) {
                // discard: the client's echo of the error exit, if any
            }
        } catch (IOException ignored) {
            // closed
        }
    }

    private void sendMotd(Connection conn, String motdFile) {
        if (motdFile == null || motdFile.isEmpty()) {
            return;
        }
        try {
            // Every client is shown it: a symlink someone else planted must not show them another file.
            List<String> lines = OperatorFile.read(motdFile, MAX_MOTD_BYTES).text().lines().toList();
            for (String l : lines) {
                conn.writeLine(l);
            }
            conn.writeLine("");
        } catch (IOException e) {
            log.log("cannot read motd file " + motdFile + ": " + Posix.describe(e));
        }
    }

    // rsync/clientserver.c:send_listing
    private static void sendListing(Connection conn, RsyncdConfig config) {
        for (ModuleConfig m : config.modules()) {
            if (m.list()) {
                conn.writeLine(new ModuleLine(m.name(), m.comment()).format());
            }
        }
        conn.writeLine("@RSYNCD: EXIT");
    }
}
