package dev.jrsync.cli;

import dev.jrsync.cli.events.EventsCommand;
import dev.jrsync.client.Credentials;
import dev.jrsync.client.ShellServer;
import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import dev.jrsync.core.SessionLog;
import dev.jrsync.fs.Posix;
import dev.jrsync.options.HelpText;
import dev.jrsync.options.OptionException;
import dev.jrsync.options.OptionParser;
import dev.jrsync.options.Options;
import dev.jrsync.options.OptionsBuilder;
import dev.jrsync.options.OutputFlags;
import dev.jrsync.ui.EightBitOutput;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code jrsync} command: rsync's command line, plus jrsync's own subcommands. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        String[] raw = RawArgs.of(args);
        if (isShellServer(raw)) {
            // rsync/main.c:start_server: stdout carries the protocol, so nothing else may print to it
            PrintStream err = System.err;
            System.setOut(err);
            blockingStdio(err);
            System.exit(ShellServer.run(Arrays.asList(raw), new FileInputStream(FileDescriptor.in),
                    new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), SERVER_OUT_BUFFER), err));
        }
        System.exit(run(raw, System.out, System.err, System.getenv(), true));
    }

    /** What a server writes goes out in frames of up to rsync's 32 KiB, at each flush. */
    private static final int SERVER_OUT_BUFFER = 64 << 10;

    /**
     * stdin and stdout in blocking mode, as the streams that carry a session over them need: rsync's client
     * gives its remote program a socket in non-blocking mode.
     */
    static void blockingStdio(PrintStream err) {
        for (int fd = 0; fd <= 1; fd++) {
            try {
                Posix.setBlocking(fd);
            } catch (IOException e) {
                err.println("jrsync: " + e.getMessage());
            }
        }
    }

    /**
     * Whether this is the far end of a remote shell ({@code --server} without {@code --daemon}), which rsync's
     * client starts as {@code rsync --server [--sender] OPTIONS . PATHS}.
     */
    static boolean isShellServer(String[] args) {
        List<String> list = Arrays.asList(args);
        int dot = list.indexOf(".");
        // --server anywhere among the options, as rsync's parser takes it: a wrapper may put its own first
        // ("rsync --fake-super --server ...", rrsync's forced options)
        return list.subList(0, dot < 0 ? list.size() : dot).contains("--server") && !list.contains("--daemon");
    }

    /** Runs one command line and returns the exit code; nothing here calls {@code System.exit}. */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        return run(args, out, err, env, false);
    }

    /**
     * As {@link #run(String[], PrintStream, PrintStream, Map)}; {@code ownProcess}: this run is the process, so a
     * client transfer takes SIGINT, SIGTERM and SIGHUP over, as rsync does ({@link SignalStop}).
     */
    static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env, boolean ownProcess) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            // Before the option table: its 200 options and their actions are a third of --version's run.
            out.print(VersionText.text());
            return ExitCode.OK;
        }
        if (args.length > 0 && args[0].equals("events")) {
            return EventsCommand.run(Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        List<String> argv = new ArrayList<>(Arrays.asList(args));
        // rsync/main.c: "--server --daemon ." is a daemon started by a remote shell: one session on stdin/stdout
        boolean daemonOverShell = argv.contains("--server") && argv.contains("--daemon");
        if (daemonOverShell) {
            argv.remove("--server");
            if (!argv.isEmpty() && argv.getLast().equals(".")) {
                argv.removeLast();
            }
        }
        String envMaxAlloc = env.get("RSYNC_MAX_ALLOC");
        if (envMaxAlloc != null && !envMaxAlloc.isEmpty()) {
            // rsync/options.c: the variable stands for --max-alloc; put first, a --max-alloc given wins
            argv.addFirst("--max-alloc=" + envMaxAlloc);
        }
        if (!daemonOverShell) {
            argv.addAll(0, argsProtection(argv, env));
        }
        OptionsBuilder given;
        try {
            given = OptionParser.parse(argv).toBuilder();
        } catch (OptionException e) {
            err.println(e.getMessage());
            return fail(err, e.exitCode());
        }
        given.server = daemonOverShell;
        Options options = given.build();
        if (options.eightBitOutput()) {
            out = EightBitOutput.of(out);
            err = EightBitOutput.of(err);
        }
        if (options.help()) {
            out.print(HelpText.text());
            return ExitCode.OK;
        }
        if (options.outputFlagsHelp() != null) {
            out.print(OutputFlags.help(options.outputFlagsHelp()));
            return ExitCode.OK;
        }
        if (options.version() > 0) {
            out.print(options.version() > 1 ? VersionText.json() : VersionText.text());
            return ExitCode.OK;
        }
        SessionLog lines = SessionLog.of(out, err);
        StopAt stop = null;
        try {
            if (options.daemon()) {
                return DaemonRun.run(options, out, err);
            }
            int code;
            if (options.watch()) {
                Credentials credentials = Credentials.of(options.passwordFile(), env);
                code = options.config() != null ? ConfigRun.run(options, lines, credentials, env)
                        : WatchRun.run(argv, options, lines, credentials, env, ownProcess);
            } else {
                if (ownProcess) {
                    SignalStop.install(Thread.currentThread());
                    if (options.stopAt() != null) {
                        stop = StopAt.install(options.stopAt(), Thread.currentThread(), err);
                    }
                }
                code = ClientRun.run(argv, options, lines, out, env);
            }
            if (stop != null && stop.reached()) {
                return fail(err, ExitCode.TIMEOUT);
            }
            return code == ExitCode.OK ? code : fail(err, code);
        } catch (OptionException e) {
            err.println(e.getMessage());
            return fail(err, e.exitCode());
        } catch (RsyncException e) {
            if (stop != null && stop.reached()) {
                return fail(err, ExitCode.TIMEOUT);
            }
            if (!(e instanceof dev.jrsync.session.Connection.RemoteExit)) {
                err.println(e.getMessage());
            }
            return fail(err, e.exitCode());
        }
    }

    /** rsync's closing line for a failed run ({@code rsync/log.c:log_exit}); vanished files only warrant a warning. */
    static int fail(PrintStream err, int code) {
        err.println("jrsync " + (code == ExitCode.VANISHED ? "warning: " : "error: ") + ExitCode.describe(code)
                + " (code " + code + ")");
        return code;
    }

    /**
     * A client's {@code RSYNC_OLD_ARGS} and {@code RSYNC_PROTECT_ARGS} as the options they stand for, to go before
     * the command line ({@code rsync/options.c:parse_arguments}): the first for {@code --old-args} (that many
     * times) when the command line names neither that nor {@code -s}, the second for {@code -s} (non-zero) or
     * {@code --no-s} when it names neither.
     */
    private static List<String> argsProtection(List<String> argv, Map<String, String> env) {
        String old = env.getOrDefault("RSYNC_OLD_ARGS", "");
        String protect = env.getOrDefault("RSYNC_PROTECT_ARGS", "");
        if (old.isEmpty() && protect.isEmpty()) {
            return List.of();
        }
        boolean namesOld = false;
        boolean namesSecluded = false;
        try {
            for (OptionParser.Given g : OptionParser.split(argv).options()) {
                String name = g.spec().longNames().isEmpty() ? "" : g.spec().longNames().getFirst();
                namesOld |= name.equals("old-args") || name.equals("no-old-args");
                namesSecluded |= name.equals("secluded-args") || name.equals("no-secluded-args");
            }
        } catch (OptionException e) {
            return List.of(); // the parse proper reports it
        }
        List<String> implied = new ArrayList<>();
        if (!old.isEmpty() && !namesOld && !namesSecluded) {
            implied.addAll(Collections.nCopies(Math.max(leadingInt(old), 0), "--old-args"));
            return implied;
        }
        if (!protect.isEmpty() && !namesSecluded) {
            implied.add(leadingInt(protect) != 0 ? "--secluded-args" : "--no-secluded-args");
        }
        return implied;
    }

    /** C's {@code atoi}: the leading digits, with a sign; 0 when there are none. */
    private static int leadingInt(String s) {
        Matcher m = Pattern.compile("^\\s*([-+]?\\d{1,9})").matcher(s);
        return m.find() ? Integer.parseInt(m.group(1).replace("+", "")) : 0;
    }
}
