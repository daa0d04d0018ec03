package dev.jrsync.client;

import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import dev.jrsync.core.SessionLog;
import dev.jrsync.options.Options;
import dev.jrsync.session.LocalDest;
import java.util.List;

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
        if (dest == null && !options.isListOnly()) {
            throw new IllegalArgumentException("no destination given: only a listing (--list-only) has none");
        }
        Filters filters = Filters.from(options);
        boolean remoteDest = dest != null && DaemonAddress.isDaemonArg(dest);
        long remoteSources = sources.stream().filter(DaemonAddress::isDaemonArg).count();
        if (remoteDest && remoteSources > 0) {
            throw new RsyncException(ExitCode.SYNTAX, "jrsync: the source and destination cannot both be remote.");
        }
        if (remoteDest) {
            DaemonAddress addr = pushAddress(dest, options);
            return greeted != null ? Push.run(options, sources, addr, filters, log, greeted)
                    : Push.run(options, sources, addr, filters, log, credentials);
        }
        if (DaemonAddress.isDaemonArg(sources.getFirst())) {
            List<DaemonAddress> from = PullSources.parse(sources, port(options));
            LocalDest local = dest == null ? null : LocalDest.of(dest);
            return greeted != null ? Pull.run(options, from, local, filters, log, greeted)
                    : Pull.run(options, from, local, filters, log, credentials);
        }
        if (remoteSources > 0) {
            throw new RsyncException(ExitCode.SYNTAX, "Unexpected remote arg: "
                    + sources.stream().filter(DaemonAddress::isDaemonArg).findFirst().orElseThrow());
        }
        LocalDest local = dest == null ? null : LocalDest.of(dest);
        for (String s : sources) {
            if (isRemoteShellArg(s)) {
                throw unsupported("a remote shell (host:path) transport; use host::module or rsync://");
            }
        }
        if (dest != null && isRemoteShellArg(dest)) {
            throw unsupported("a remote shell (host:path) transport; use host::module or rsync://");
        }
        return LocalCopy.run(options, sources, local, filters, log);
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

    /** rsync/main.c:check_for_hostspec: "host:path" (no slash before the colon) means a remote shell. */
    private static boolean isRemoteShellArg(String arg) {
        int colon = arg.indexOf(':');
        int slash = arg.indexOf('/');
        return colon > 0 && (slash < 0 || colon < slash);
    }

    private static RsyncException unsupported(String what) {
        return new RsyncException(ExitCode.UNSUPPORTED, "jrsync: " + what + " is not supported");
    }
}
