package dev.jrsync.client;

import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import dev.jrsync.core.SessionLog;
import dev.jrsync.options.Options;
import dev.jrsync.options.ServerArgs;
import dev.jrsync.session.LocalDest;
import dev.jrsync.session.SessionRunner;
import dev.jrsync.session.TransferStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One transfer from sources to a destination ({@code rsync/main.c:start_client}): a push to a daemon, a pull
 * from one, or a local copy, chosen by which operands name a daemon. The command line, the live mirror and the
 * library API all transfer through here.
 */
public final class ClientTransfer {
    private ClientTransfer() {}

    /** As {@link #run(Options, List, String, SessionLog, Credentials, DaemonClient.Greeted)}, connecting itself. */
    public static TransferResult run(Options options, List<String> sources, String dest, SessionLog log,
                                     Credentials credentials) {
        return run(options, sources, dest, log, credentials, null);
    }

    /**
     * One transfer; a push or a pull goes over {@code greeted} when it is not null (see {@link #greet}). With
     * {@code dest} null the sources are listed ({@code rsync/main.c:start_client}: no destination, a listing).
     */
    public static TransferResult run(Options options, List<String> sources, String dest, SessionLog log,
                                     Credentials credentials, DaemonClient.Greeted greeted) {
        if (options.batch() != null && options.batch().reads()) {
            // rsync/main.c:start_client: the lone operand is the destination; the batch is the source
            return ReadBatch.run(options, dest != null ? dest : sources.getLast(), Filters.from(options, log), log);
        }
        if (dest == null && !options.isListOnly()) {
            throw new IllegalArgumentException("no destination given: only a listing (--list-only) has none");
        }
        // a list here is read as the transfer starts: for the sender here, or to forward to the remote one
        options = FilesFromList.resolve(options);
        Filters filters = Filters.from(options, log);
        boolean remoteDest = dest != null && DaemonAddress.isDaemonArg(dest);
        long remoteSources = sources.stream().filter(DaemonAddress::isDaemonArg).count();
        if (options.batch() != null && options.batch().only() && (remoteDest || isRemote(sources.getFirst()))) {
            // rsync tells the server "--only-write-batch=X"; jrsync's receivers do not take that part yet
            throw new RsyncException(ExitCode.UNSUPPORTED, "jrsync: --only-write-batch is supported for local copies only");
        }
        if (remoteDest && remoteSources > 0) {
            throw new RsyncException(ExitCode.SYNTAX, "jrsync: the source and destination cannot both be remote.");
        }
        if (remoteDest) {
            DaemonAddress addr = pushAddress(dest, options);
            if (greeted == null && overShell(options, dest)) {
                greeted = greetOverShell(addr, options, log, credentials);
            }
            return greeted != null ? Push.run(options, sources, addr, filters, log, greeted)
                    : Push.run(options, sources, addr, filters, log, credentials);
        }
        if (DaemonAddress.isDaemonArg(sources.getFirst())) {
            List<DaemonAddress> from = PullSources.parse(sources, port(options));
            LocalDest local = dest == null ? null : LocalDest.of(dest, options.insecureLinks());
            if (greeted == null && overShell(options, sources.getFirst())) {
                greeted = greetOverShell(from.getFirst(), options, log, credentials);
                if (greeted == null) {
                    return new TransferResult(new TransferStats(), 0, 0, 0); // the daemon's module list
                }
            }
            return greeted != null ? Pull.run(options, from, local, filters, log, greeted)
                    : Pull.run(options, from, local, filters, log, credentials);
        }
        if (remoteSources > 0) {
            throw new RsyncException(ExitCode.SYNTAX, "Unexpected remote arg: "
                    + sources.stream().filter(DaemonAddress::isDaemonArg).findFirst().orElseThrow());
        }
        RemoteShell.Target to = dest == null ? null : RemoteShell.Target.parse(dest);
        if (to != null) {
            if (sources.stream().anyMatch(s -> RemoteShell.Target.parse(s) != null)) {
                throw new RsyncException(ExitCode.SYNTAX, "The source and destination cannot both be remote.");
            }
            return shellPush(options, sources, to, filters, log);
        }
        if (RemoteShell.Target.parse(sources.getFirst()) != null) {
            return shellPull(options, sources, dest == null ? null : LocalDest.of(dest, options.insecureLinks()), filters, log);
        }
        for (String s : sources) {
            if (RemoteShell.Target.parse(s) != null) {
                throw new RsyncException(ExitCode.SYNTAX, "Unexpected remote arg: " + s);
            }
        }
        return LocalCopy.run(options, sources, dest == null ? null : LocalDest.of(dest, options.insecureLinks()), filters, log);
    }

    /**
     * Whether a daemon operand goes over a remote shell: {@code host::module} when {@code -e} is given, as rsync
     * does; an rsync:// URL always connects to the port.
     */
    private static boolean overShell(Options options, String daemonArg) {
        return options.rsh() != null && !daemonArg.startsWith("rsync://");
    }

