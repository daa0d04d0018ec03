package dev.jrsync.options;

import dev.jrsync.checksum.ChecksumType;
import dev.jrsync.core.ExitCode;
import dev.jrsync.delta.token.CompressionType;
import dev.jrsync.options.OptionSpec.ArgType;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * rsync's command-line syntax as popt implements it, driven by {@link OptionTable}: bundled short
 * options ({@code -avz}), a short option's value attached ({@code -B4096}, {@code -B=4096}, and the rest
 * of a bundle: {@code -vB4096}) or in the next argument ({@code -B 4096}), long options with
 * {@code =value} or the next argument as value (even one starting with "-"), no abbreviations,
 * {@code --} ends the options, a lone {@code -} is an argument, options and arguments may be mixed.
 * After the options, the checks and implications of {@code rsync/options.c:parse_arguments} apply.
 */
public final class OptionParser {
    private OptionParser() {}

    /** Parses a user's command line (without the program name). */
    public static Options parse(String... argv) {
        return parse(List.of(argv));
    }

    /** Parses a user's command line (without the program name). */
    public static Options parse(List<String> argv) {
        OptionsBuilder o = new OptionsBuilder();
        new Scan(argv, o, false).run();
        if (o.help || o.version > 0 || o.outputFlagsHelp != null) {
            return o.build();
        }
        // rsync/options.c:parse_arguments: "-h" on its own keeps its old meaning, --help.
        if (o.humanReadable > 1 && argv.size() == 1) {
            o.help = true;
            return o.build();
        }
        if (o.watch && o.config != null && !o.daemon) {
            // a mirror config: its sections name the sources and destinations, and their options
            if (!o.args.isEmpty() || !o.watchTargets.isEmpty()) {
                throw OptionException.syntax("--watch --config=FILE takes no source or destination: the file's"
                        + " sections name them");
            }
            return o.build();
        }
        if (o.daemon || o.config != null || o.noDetach) {
            checkDaemonMode(o);
            return o.build();
        }
        if (o.args.size() < 2 && (o.batch == null || !o.batch.reads())) {
            o.listOnlyImplied = true;
        }
        finish(o);
        return o.build();
    }

    /**
     * One option as a command line gave it.
     *
     * @param spec  the option's table entry
     * @param value its value as given, null for a switch
     */
    public record Given(OptionSpec spec, String value) {
        /** The option as one argument: {@code --name=value}, {@code --name}, or {@code -P} for a letter alone. */
        public String argument() {
            return value == null ? spec.displayName() : spec.displayName() + "=" + value;
        }
    }

    /**
     * A user's command line split into its options, in the order given (a bundle such as {@code -av} gives two),
     * and its operands, with popt's syntax errors but none of {@code parse_arguments}' checks.
     *
     * @param options  the options, repeats included
     * @param operands the sources and the destination
     */
    public record Split(List<Given> options, List<String> operands) {}

    /** Splits a user's command line (without the program name); see {@link Split}. */
    private static final String RSYNCS = "rsyncs://";
    /** The port rsync-ssl's stunnel and openssl helpers connect to (RSYNC_SSL_PORT's default). */
    static final int RSYNCS_PORT = 874;

    /**
     * {@code rsyncs://[USER@]HOST[:PORT]/PATH} as the {@code rsync://} address of the same daemon, port 874 when it
     * names none.
     */
    static String overTls(String operand) {
        String rest = operand.substring(RSYNCS.length());
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
        boolean hasPort = hostPort.startsWith("[") ? hostPort.matches("\\[.*\\]:[0-9]+")
                : hostPort.indexOf(':') >= 0;
        String withPort = hasPort ? authority : authority + ":" + RSYNCS_PORT;
        return "rsync://" + withPort + (slash < 0 ? "" : rest.substring(slash));
    }

    public static Split split(List<String> argv) {
        OptionsBuilder o = new OptionsBuilder();
        Scan scan = new Scan(argv, o, false);
        scan.run();
        return new Split(List.copyOf(scan.given), List.copyOf(o.args));
    }

    /**
     * Parses the option part of a server argument list: everything up to the first argument that is
     * exactly "."; the arguments after it go to {@link Options#args} unparsed. Used by {@link ServerArgs#parse}.
     */
    static Options parseServer(List<String> argv) {
        OptionsBuilder o = new OptionsBuilder();
        Scan scan = new Scan(argv, o, true);
        scan.run();
        if (!scan.sawDot) {
            throw OptionException.syntax("on remote machine: missing \".\" before the path arguments");
        }
        finish(o);
        return o.build();
    }

