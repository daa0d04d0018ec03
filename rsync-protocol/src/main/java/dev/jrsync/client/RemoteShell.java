package dev.jrsync.client;

import dev.jrsync.clientserver.ArgList;
import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import dev.jrsync.core.SessionLog;
import dev.jrsync.fs.Posix;
import dev.jrsync.net.BytePipe;
import dev.jrsync.net.StreamPair;
import dev.jrsync.options.Options;
import dev.jrsync.options.ServerArgs;
import dev.jrsync.session.Connection;
import dev.jrsync.session.ProtocolSetup;
import dev.jrsync.session.SessionRunner;
import dev.jrsync.wire.MaxAlloc;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A session over a remote shell ({@code rsync/main.c:do_cmd}, {@code pipe.c:piped_child}): the remote-shell
 * command the user named ({@code -e}, else {@code RSYNC_RSH}) runs with the host, the remote program
 * ({@code --rsync-path}, else "rsync") and the server's arguments, and the protocol runs over its stdin and
 * stdout. Where that command is ssh (or none is named) an in-process SSH connection stands in for it
 * ({@link SshProcess}). Its stderr is this process's, as with rsync: what the far side says before the protocol starts (a
 * shell's "command not found") reaches the user.
 */
public final class RemoteShell implements AutoCloseable {
    /** How long the remote shell may take to exit once its session is over, before it is killed. */
    static final long EXIT_WAIT_SECONDS = 30;

    /** What the remote side may send ahead of this one's reading (the Netty transport's inbound high mark). */
    static final int READ_AHEAD = 4 << 20;

    private final Process process;
    private final List<String> command;

    private RemoteShell(Process process, List<String> command) {
        this.process = process;
        this.command = command;
    }

    /**
     * A {@code [user@]host:path} operand ({@code rsync/main.c:check_for_hostspec}); the host may be a bracketed
     * IPv6 address. {@code path} is empty for "host:".
     */
    record Target(String user, String host, String path) {
        /** The operand as a target, or null when it is a local path (no ':' before the first '/'). */
        static Target parse(String arg) {
            int at = -1;
            int colon;
            if (arg.startsWith("[") || arg.contains("@[")) {
                int open = arg.indexOf('[');
                int close = arg.indexOf(']', open);
                if (close < 0 || close + 1 >= arg.length() || arg.charAt(close + 1) != ':') {
                    return null;
                }
                at = open - 1;
                colon = close + 1;
                String user = at > 0 ? arg.substring(0, at) : null;
                return new Target(user, arg.substring(open + 1, close), arg.substring(colon + 1));
            }
            colon = arg.indexOf(':');
            int slash = arg.indexOf('/');
            if (colon <= 0 || (slash >= 0 && slash < colon)) {
                return null;
            }
            String hostPart = arg.substring(0, colon);
            at = hostPart.lastIndexOf('@');
            String user = at > 0 ? hostPart.substring(0, at) : null;
            String host = hostPart.substring(at + 1);
            return host.isEmpty() ? null : new Target(user, host, arg.substring(colon + 1));
        }
    }

    /**
     * The command line rsync runs ({@code rsync/main.c:do_cmd}): the remote shell split as rsync splits it,
     * {@code -l user} unless the shell command has a {@code -l} of its own for a daemon, the host, the remote
     * program (one word here: the remote shell splits it), then {@code serverArgs}.
     */
    static List<String> command(String rsh, Target target, String rsyncPath, List<String> serverArgs,
                                boolean daemon) {
        List<String> cmd = new ArrayList<>(split(rsh));
        boolean dashL = false;
        for (int i = 0; i + 1 < cmd.size(); i++) {
            dashL |= cmd.get(i).equals("-l") && !cmd.get(i + 1).startsWith("-");
        }
        if (target.user() != null && !(daemon && dashL)) {
            cmd.add("-l");
            cmd.add(target.user());
        }
        cmd.add(target.host());
        cmd.add(rsyncPath == null ? "rsync" : rsyncPath);
        cmd.addAll(serverArgs);
        return cmd;
    }

    /**
     * Words of a remote-shell command as rsync splits them: at spaces, except inside single or double quotes,
     * where a doubled quote stands for itself.
     */
    public static List<String> split(String rsh) {
        List<String> words = new ArrayList<>();
        int i = 0;
        int n = rsh.length();
        while (i < n) {
            if (rsh.charAt(i) == ' ') {
                i++;
                continue;
            }
            StringBuilder w = new StringBuilder();
            char quote = 0;
            while (i < n && (rsh.charAt(i) != ' ' || quote != 0)) {
                char c = rsh.charAt(i);
                if (c == '\'' || c == '"') {
                    if (quote == 0) {
                        quote = c;
                        i++;
                        continue;
                    }
                    if (c == quote) {
                        if (i + 1 < n && rsh.charAt(i + 1) == quote) {
                            i++; // a doubled quote is the quote itself
                        } else {
                            quote = 0;
                            i++;
                            continue;
                        }
                    }
                }
                w.append(rsh.charAt(i++));
            }
            if (quote != 0) {
                throw new RsyncException(ExitCode.SYNTAX, "Missing trailing-" + quote + " in remote-shell command.");
            }
            words.add(w.toString());
        }
        if (words.isEmpty()) {
            throw new RsyncException(ExitCode.SYNTAX, "the remote-shell command is empty");
        }
        return words;
    }

