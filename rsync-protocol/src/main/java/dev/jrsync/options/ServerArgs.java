package dev.jrsync.options;

import dev.jrsync.core.LogFormat;
import dev.jrsync.delta.token.CompressionType;
import dev.jrsync.wire.MaxAlloc;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The argument list a client sends to the server after {@code @RSYNCD: OK}: {@code --server},
 * {@code --sender} for a pull, one bundle of single-letter flags ending in the {@code e} capability
 * string, the long options the server's role needs, then "." and the paths.
 */
public final class ServerArgs {
    private ServerArgs() {}

    /** The newest protocol version jrsync speaks. */
    public static final int PROTOCOL_VERSION = 32;

    /**
     * The capability letters jrsync sends after "e.": rsync 3.2.7's "iLsfxCIvu" without {@code L} (it does not
     * set symlink times) and {@code s} (no iconv); {@code i} is added by {@link #capabilities}.
     */
    public static final String DEFAULT_CAPABILITIES = "fxCIvu";

    /**
     * The letters for a session with these options ({@code rsync/options.c:maybe_add_e_option}): {@code i} when
     * incremental recursion is allowed ({@code rsync/compat.c:set_allow_inc_recurse}) for the role jrsync will
     * play: as a receiver not for a listing (jrsync lists a whole list), as a sender as {@link #sendsIncrementally}.
     */
    public static String capabilities(Options o, boolean serverIsSender) {
        boolean inc = serverIsSender ? !o.isListOnly() && o.allowIncRecurse(false) : sendsIncrementally(o);
        return (inc ? "i" : "") + DEFAULT_CAPABILITIES;
    }

    /**
     * Whether jrsync may send its file list incrementally: rsync's rule for a sender (recursive, not
     * {@code --no-i-r}), except with {@code --files-from} or {@code -R}, whose paths jrsync sends in one list.
     */
    public static boolean sendsIncrementally(Options o) {
        return o.allowIncRecurse(true) && o.filesFrom() == null && o.filesFromFile() == null && !o.relative();
    }

    /** A parsed server argument list. */
    public record Parsed(Options options, boolean serverIsSender, String clientInfo, List<String> paths) {
        public Parsed {
            paths = List.copyOf(paths);
        }

        /** Whether the client's capability string ({@link #clientInfo}) has {@code letter}. */
        // rsync/compat.c:setup_protocol tests letters with strchr over the whole client_info.
        public boolean clientHas(char letter) {
            return clientInfo.indexOf(letter) >= 0;
        }
    }

    /** {@link #build(Options, boolean, int, String)} with the session's {@link #capabilities}. */
    public static List<String> build(Options options, boolean serverIsSender, int protocol) {
        return build(options, serverIsSender, protocol, capabilities(options, serverIsSender));
    }