    /**
     * Adds what a local copy's receiving half takes beyond the command line: the {@code -M} options, which rsync's
     * local server finds among its arguments ({@code rsync/options.c:server_options}, {@code pipe.c:local_child}).
     */
    public static void applyRemoteOptions(OptionsBuilder o, List<String> remote) {
        new Scan(remote, o, true).run();
    }

    /**
     * Whether a server's first arguments ask for the rest as a second list ({@code -s}): rsync's server stops its
     * first parse there ({@code protect_args == 1 && am_server}), before any "." or path. False for a list that
     * does not parse: its error is the full parse's to report.
     */
    static boolean secludedServer(List<String> argv) {
        OptionsBuilder o = new OptionsBuilder();
        try {
            new Scan(argv, o, true).run();
        } catch (OptionException e) {
            return false;
        }
        return Boolean.TRUE.equals(o.secludedArgs);
    }

    // rsync/options.c:parse_arguments, the daemon branch: daemon-only options need --daemon.
    private static void checkDaemonMode(OptionsBuilder o) {
        if (!o.daemon) {
            throw new OptionException("Daemon option(s) used without --daemon.\n"
                    + "(Type \"jrsync --daemon --help\" for assistance with daemon mode.)", ExitCode.SYNTAX);
        }
        if (o.humanReadable > 1) {
            o.help = true; // in daemon mode -h means --help
        }
    }

    /**
     * {@code --files-from} ({@code rsync/options.c:parse_arguments}): the list implies {@code -R} (unless
     * {@code --no-R}) and {@code -d}, and only an explicit {@code -r} recurses into listed directories, {@code -a}'s
     * does not. The side that sends reads the names when the transfer starts ({@code client.FilesFromList}); a
     * list on the other side ({@code host:path}, {@code :path}) reaches it over the connection.
     */
    private static void filesFrom(OptionsBuilder o) {
        String remote = o.build().remoteFilesFrom();
        if (remote != null && o.server) {
            throw OptionException.syntax("The --files-from sent to the server cannot specify a host.");
        }
        if ("-".equals(remote)) {
            throw OptionException.syntax("Invalid --files-from remote filename");
        }
        if (Boolean.FALSE.equals(o.relative)) {
            // rsync then sends each listed name's last component alone; jrsync lists them by their paths only
            throw new OptionException("--no-relative with --files-from is not supported", ExitCode.UNSUPPORTED);
        }
        o.relative = true;
        if (!o.explicitRecursive) {
            o.recursive = false;
        }
    }

