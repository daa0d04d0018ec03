package dev.jrsync.cli;

import dev.jrsync.client.ClientTransfer;
import dev.jrsync.client.Credentials;
import dev.jrsync.client.DaemonAddress;
import dev.jrsync.client.DaemonClient;
import dev.jrsync.client.Filters;
import dev.jrsync.client.Pull;
import dev.jrsync.client.TransferResult;
import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import dev.jrsync.core.SessionLog;
import dev.jrsync.options.Options;
import dev.jrsync.session.SessionRunner;
import dev.jrsync.session.StatsPrinter;
import dev.jrsync.wire.AllocationRefused;
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
        Credentials credentials = Credentials.of(options.passwordFile, env);
        long start = System.nanoTime();
        TransferResult result;
        try {
            String last = args.getLast();
            if (args.size() == 1 && DaemonAddress.isDaemonArg(last)) {
                DaemonAddress addr = DaemonAddress.parse(last, ClientTransfer.port(options));
                if (addr.module().isEmpty()) {
                    listModules(addr, options, log, credentials);
                    return ExitCode.OK;
                }
                // rsync/main.c:start_client: a remote source without a destination lists it.
                result = Pull.run(options, addr, null, Filters.from(options), log, credentials);
            } else if (args.size() == 1) {
                throw new RsyncException(ExitCode.SYNTAX, "jrsync: listing local files needs a destination; "
                        + "give SRC and DEST (see jrsync --help)");
            } else {
                result = ClientTransfer.run(options, args.subList(0, args.size() - 1), last, log, credentials);
            }
        } catch (IllegalArgumentException | ProtocolException | UncheckedIOException | AllocationRefused e) {
            throw SessionRunner.clientFailure(e);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        printSummary(options, result, seconds, out);
        return SessionRunner.exitCode(result.ioError());
    }

    private static void listModules(DaemonAddress addr, Options options, SessionLog log, Credentials credentials) {
        DaemonClient.Session s = DaemonClient.open(addr, options, protocol -> List.of(), log, credentials);
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
}