    /**
     * The argument list up to and including ".", exactly as rsync's client builds it for the same
     * options; the caller appends the path arguments ("module/path").
     *
     * @param serverIsSender true for a pull (the server sends files), false for a push
     * @param protocol       the protocol version of the session (no capability string below 30)
     * @param capabilities   the letters to send after "e." (ignored below protocol 30)
     */
    // rsync/options.c:server_options + maybe_add_e_option
    public static List<String> build(Options o, boolean serverIsSender, int protocol, String capabilities) {
        boolean push = !serverIsSender; // rsync's am_sender, seen from the client
        // rsync/options.c:safe_arg: a value the remote shell or daemon would split or expand is escaped, unless it
        // travels in -s's second list or --old-args (twice) asks for the old splitting
        UnaryOperator<String> value = o.secludedArgs() || o.oldArgs() > 1 ? v -> v : SafeArg::escapeOptionValue;
        List<String> args = new ArrayList<>();
        args.add("--server");
        if (serverIsSender) {
            args.add("--sender");
        }

        StringBuilder f = new StringBuilder("-");
        if (o.secludedArgs()) {
            f.append('s'); // first: the server's first parse stops at it (see divide)
        }
        f.append("v".repeat(Math.min(o.verbose(), 9)));
        if (o.quiet() > 0) {
            f.append('q');
        }
        if (o.makeBackups()) {
            f.append('b');
        }
        if (o.update()) {
            f.append('u');
        }
        if (o.dryRun()) {
            f.append('n');
        }
        if (o.links()) {
            f.append('l');
        }
        // An explicit -d, or the implied one a non-recursive listing or deletion needs.
        if (!o.recursive() && (Boolean.TRUE.equals(o.dirs())
                || (o.transfersDirs() && (o.isListOnly() || (o.deleteMode() && push))))) {
            f.append('d');
        }
        if (push) {
            if (o.keepDirlinks()) {
                f.append('K');
            }
            if (o.pruneEmptyDirs()) {
                f.append('m');
            }
            // -b without --backup-dir implies -O on the receiver, so rsync does not send it then.
            if (o.omitDirTimes() && !(o.makeBackups() && o.backupDir() == null)) {
                f.append('O');
            }
            if (o.omitLinkTimes()) {
                f.append('J');
            }
            f.append("y".repeat(o.fuzzyLevel()));
        } else {
            if (o.copyLinks()) {
                f.append('L');
            }
            if (o.copyDirlinks()) {
                f.append('k');
            }
        }
        if (Boolean.TRUE.equals(o.effectiveWholeFile())) {
            f.append('W');
        }
        f.append("H".repeat(Math.min(o.hardLinks(), 2)));
        if (o.owner()) {
            f.append('o');
        }
        if (o.group()) {
            f.append('g');
        }
        if (o.devices()) {
            f.append('D'); // --specials travels as a long option when it differs
        }
        if (o.times()) {
            f.append('t');
        }
        f.append("U".repeat(Math.min(o.atimes(), 2)));
        if (o.perms()) {
            f.append('p');
        } else if (o.executability() && push) {
            f.append('E');
        }
        if (o.acls()) {
            f.append('A');
        }
        f.append("X".repeat(Math.min(o.xattrs(), 2)));
        if (o.recursive()) {
            f.append('r');
        }
        if (o.checksum()) {
            f.append('c');
        }
        if (o.cvsExclude()) {
            f.append('C');
        }
        if (o.ignoreTimes()) {
            f.append('I');
        }
        if (o.relative()) {
            f.append('R');
        }
        f.append("x".repeat(Math.min(o.oneFileSystem(), 2)));
        if (o.sparse()) {
            f.append('S');
        }
        CompressionType compression = o.compression();
        if (compression == CompressionType.ZLIB) {
            f.append('z'); // only plain zlib has a letter; the others are long options below
        }
        if (protocol >= 30) {
            f.append("e.").append(capabilities);
        }
        if (f.length() > 1) {
            args.add(f.toString());
        }

        if (o.listOnly()) {
            args.add("--list-only");
        }
        // -d with deletion but without -r: tells the server not to recurse.
        if (o.transfersDirs() && !o.recursive() && o.deleteMode() && push) {
            args.add("--no-r");
        }
        if (o.compressLevel() != null) {
            args.add("--compress-level=" + o.compressLevel());
        }
        if (o.devices()) {
            if (!o.specials()) {
                args.add("--no-specials");
            }
        } else if (o.specials()) {
            args.add("--specials");
        }
        if (push) {
            String logFormat = serverLogFormat(o);
            if (logFormat != null) {
                args.add("--log-format=" + logFormat);
            }
        }
        if (o.blockSize() > 0) {
            args.add("-B" + o.blockSize());
        }
        if (o.timeout() != 0) {
            args.add("--timeout=" + o.timeout());
        }
        if (o.bwlimit() != 0) {
            args.add("--bwlimit=" + o.bwlimit());
        }
        if (o.backupDir() != null) {
            args.add("--backup-dir");
            args.add(value.apply(o.backupDir()));
        }
        if (!o.backupSuffix().equals(o.backupDir() != null ? "" : Options.DEFAULT_BACKUP_SUFFIX)) {
            args.add("--suffix=" + value.apply(o.backupSuffix()));
        }
        if (o.effectiveChecksumChoice() != null) {
            args.add("--checksum-choice=" + value.apply(o.effectiveChecksumChoice()));
        }
        CompressionType named = o.explicitCompression();
        if (compression == CompressionType.ZLIBX) {
            args.add("--new-compress");
        } else if (named == CompressionType.ZLIB) {
            args.add("--old-compress");
        } else if (named != null) {
            args.add("--compress-choice=" + named.wireName());
        }
        if (push) {
            if (o.maxDelete() != null) {
                args.add("--max-delete=" + (o.maxDelete() > 0 ? o.maxDelete() : -1)); // -1: "delete nothing"
            }
            if (o.minSize() != null) {
                args.add("--min-size=" + o.minSize());
            }
            if (o.maxSize() != null) {
                args.add("--max-size=" + o.maxSize());
            }
            if (o.deleteWhen() != null) {
                args.add(o.deleteWhen().option());
            } else if (o.deleteMode() && !o.deleteExcluded()) {
                args.add("--delete"); // --delete-excluded alone already means deleting
            }
            if (o.deleteExcluded()) {
                args.add("--delete-excluded");
            }
            if (o.force()) {
                args.add("--force");
            }
            if (Boolean.TRUE.equals(o.superUser())) {
                args.add("--super");
            }
            if (o.sizeOnly()) {
                args.add("--size-only");
            }
            if (o.stats()) {
                args.add("--stats");
            }
        }
        if (serverIsSender && o.skipCompress() != null) {
            args.add("--skip-compress=" + value.apply(o.skipCompress()));
        }
        if (o.effectiveMaxAlloc() != MaxAlloc.DEFAULT_LIMIT) {
            // rsync/options.c:server_options, for either direction
            args.add("--max-alloc=" + value.apply(o.maxAllocArg()));
        }
        // deleting needs both sides; a sender ignores a missing source by itself
        if (o.missingArgs() == Options.DELETE_MISSING) {
            args.add("--delete-missing-args");
        } else if (o.missingArgs() == Options.IGNORE_MISSING && serverIsSender) {
            args.add("--ignore-missing-args");
        }
        if (push && o.modifyWindow() != null) {
            args.add(o.modifyWindow() < 0 ? "-@" + o.modifyWindow() : "--modify-window=" + o.modifyWindow());
        }
        if (o.checksumSeed() != 0) {
            args.add("--checksum-seed=" + o.checksumSeed());
        }
        if (push) {
            String partialDir = o.effectivePartialDir();
            if (partialDir != null) {
                if (o.partialDir() != null) {
                    args.add("--partial-dir");
                    args.add(value.apply(partialDir));
                }
                if (o.delayUpdates()) {
                    args.add("--delay-updates");
                }
            } else if (o.keepPartial()) {
                args.add("--partial");
            }
        }
        if (o.copyUnsafeLinks()) {
            args.add("--copy-unsafe-links");
        }
        if (o.safeLinks()) {
            args.add("--safe-links");
        }
        if (o.numericIds()) {
            args.add("--numeric-ids");
        }
        if (push) {
            if (o.usermap() != null) {
                args.add("--usermap=" + value.apply(o.usermap()));
            }
            if (o.groupmap() != null) {
                args.add("--groupmap=" + value.apply(o.groupmap()));
            }
            if (o.ignoreExisting()) {
                args.add("--ignore-existing");
            }
            if (o.existing()) {
                args.add("--existing");
            }
            if (o.tempDir() != null) {
                args.add("--temp-dir");
                args.add(value.apply(o.tempDir()));
            }
            // Only a receiving server needs them (an older sender may not even know the options).
            for (String dir : o.basisDirs()) {
                args.add(o.altDest().option());
                args.add(value.apply(dir));
            }
        }
        if (o.appendMode() > 0) {
            if (o.appendMode() > 1) {
                args.add("--append"); // twice means --append-verify to the server
            }
            args.add("--append");
        } else if (o.inplace()) {
            args.add("--inplace");
            // Works around old receivers that mishandle --inplace --sparse with the delta algorithm.
            if (o.sparse() && Boolean.FALSE.equals(o.effectiveWholeFile()) && push) {
                args.add("--no-W");
            }
        }
        String remoteList = o.remoteFilesFrom();
        if (remoteList != null || (o.filesFromFile() != null && serverIsSender)) {
            if (remoteList != null) {
                // the server reads the list where it is and sends it on when it is the receiver
                args.add("--files-from");
                args.add(value.apply(remoteList));
                if (o.from0()) {
                    args.add("--from0");
                }
            } else {
                args.add("--files-from=-"); // the names follow the filter list, NUL-ended
                args.add("--from0");
            }
            if (!o.relative()) {
                args.add("--no-relative");
            }
        }
        if (o.relative() && o.noImpliedDirs() && (serverIsSender || protocol >= 30)) {
            args.add("--no-implied-dirs");
        }
        if (o.removeSourceFiles()) {
            args.add("--remove-source-files");
        }
        if (o.preallocate() && push) {
            args.add("--preallocate");
        }
        if (o.openNoatime() && o.atimes() <= 1) {
            args.add("--open-noatime"); // -UU says it already
        }
        if (o.mkpath() && push) {
            args.add("--mkpath");
        }
        // rsync's SPLIT_ARG_WHEN_OLD: one --old-args already leaves -M's words to the remote shell's splitting
        boolean escapeRemote = !o.secludedArgs() && o.oldArgs() == 0;
        o.remoteOptions().forEach(opt -> args.add(escapeRemote ? SafeArg.escapeOptionValue(opt) : opt));
        args.add(".");
        return args;
    }

