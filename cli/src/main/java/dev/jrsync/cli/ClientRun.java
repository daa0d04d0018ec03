package dev.jrsync.cli;

import dev.jrsync.client.ClientTransfer;
import dev.jrsync.client.Credentials;
import dev.jrsync.client.DaemonAddress;
import dev.jrsync.client.DaemonClient;
import dev.jrsync.client.TransferResult;
import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import dev.jrsync.core.SessionLog;
import dev.jrsync.options.Options;
import dev.jrsync.session.SessionRunner;
import dev.jrsync.ui.StatsPrinter;
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
        List<String> args = options.args();
        if (args.isEmpty()) {
            throw new RsyncException(ExitCode.SYNTAX, "jrsync: no source or destination given (see jrsync --help)");
        }
        Credentials credentials = Credentials.of(options.passwordFile(), env);
        long start = System.nanoTime();
        TransferResult result;
        try {
            String last = args.getLast();
            DaemonAddress daemon = args.size() == 1 && DaemonAddress.isDaemonArg(last)
                    ? DaemonAddress.parse(last, ClientTransfer.port(options)) : null;
            if (daemon != null && daemon.module().isEmpty()) {
                listModules(daemon, options, log, credentials);
                return ExitCode.OK;
            } else if (args.size() == 1) {
                // rsync/main.c:start_client: a source without a destination lists it.
                result = ClientTransfer.run(options, args, null, log, credentials);
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
        if (options.stats()) {
            out.println();
            StatsPrinter.stats(r.stats(), r.bytesWritten(), r.bytesRead()).forEach(out::println);
        }
        if (options.stats() || options.verbose() > 0) {
            out.println();
            StatsPrinter.summary(r.stats(), r.bytesWritten(), r.bytesRead(), seconds).forEach(out::println);
        }
        out.flush();
    }
}
