package dev.jrsync.cli;

import dev.jrsync.client.DaemonAddress;
import dev.jrsync.client.DaemonClient;
import dev.jrsync.client.Filters;
import dev.jrsync.client.LocalCopy;
import dev.jrsync.client.Pull;
import dev.jrsync.client.PullSources;
import dev.jrsync.client.Push;
import dev.jrsync.client.TransferResult;
import dev.jrsync.fs.PathBytes;
import dev.jrsync.fs.Posix;
import dev.jrsync.options.Options;
import dev.jrsync.session.Connection;
import dev.jrsync.session.ExitCode;
import dev.jrsync.session.Receiver;
import dev.jrsync.session.RsyncException;
import dev.jrsync.session.SessionLog;
import dev.jrsync.session.StatsPrinter;
import dev.jrsync.wire.AllocationRefused;
import dev.jrsync.wire.ProtocolException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One client run ({@code rsync/main.c:start_client}): decides from the arguments whether this is a
 * push, a pull, a module listing or a local copy, runs it, and prints rsync's closing summary.
 */
final class ClientRun {
    private ClientRun() {}

    static int run(Options options, SessionLog log, PrintStream out, Map<String, String> env) {
        List<String> args = options.args;
        if (args.isEmpty()) {
            throw new RsyncException(ExitCode.SYNTAX, "jrsync: no source or destination given (see jrsync --help)");
        }
        Filters filters = Filters.from(options);
        long start = System.nanoTime();
        TransferResult result;
        try {
            String last = args.getLast();
            if (args.size() == 1 && DaemonAddress.isDaemonArg(last)) {
                DaemonAddress addr = DaemonAddress.parse(last, port(options));
                if (addr.module().isEmpty()) {
                    listModules(addr, options, log, env);
                    return ExitCode.OK;
                }
                // rsync/main.c:start_client: a remote source without a destination lists it.
                result = Pull.run(options, addr, null, filters, log, env);
            } else if (args.size() == 1) {
                throw new RsyncException(ExitCode.SYNTAX, "jrsync: listing local files needs a destination; "
                        + "give SRC and DEST (see jrsync --help)");
            } else {
                result = transfer(options, args.subList(0, args.size() - 1), last, filters, log, env);
            }
        } catch (IllegalArgumentException e) {
            throw new RsyncException(ExitCode.SYNTAX, "jrsync: " + e.getMessage());
        } catch (ProtocolException | UncheckedIOException | AllocationRefused e) {
            throw Receiver.asRsyncException(e);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        printSummary(options, result, seconds, out);
        return exitCode(result.ioError());
    }

    /** One transfer from {@code sources} to {@code dest}: a push, a pull or a local copy. */
    static TransferResult transfer(Options options, List<String> sources, String dest, Filters filters,
                                           SessionLog log, Map<String, String> env) {
        return transfer(options, sources, dest, filters, log, env, null);
    }

    /**
     * As {@link #transfer(Options, List, String, Filters, SessionLog, Map)}; a push goes over {@code greeted}
     * when it is not null (see {@link #greet}).
     */
    static TransferResult transfer(Options options, List<String> sources, String dest, Filters filters,
                                   SessionLog log, Map<String, String> env, DaemonClient.Greeted greeted) {
        boolean remoteDest = DaemonAddress.isDaemonArg(dest);
        long remoteSources = sources.stream().filter(DaemonAddress::isDaemonArg).count();
        if (remoteDest && remoteSources > 0) {
            throw new RsyncException(ExitCode.SYNTAX, "jrsync: the source and destination cannot both be remote.");
        }
        if (remoteDest) {
            DaemonAddress addr = pushAddress(dest, options);
            return greeted != null ? Push.run(options, sources, addr, filters, log, greeted)
                    : Push.run(options, sources, addr, filters, log, env);
        }
        if (DaemonAddress.isDaemonArg(sources.getFirst())) {
            List<DaemonAddress> from = PullSources.parse(sources, port(options));
            return Pull.run(options, from, localDestination(dest, options), filters, log, env);
        }
        if (remoteSources > 0) {
            throw new RsyncException(ExitCode.SYNTAX, "Unexpected remote arg: "
                    + sources.stream().filter(DaemonAddress::isDaemonArg).findFirst().orElseThrow());
        }
        Path local = localDestination(dest, options);
        for (String s : sources) {
            if (isRemoteShellArg(s)) {
                throw unsupported("a remote shell (host:path) transport; use host::module or rsync://");
            }
        }
        if (isRemoteShellArg(dest)) {
            throw unsupported("a remote shell (host:path) transport; use host::module or rsync://");
        }
        return LocalCopy.run(options, sources, local, filters, log);
    }

    /** Connects to the daemon a push to {@code dest} goes to, up to its module's {@code @RSYNCD: OK}. */
    static DaemonClient.Greeted greet(Options options, String dest, SessionLog log, Map<String, String> env) {
        return DaemonClient.greet(pushAddress(dest, options), options, log, env);
    }

    private static DaemonAddress pushAddress(String dest, Options options) {
        DaemonAddress addr = DaemonAddress.parse(dest, port(options));
        if (addr.module().isEmpty()) {
            throw new RsyncException(ExitCode.SYNTAX, "jrsync: a push needs a module name in " + dest);
        }
        return addr;
    }

    /**
     * The local destination ({@code rsync/main.c:get_local_name}): "DIR/" names a directory even for a
     * single file, so its last component is created; {@code --mkpath} also creates missing parents.
     */
    private static Path localDestination(String dest, Options options) {
        Path path = PathBytes.path(dest);
        boolean dirWanted = dest.endsWith("/");
        Path toCreate = dirWanted ? path : options.mkpath ? path.toAbsolutePath().getParent() : null;
        if (toCreate == null || options.dryRun || Files.isDirectory(toCreate)) {
            return path;
        }
        try {
            if (options.mkpath) {
                Files.createDirectories(toCreate);
            } else {
                Files.createDirectory(toCreate);
            }
        } catch (IOException e) {
            throw new RsyncException(ExitCode.FILE_IO, "jrsync: mkdir \"" + toCreate + "\" failed: "
                    + Posix.describe(e));
        }
        return path;
    }

    /** rsync/main.c:check_for_hostspec: "host:path" (no slash before the colon) means a remote shell. */
    private static boolean isRemoteShellArg(String arg) {
        int colon = arg.indexOf(':');
        int slash = arg.indexOf('/');
        return colon > 0 && (slash < 0 || colon < slash);
    }

    private static void listModules(DaemonAddress addr, Options options, SessionLog log, Map<String, String> env) {
        DaemonClient.Session s = DaemonClient.open(addr, options, protocol -> List.of(), log, env);
        if (s != null) {
            s.close();
        }
    }

    // rsync/main.c:output_summary
    private static void printSummary(Options options, TransferResult r, double seconds, PrintStream out) {
        if (options.stats) {
            out.println();
            StatsPrinter.stats(r.stats(), r.bytesWritten(), r.bytesRead()).forEach(out::println);
        }
        if (options.stats || options.verbose > 0) {
            out.println();
            StatsPrinter.summary(r.stats(), r.bytesWritten(), r.bytesRead(), seconds).forEach(out::println);
        }
        out.flush();
    }

    /** rsync's exit code for the io_error bits a finished run collected. */
    static int exitCode(int ioError) {
        if (ioError == 0) {
            return ExitCode.OK;
        }
        return ioError == Connection.IOERR_VANISHED ? ExitCode.VANISHED : ExitCode.PARTIAL;
    }

    private static int port(Options options) {
        return options.port > 0 ? options.port : DaemonAddress.DEFAULT_PORT;
    }

    private static RsyncException unsupported(String what) {
        return new RsyncException(ExitCode.UNSUPPORTED, "jrsync: " + what + " is not supported");
    }
}
