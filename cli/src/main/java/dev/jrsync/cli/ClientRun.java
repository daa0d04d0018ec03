package dev.jrsync.cli;

import dev.jrsync.api.Rsync;
import dev.jrsync.api.Stats;
import dev.jrsync.api.TransferListener;
import dev.jrsync.api.TransferOutcome;
import dev.jrsync.api.TransferSpec;
import dev.jrsync.batch.BatchFiles;
import dev.jrsync.batch.BatchScript;
import dev.jrsync.client.ClientTransfer;
import dev.jrsync.client.Filters;
import dev.jrsync.client.Credentials;
import dev.jrsync.client.DaemonAddress;
import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import dev.jrsync.core.SessionLog;
import dev.jrsync.options.Options;
import dev.jrsync.ui.HeapStats;
import dev.jrsync.ui.LogFile;
import dev.jrsync.ui.ClientPrinter;
import dev.jrsync.ui.StatsPrinter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One client run ({@code rsync/main.c:start_client}), through the library's API: the command line becomes a
 * {@link TransferSpec}, {@link Rsync#transfer} runs it (a push, a pull, a module or file listing, or a local copy),
 * a {@link ClientPrinter} prints its events, and rsync's closing summary follows.
 */
final class ClientRun {
    private ClientRun() {}

    /**
     * Runs the transfer {@code argv} asks for; {@code options} is the same command line parsed. Returns the
     * exit code; a failed run's errors have been printed, all but rsync's closing line.
     */
    static int run(List<String> argv, Options options, SessionLog lines, PrintStream out, Map<String, String> env) {
        if (options.args().isEmpty()) {
            throw new RsyncException(ExitCode.SYNTAX, "jrsync: no source or destination given (see jrsync --help)");
        }
        Credentials credentials = Credentials.of(options.passwordFile(), env);
        TransferSpec spec;
        try {
            spec = TransferSpec.parse(argv, credentials::password);
        } catch (IllegalArgumentException e) {
            throw new RsyncException(ExitCode.SYNTAX, e.getMessage());
        }
        if (options.batch() != null && options.batch().writes()) {
            writeBatchScript(argv, options, env);
        }
        ClientPrinter printer = ClientPrinter.of(lines, options);
        LogFile logFile = options.logFile() == null || options.dryRun() ? null
                : LogFile.open(printer, options, spec.sources().stream().noneMatch(ClientTransfer::isRemote));
        TransferListener listener = logFile != null ? logFile : printer;
        try {
            String connectProgram = env.get("RSYNC_CONNECT_PROG");
            DaemonAddress daemon;
            try {
                daemon = connectProgram == null || connectProgram.isEmpty() ? null
                        : ClientTransfer.daemonOf(options, spec.sources(), spec.destination().orElse(null));
            } catch (IllegalArgumentException e) {
                // "rsync:///m": the empty host meets the template's host check first, as in rsync 3.5
                ConnectProgram.command(connectProgram, "");
                throw new RsyncException(ExitCode.SYNTAX, e.getMessage());
            }
            TransferOutcome outcome = daemon != null
                    ? Rsync.transfer(spec, listener, ConnectProgram.start(connectProgram, daemon.host()))
                    : Rsync.transfer(spec, listener);
            // a session that ran to its end, whatever its code (23, 24, 25 too); a failed one, or a module listing,
            // has no figures
            if (!outcome.stats().equals(Stats.NONE)) {
                if (options.heapStats()) {
                    heapStats(spec).forEach(role -> HeapStats.of(role).forEach(out::println));
                }
                List<String> printed = printSummary(options, outcome, out);
                if (logFile != null) {
                    Stats s = outcome.stats();
                    logFile.summary(printed, s.bytesSent(), s.bytesReceived(), s.totalSize());
                }
            }
            return outcome.exitCode();
        } finally {
            if (logFile != null) {
                logFile.close();
            }
        }
    }

    /**
     * {@code FILE.sh} beside a batch being written: the command line that replays it ({@link BatchScript}).
     * The launcher names itself in {@code JRSYNC_ARGV0}, as rsync names the program it was run as.
     */
    // rsync/batch.c:write_batch_shell_file
    private static void writeBatchScript(List<String> argv, Options options, Map<String, String> env) {
        String program = env.getOrDefault("JRSYNC_ARGV0", "jrsync");
        List<String> operands = options.args();
        byte[] script = BatchScript.of(program, argv, operands, ClientTransfer.pathOf(operands.getLast()),
                Filters.from(options).lines(), options.from0(), options.protocolVersion());
        try (OutputStream out = BatchFiles.createScript(options.batch().file(), options.insecureLinks())) {
            out.write(script);
        } catch (IOException e) {
            throw new RsyncException(ExitCode.FILE_IO, "rsync: Batch file " + options.batch().file()
                    + ".sh write error: " + e.getMessage());
        }
    }

    /**
     * The roles this process played, by rsync's names for them: a local copy's sender and, as rsync forks them, its
     * server's receiver and generator; a push's sender; a pull's receiver and generator. A remote side reports its own.
     */
    private static List<String> heapStats(TransferSpec spec) {
        if (spec.sources().stream().anyMatch(ClientTransfer::isRemote)) {
            return List.of("receiver", "generator");
        }
        return spec.destination().filter(ClientTransfer::isRemote).isPresent() ? List.of("sender")
                : List.of("sender", "server receiver", "server generator");
    }

    /** Prints rsync's closing summary ({@code rsync/main.c:output_summary}); returns the lines printed. */
    private static List<String> printSummary(Options options, TransferOutcome outcome, PrintStream out) {
        List<String> printed = new ArrayList<>();
        if (options.stats()) {
            printed.add("");
            printed.addAll(StatsPrinter.stats(outcome.stats(), options.humanReadable()));
        }
        if (options.stats() || options.verbose() > 0) {
            printed.add("");
            printed.addAll(StatsPrinter.summary(outcome.stats(), outcome.elapsed(), options.dryRun(),
                    options.humanReadable()));
            if (options.batch() != null && options.batch().only()) {
                printed.add(printed.removeLast() + " (BATCH ONLY)"); // rsync's mark of a run that changed nothing yet
            }
        }
        printed.forEach(out::println);
        out.flush();
        return printed;
    }
}