    /**
     * The consistency checks and normalizations after the option loop ({@code parse_arguments}' tail). The derived
     * settings it checks are read from the options as parsed so far.
     */
    // rsync/options.c:parse_arguments
    private static void finish(OptionsBuilder o) {
        if (!o.watchTargets.isEmpty() && !o.watch) {
            throw OptionException.syntax("--watch-target needs --watch: it names one more destination of a live"
                    + " mirror");
        }
        if (o.insecureLinks && o.confineRoot != null) {
            // the opt-out skips the walk that enforces the root: together they would confine nothing
            throw OptionException.syntax("--insecure-links cannot be combined with --confine-root");
        }
        if ((o.metrics != null || o.statusFile != null) && !o.watch) {
            throw OptionException.syntax("--" + (o.metrics != null ? "metrics" : "status-file")
                    + " is only for a live mirror: add --watch");
        }
        if (o.oldArgs > 0 && Boolean.TRUE.equals(o.secludedArgs)) {
            throw OptionException.syntax("--secluded-args conflicts with --old-args.");
        }
        if (o.filesFromFile != null) {
            filesFrom(o);
        }
        Options parsed = o.build();
        if (o.checksumChoice != null) {
            for (String name : o.checksumChoice.split(",", 2)) {
                if (!name.equalsIgnoreCase("auto") && ChecksumType.byName(name).isEmpty()) {
                    throw new OptionException("unknown checksum name: " + name, ExitCode.UNSUPPORTED);
                }
            }
        }
        if (o.compressChoice != null && !o.compressChoice.equalsIgnoreCase("auto")
                && CompressionType.byName(o.compressChoice).isEmpty()) {
            throw new OptionException("unknown compress name: " + o.compressChoice, ExitCode.UNSUPPORTED);
        }
        if (parsed.deleteMode() && !parsed.transfersDirs()) {
            throw OptionException.syntax("--delete does not work without --recursive (-r) or --dirs (-d).");
        }
        String suffix = parsed.backupSuffix();
        if (suffix.indexOf('/') >= 0) {
            throw OptionException.syntax("--suffix cannot contain slashes: " + suffix);
        }
        boolean backupDirIsDest = false;
        if (o.backupDir != null) {
            String dir = o.backupDir;
            while (dir.startsWith("./")) {
                dir = dir.substring(2);
            }
            if (dir.equals(".")) {
                dir = "";
            }
            if (dir.isEmpty()) {
                // --backup-dir naming the destination itself: still backing up, with the "" default suffix.
                o.backup = true;
                o.suffix = suffix;
                o.backupDir = null;
                backupDirIsDest = true;
            } else {
                o.backupDir = dir;
            }
        }
        if (o.backupDir == null && suffix.isEmpty() && !(o.server && o.sender)) {
            throw OptionException.syntax("--suffix cannot be empty " + (backupDirIsDest
                    ? "when --backup-dir is the same as the dest dir" : "without a --backup-dir"));
        }
        if (o.backupDir == null && o.backup && parsed.deleteMode() && !o.deleteExcluded && !o.server) {
            // backups beside the files are not extraneous files for --delete to remove (or back up again)
            o.filters.add(new FilterArg(FilterArg.Kind.FILTER, "P *" + suffix));
        }
        if (o.batch != null) {
            checkBatch(o);
        }
        if (o.fakeSuper && o.xattrs > 1) {
            throw OptionException.syntax("--fake-super conflicts with -XX");
        }
        if (o.appendMode > 0 && Boolean.TRUE.equals(parsed.effectiveWholeFile())) {
            throw OptionException.syntax("--append cannot be used with --whole-file");
        }
        if (parsed.inplaceMode()) {
            if (o.partialDir != null || o.delayUpdates) {
                throw OptionException.syntax("--" + (o.appendMode > 0 ? "append" : "inplace") + " cannot be used with --"
                        + (o.delayUpdates ? "delay-updates" : "partial-dir"));
            }
        } else if (o.partialDir != null && (o.partialDir.isEmpty() || o.partialDir.equals(".")
                || o.partialDir.equals("./"))) {
            // A partial dir that is the destination itself is plain --partial.
            o.partialDir = null;
            o.partial = true;
        }
    }

    // rsync/options.c:parse_arguments, the batch options' checks
    private static void checkBatch(OptionsBuilder o) {
        if (o.batch.writes() && o.dryRun) {
            o.batch = null; // a dry run has nothing to record
            return;
        }
        if (o.batch.reads() && (o.filesFromFile != null || o.filesFrom != null)) {
            throw OptionException.syntax("--read-batch cannot be used with --files-from");
        }
        if (o.batch.reads() && o.removeSourceFiles) {
            throw OptionException.syntax("--read-batch cannot be used with --remove-source-files");
        }
        if (o.batch.file().length() > BatchMode.MAX_NAME_LENGTH) {
            throw OptionException.syntax("the batch-file name must be " + BatchMode.MAX_NAME_LENGTH
                    + " characters or less.");
        }
    }

    /** One pass over an argument list, popt style. */
    private static final class Scan {
        private final List<String> argv;
        private final OptionsBuilder o;
        private final boolean server;
        private int next;
        /** The argument last taken from the list: what popt names in its error messages. */
        private String current;
        boolean sawDot;
        final List<Given> given = new ArrayList<>();

        Scan(List<String> argv, OptionsBuilder o, boolean server) {
            this.argv = argv;
            this.o = o;
            this.server = server;
        }

        void run() {
            boolean optionsEnded = false;
            while (next < argv.size()) {
                String arg = argv.get(next++);
                current = arg;
                if (optionsEnded || !arg.startsWith("-") || arg.equals("-")) {
                    positional(arg);
                    optionsEnded |= sawDot;
                } else if (arg.equals("--")) {
                    optionsEnded = true;
                } else if (arg.startsWith("--")) {
                    longOption(arg);
                } else {
                    shortOptions(arg);
                }
                if (o.help && !server) {
                    return; // rsync prints the help as soon as it meets --help
                }
            }
        }