    // rsync/main.c:do_cmd with daemon_connection: "--server --daemon ." over the shell, then the daemon's greeting
    private static DaemonClient.Greeted greetOverShell(DaemonAddress addr, Options options, SessionLog log,
                                                       Credentials credentials) {
        RemoteShell.Target host = new RemoteShell.Target(addr.user(), addr.host(), "");
        RemoteShell shell = RemoteShell.start(options, host, List.of("--server", "--daemon", "."), true);
        return DaemonClient.greet(shell.streams(), addr, options, log, credentials);
    }

    // rsync/main.c:start_client + client_run, sending to "[user@]host:path"
    private static TransferResult shellPush(Options options, List<String> sources, RemoteShell.Target to,
                                            Filters filters, SessionLog log) {
        List<String> args = ServerArgs.forShell(options, false, options.protocolVersion(),
                List.of(dotIfEmpty(to.path())));
        try (RemoteShell shell = RemoteShell.start(options, to, args, false)) {
            TransferResult r = Push.run(options, sources, filters, log, shell.session(options, log));
            return withExitOf(shell, r);
        }
    }

    // rsync/main.c:start_client + client_run, receiving from "[user@]host:path" (later sources "host:p" or ":p")
    private static TransferResult shellPull(Options options, List<String> sources, LocalDest dest, Filters filters,
                                            SessionLog log) {
        RemoteShell.Target from = RemoteShell.Target.parse(sources.getFirst());
        List<String> paths = new ArrayList<>();
        for (String s : sources) {
            RemoteShell.Target t = s.startsWith(":") ? new RemoteShell.Target(from.user(), from.host(), s.substring(1))
                    : RemoteShell.Target.parse(s);
            if (t == null || !t.host().equals(from.host()) || !Objects.equals(t.user(), from.user())) {
                throw new RsyncException(ExitCode.SYNTAX, "All source args must come from the same machine.");
            }
            paths.add(dotIfEmpty(t.path()));
        }
        SenderTrust trust = SenderTrust.forShellPull(options, paths, filters);
        List<String> args = ServerArgs.forShell(options, true, options.protocolVersion(), paths);
        try (RemoteShell shell = RemoteShell.start(options, from, args, false)) {
            TransferResult r = Pull.run(options, dest, filters, trust, log, shell.session(options, log));
            return withExitOf(shell, r);
        }
    }

    /** rsync/main.c: "host:" names the remote home directory, sent as ".". */
    private static String dotIfEmpty(String path) {
        return path.isEmpty() ? "." : path;
    }

    /** rsync's {@code wait_process_with_flush}: a remote program that failed fails the run with its code. */
    private static TransferResult withExitOf(RemoteShell shell, TransferResult r) {
        int code = shell.exitCode();
        if (code != 0 && SessionRunner.exitCode(r.ioError()) == ExitCode.OK) {
            throw new RsyncException(code, "jrsync: the remote command exited with code " + code + ": "
                    + shell.program());
        }
        return r;
    }

    /**
     * The daemon module a transfer from {@code sources} to {@code dest} talks to: the destination's for a push,
     * the first source's for a pull; null for a local copy.
     */
    public static DaemonAddress daemonOf(Options options, List<String> sources, String dest) {
        if (dest != null && DaemonAddress.isDaemonArg(dest)) {
            return pushAddress(dest, options);
        }
        return DaemonAddress.isDaemonArg(sources.getFirst())
                ? PullSources.parse(sources, port(options)).getFirst() : null;
    }

    /** rsync's test for a remote operand: a daemon's ("host::module", rsync://) or a remote shell's ("host:path"). */
    public static boolean isRemote(String operand) {
        return DaemonAddress.isDaemonArg(operand) || RemoteShell.Target.parse(operand) != null;
    }

    /**
     * An operand's path without its host ({@code rsync/main.c:check_for_hostspec}): "module/path" of a daemon's,
     * "path" of a remote shell's "host:path", a local one as it is.
     */
    public static String pathOf(String operand) {
        if (DaemonAddress.isDaemonArg(operand)) {
            return DaemonAddress.parse(operand, DaemonAddress.DEFAULT_PORT).remoteArg();
        }
        RemoteShell.Target t = RemoteShell.Target.parse(operand);
        return t != null ? t.path() : operand;
    }

    /** Connects to the daemon a push to {@code dest} goes to, up to its module's {@code @RSYNCD: OK}. */
    public static DaemonClient.Greeted greet(Options options, String dest, SessionLog log, Credentials credentials) {
        return DaemonClient.greet(pushAddress(dest, options), options, log, credentials);
    }

    /** The daemon port: {@code --port}, else rsync's 873. */
    public static int port(Options options) {
        return options.port() > 0 ? options.port() : DaemonAddress.DEFAULT_PORT;
    }

    private static DaemonAddress pushAddress(String dest, Options options) {
        DaemonAddress addr = DaemonAddress.parse(dest, port(options));
        if (addr.module().isEmpty()) {
            throw new RsyncException(ExitCode.SYNTAX, "jrsync: a push needs a module name in " + dest);
        }
        return addr;
    }
}
