package dev.jrsync.cli;

import dev.jrsync.client.DaemonAddress;
import dev.jrsync.client.DaemonClient;
import dev.jrsync.client.Filters;
import dev.jrsync.client.Push;
import dev.jrsync.client.TransferResult;
import dev.jrsync.options.Options;
import dev.jrsync.session.Connection;
import dev.jrsync.session.ExitCode;
import dev.jrsync.session.RsyncException;
import dev.jrsync.session.SessionLog;
import dev.jrsync.session.StatsPrinter;
import dev.jrsync.wire.ProtocolException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
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
            String dest = args.getLast();
            if (args.size() == 1 && DaemonAddress.isDaemonArg(dest)) {
                DaemonAddress addr = DaemonAddress.parse(dest, port(options));
                if (!addr.module().isEmpty()) {
                    throw unsupported("listing a module's files");
                }
                listModules(addr, options, log, env);
                return ExitCode.OK;
            }
            List<String> sources = args.subList(0, args.size() - 1);
            if (DaemonAddress.isDaemonArg(dest)) {
                for (String s : sources) {
                    if (DaemonAddress.isDaemonArg(s)) {
                        throw new RsyncException(ExitCode.SYNTAX,
                                "jrsync: the source and destination cannot both be remote.");
                    }
                }
                DaemonAddress addr = DaemonAddress.parse(dest, port(options));
                if (addr.module().isEmpty()) {
                    throw new RsyncException(ExitCode.SYNTAX, "jrsync: a push needs a module name in " + dest);
                }
                result = Push.run(options, sources, addr, filters, log, env);
            } else if (sources.stream().anyMatch(DaemonAddress::isDaemonArg)) {
                throw unsupported("pulling from a daemon");
            } else {
                throw unsupported("local copies");
            }
        } catch (IllegalArgumentException e) {
            throw new RsyncException(ExitCode.SYNTAX, "jrsync: " + e.getMessage());
        } catch (ProtocolException e) {
            throw new RsyncException(ExitCode.STREAM_IO, "jrsync: protocol error: " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new RsyncException(ExitCode.SOCKET_IO, "jrsync: connection unexpectedly closed: "
                    + e.getCause().getMessage(), e);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        printSummary(options, result, seconds, out);
        return exitCode(result.ioError());
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
        return new RsyncException(ExitCode.UNSUPPORTED, "jrsync: " + what + " is not supported yet");
    }
}