        private void positional(String arg) {
            if (!server && arg.startsWith(RSYNCS)) {
                // rsync-ssl's daemon over TLS: the daemon address as rsync writes it, and --tls
                apply(OptionTable.findLong("tls", false), null);
                arg = overTls(arg);
            }
            if (!server || sawDot) {
                o.args.add(arg);
            } else if (arg.equals(".")) {
                sawDot = true;
            } else {
                throw popt("unexpected argument before \".\": " + arg);
            }
        }

        private void longOption(String arg) {
            int eq = arg.indexOf('=');
            String name = arg.substring(2, eq < 0 ? arg.length() : eq);
            OptionSpec spec = OptionTable.findLong(name, server);
            if (spec == null) {
                throw popt(current + ": unknown option");
            }
            if (spec.argType() == ArgType.NONE) {
                if (eq >= 0) {
                    throw popt(current + ": option does not take an argument");
                }
                apply(spec, null);
            } else {
                apply(spec, eq >= 0 ? arg.substring(eq + 1) : nextArgument());
            }
        }

        private void shortOptions(String arg) {
            int i = 1;
            while (i < arg.length()) {
                char c = arg.charAt(i++);
                OptionSpec spec = OptionTable.findShort(c, server);
                if (spec == null) {
                    throw popt(current + ": unknown option");
                }
                if (spec.argType() == ArgType.NONE) {
                    if (i < arg.length() && arg.charAt(i) == '=') {
                        throw popt(current + ": option does not take an argument");
                    }
                    apply(spec, null);
                } else {
                    // The rest of the bundle is the value (one leading '=' skipped), else the next argument.
                    String value = i < arg.length() ? arg.substring(arg.charAt(i) == '=' ? i + 1 : i) : nextArgument();
                    apply(spec, value);
                    return;
                }
                if (o.help && !server) {
                    return;
                }
            }
        }

        private String nextArgument() {
            if (next >= argv.size()) {
                throw popt(current + ": missing argument");
            }
            current = argv.get(next++);
            return current;
        }

        private void apply(OptionSpec spec, String value) {
            int number = spec.argType() == ArgType.INT ? parseInt(value) : 0;
            spec.action().apply(o, value, number);
            given.add(new Given(spec, value));
        }

        // popt's POPT_ARG_INT: strtoll(value, &end, 0) must use the whole text and fit an int.
        private int parseInt(String value) {
            BigInteger n = cInteger(value);
            if (n == null) {
                throw popt(current + ": invalid numeric value");
            }
            if (n.bitLength() > 31) {
                throw popt(current + ": number too large or too small");
            }
            return n.intValue();
        }

        /** A popt error; a server reports it as coming from the remote machine. */
        private OptionException popt(String detail) {
            return OptionException.syntax((server ? "on remote machine: " : "") + detail);
        }
    }

    /**
     * The integer C's {@code strtoll(text, &end, 0)} reads when {@code *end} ends up at the text's end:
     * optional leading white space and sign, then "0x" hex, "0" octal or decimal digits; an empty text
     * is 0. Null when text is left over.
     */
    static BigInteger cInteger(String text) {
        int i = 0;
        while (i < text.length() && " \t\n\u000b\f\r".indexOf(text.charAt(i)) >= 0) {
            i++;
        }
        if (i == text.length()) {
            return text.isEmpty() ? BigInteger.ZERO : null;
        }
        boolean negative = false;
        if (text.charAt(i) == '+' || text.charAt(i) == '-') {
            negative = text.charAt(i++) == '-';
        }
        int radix = 10;
        if (text.startsWith("0x", i) || text.startsWith("0X", i)) {
            if (i + 2 < text.length() && Character.digit(text.charAt(i + 2), 16) >= 0) {
                radix = 16;
                i += 2;
            }
        } else if (text.startsWith("0", i)) {
            radix = 8;
        }
        int start = i;
        while (i < text.length() && Character.digit(text.charAt(i), radix) >= 0 && text.charAt(i) < 128) {
            i++;
        }
        if (i == start || i < text.length()) {
            return null;
        }
        BigInteger n = new BigInteger(text.substring(start, i), radix);
        return negative ? n.negate() : n;
    }
}