    /**
     * The whole list a daemon client sends: {@link #build(Options, boolean, int)} followed by the path
     * arguments, each "module" or "module/path" (all in the module of the first). A bare module ("module" or
     * "module/") is sent as "module/", any other path with a leading "-" gets a "./" prefix, and a space before
     * "module/" inside a path is sent as "[ ]" so a daemon's old-style splitting at " module/" cannot cut the
     * path apart.
     */
    // rsync/clientserver.c:start_inband_exchange
    public static List<String> forDaemon(Options o, boolean serverIsSender, int protocol, List<String> paths) {
        List<String> args = build(o, serverIsSender, protocol);
        if (paths.isEmpty()) {
            return args;
        }
        String first = paths.getFirst();
        int slash = first.indexOf('/');
        String module = slash < 0 ? first : first.substring(0, slash);
        String splitPoint = " " + module + "/";
        for (String path : paths) {
            // A bare module goes as "module/" without the "./" a leading '-' gets otherwise. "module/" counts as
            // bare too: DaemonAddress.remoteArg gives it for rsync://h/mod, and for a module named "-m" a stock
            // client's "./-m/" (from rsync://h/-m/) is read by the daemon as a directory inside the module.
            if (path.equals(module) || path.equals(module + "/")) {
                args.add(module + "/");
                continue;
            }
            String sent = o.oldArgs() > 0 ? path : path.replace(splitPoint, "[ ]" + module + "/");
            args.add(sent.startsWith("-") ? "./" + sent : sent);
        }
        return args;
    }