    /** The remote shell the user named: {@code -e}, else {@code RSYNC_RSH}; null when neither is given. */
    static String rsh(Options options) {
        String rsh = options.rsh() != null ? options.rsh() : System.getenv("RSYNC_RSH");
        return rsh == null || rsh.isBlank() ? null : rsh;
    }

    /**
     * Starts the user's remote shell to {@code target}'s host with the server's arguments ({@link #command}); with
     * {@code -s} the command line ends at the option letters and the rest goes first down the pipe
     * ({@code rsync/rsync.c:send_protected_args}), out of the remote shell's reach.
     */
    static RemoteShell start(Options options, Target target, List<String> serverArgs, boolean daemon) {
        ServerArgs.Divided divided = ServerArgs.divide(serverArgs);
        String rsh = rsh(options);
        List<String> words = rsh == null ? List.of("ssh") : split(rsh);
        RemoteShell shell = SshCommand.isSsh(words.getFirst())
                ? overSsh(SshCommand.parse(words), target, options.rsyncPath(), divided.open(), daemon)
                : start(command(rsh, target, options.rsyncPath(), divided.open(), daemon));
        if (!divided.secluded().isEmpty()) {
            try {
                OutputStream out = shell.process.getOutputStream();
                out.write(ArgList.secluded(divided.secluded()));
                out.flush();
            } catch (IOException e) {
                shell.close();
                throw new RsyncException(ExitCode.STREAM_IO, "rsync: the remote shell closed its input: "
                        + Posix.describe(e));
            }
        }
        return shell;
    }

    /**
     * The remote command over the in-process SSH client ({@link SshProcess}) where {@link #command} would run ssh:
     * the same user ({@code -l}/{@code User} of a daemon's shell command winning, as there), host and remote
     * command line, which the far side's shell splits as it would split ssh's.
     */
    private static RemoteShell overSsh(SshCommand ssh, Target target, String rsyncPath, List<String> serverArgs,
                                       boolean daemon) {
        String user = target.user() != null && !(daemon && ssh.user() != null) ? target.user() : ssh.user();
        List<String> remote = new ArrayList<>();
        remote.add(rsyncPath == null ? "rsync" : rsyncPath);
        remote.addAll(serverArgs);
        String command = String.join(" ", remote);
        return new RemoteShell(SshProcess.start(ssh, user, target.host(), command),
                List.of("ssh", (user == null ? "" : user + "@") + target.host(), command));
    }

    /** Starts {@code command}; a program that cannot be run is rsync's "Failed to exec" (exit code 14). */
    static RemoteShell start(List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        try {
            return new RemoteShell(pb.start(), command);
        } catch (IOException e) {
            throw new RsyncException(ExitCode.IPC, "rsync: Failed to exec " + command.getFirst() + ": "
                    + Posix.describe(e));
        }
    }

    /** The streams to the remote program; closing them ends its input and waits for it ({@link #close}). */
    StreamPair streams() {
        return StreamPair.of(BytePipe.readAhead(process.getInputStream(), READ_AHEAD, "jrsync-rsh-reader"),
                process.getOutputStream(), this::close);
    }

    /**
     * The server session over this shell, past the version exchange: the server was given its arguments on the
     * command line.
     */
    DaemonClient.Session session(Options options, SessionLog log) {
        StreamPair streams = streams();
        Connection conn = new Connection(streams.input(), streams.output(), log);
        conn.in().setMaxAlloc(new MaxAlloc(options.effectiveMaxAlloc(), null));
        try {
            int protocol = ProtocolSetup.exchangeVersions(conn, options.protocolVersion(),
                    DaemonClient.MIN_PROTOCOL_VERSION);
            return new DaemonClient.Session(conn, protocol, streams);
        } catch (RuntimeException e) {
            streams.close();
            throw SessionRunner.failure(e);
        }
    }

    /**
     * rsync's {@code wait_process_with_flush}: the remote program's exit code once it ended, or rsync's 124-style
     * codes for one killed by a signal (here 20).
     */
    int exitCode() {
        close();
        return process.isAlive() ? ExitCode.SIGNAL : process.exitValue();
    }

    /** What ran, for messages. */
    String program() {
        return String.join(" ", command);
    }

    /**
     * Closes the remote program's pipes and waits for it to exit, at most {@link #EXIT_WAIT_SECONDS}, then kills
     * it: at the end of a session the server exits by itself, after a failure it sees its pipes close.
     */
    @Override
    public void close() {
        // Both ends, before the wait: a server still writing to us then fails at once instead of filling the pipe.
        try (var in = process.getInputStream(); var out = process.getOutputStream()) {
            // closed
        } catch (IOException ignored) {
            // it exited already
        }
        try {
            if (!process.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