    /**
     * The server part of a remote shell's command line ({@code rsync/main.c:do_cmd}): {@link #build} and the
     * remote paths, each escaped for the remote shell ({@code safe_arg}).
     */
    public static List<String> forShell(Options o, boolean serverIsSender, int protocol, List<String> paths) {
        List<String> args = build(o, serverIsSender, protocol);
        boolean escape = !o.secludedArgs() && o.oldArgs() == 0;
        paths.forEach(p -> args.add(escape ? SafeArg.escapeFileName(p) : SafeArg.dashFree(p)));
        return args;
    }

    /**
     * A server argument list as {@code -s} divides it ({@code rsync/options.c:server_options} ends the open part
     * with a NULL after the option letters): what the remote shell's command line or the daemon's first list
     * carries, and what follows as {@link dev.jrsync.clientserver.ArgList#secluded}, empty without {@code -s}.
     */
    public record Divided(List<String> open, List<String> secluded) {
        public Divided {
            open = List.copyOf(open);
            secluded = List.copyOf(secluded);
        }
    }

    /** Divides a list {@link #build} made: after the letters' bundle when it starts with {@code -s}. */
    public static Divided divide(List<String> args) {
        for (int i = 0; i < args.size() && i < 3; i++) {
            String a = args.get(i);
            if (a.startsWith("-s")) {
                return new Divided(args.subList(0, i + 1), args.subList(i + 1, args.size()));
            }
            if (!a.equals("--server") && !a.equals("--sender")) {
                break;
            }
        }
        return new Divided(args, List.of());
    }

    /**
     * Whether a server's first arguments ask for a second list with the rest ({@code -s}): then they end with the
     * option letters, and the options, "." and paths follow on its input ({@code ArgList#readSecluded}).
     */
    public static boolean secluded(List<String> opening) {
        return OptionParser.secludedServer(opening);
    }

    /**
     * What a pushing client tells the receiving server about its output format: "%i" (or "%i%I" for
     * {@code -ii}) when itemizing, "X" when only {@code --progress} asks for names; null otherwise.
     */
    // rsync/options.c:server_options, from stdout_format as parse_arguments derives it
    // rsync/options.c:server_options: the server learns only whether its pushing client itemizes
    private static String serverLogFormat(Options o) {
        String format = o.stdoutFormat();
        if (format == null) {
            return null;
        }
        int hasI = o.stdoutFormatHasI();
        if (hasI > 1) {
            return "%i%I";
        }
        if (hasI == 1) {
            return "%i";
        }
        if (LogFormat.has(format, 'o')) {
            return "%o";
        }
        return o.verbose() == 0 ? "X" : null;
    }

    /**
     * Parses the argument list a client sent (without rsync's dummy "rsyncd" program name): option
     * values before "." are un-escaped as rsync 3.4.4+ daemons do, popt-style options are applied, and
     * the arguments after "." become the paths.
     *
     * @throws OptionException for an unknown option, a bad value or inconsistent options (the daemon
     *                         reports it to the client; rsync exits with code 4 there)
     */
    // rsync/io.c:read_args + rsync/options.c:parse_arguments
    public static Parsed parse(List<String> args) {
        return parse(args, List.of());
    }

    /**
     * As {@link #parse}, with the second list a {@code -s} client sent ({@link #secluded}), which no escapes
     * touch ({@code rsync/clientserver.c:rsync_module} reads it with {@code unescape} off).
     */
    public static Parsed parse(List<String> args, List<String> secluded) {
        List<String> unescaped = new ArrayList<>(args.size() + secluded.size());
        boolean afterDot = false;
        for (String arg : args) {
            unescaped.add(afterDot ? arg : SafeArg.unescape(arg));
            afterDot |= arg.equals(".");
        }
        unescaped.addAll(secluded);
        return parsed(unescaped);
    }

    /**
     * As {@link #parse}, for a server a remote shell started ({@code jrsync --server ...}): the shell has
     * removed the client's escapes already.
     */
    public static Parsed parseShell(List<String> args) {
        return parsed(args);
    }

    private static Parsed parsed(List<String> unescaped) {
        Options o = OptionParser.parseServer(unescaped);
        if (!o.server()) {
            throw OptionException.syntax("missing --server in the server arguments");
        }
        return new Parsed(o, o.sender(), o.clientInfo() == null ? "" : o.clientInfo(), o.args());
    }
}
