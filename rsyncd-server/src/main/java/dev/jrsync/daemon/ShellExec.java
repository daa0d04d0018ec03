package dev.jrsync.daemon;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs a module's hook command ({@code rsync/main.c:shell_exec}, {@code clientserver.c:start_pre_exec},
 * {@code finish_pre_exec}): {@code /bin/sh -c command}, or {@code $RSYNC_SHELL -c command}, with the session's
 * environment, some bytes on its stdin, and its stdout kept (up to rsync's buffer) when the caller shows it to
 * the client, else dropped; its stderr is the daemon's.
 *
 * <p>rsync's hooks run as the user that started the daemon, outside any chroot. A session thread here may have
 * taken a module's user and root ({@link ModuleIdentity}), which a child it started would inherit, so every
 * command is started by one thread made with the daemon, which never changes. The JDK starts a child with
 * only its stdin, stdout and stderr open, so no client's socket leaks into it.
 */
final class ShellExec implements AutoCloseable {
    /** How much of a pre-xfer command's output rsync keeps ({@code BIGPATHBUFLEN - 1}). */
    static final int MAX_OUTPUT = 5119;

    /** How a command ended: its wait status as {@code waitpid} gives it, and the output kept. */
    record Outcome(int rawStatus, String output) {
        boolean succeeded() {
            return rawStatus == 0;
        }
    }

    private final ThreadPoolExecutor launcher = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), Thread.ofPlatform().daemon().name("rsyncd-exec").factory());

    /** Starts the launching thread now, from the daemon's thread: one started by a session would be the session's. */
    ShellExec() {
        launcher.prestartAllCoreThreads();
    }

    /** Runs the command and waits for it. */
    Outcome run(String command, Map<String, String> env, byte[] stdin, boolean keepOutput) throws IOException {
        Process p = start(command, env, keepOutput ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.DISCARD);
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin);
        } catch (IOException ignored) {
            // the command exited without reading its input: what it does with none is its own affair
        }
        String output = keepOutput ? firstOutput(p.getInputStream()) : "";
        try {
            int exit = p.waitFor();
            return new Outcome(exit << 8, output);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + command, e);
        }
    }

    /**
     * Starts the command and leaves it running, its stdin and stdout piped to the caller (the {@code name
     * converter}, which answers requests for the whole session).
     */
    Process startHelper(String command, Map<String, String> env) throws IOException {
        return start(command, env, ProcessBuilder.Redirect.PIPE);
    }

    private Process start(String command, Map<String, String> env, ProcessBuilder.Redirect output)
            throws IOException {
        String shell = env.getOrDefault("RSYNC_SHELL", "/bin/sh");
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(List.of(shell, "-c", command)))
                .redirectOutput(output)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().clear();
        pb.environment().putAll(env);
        try {
            return launcher.submit(pb::start).get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting " + command, e);
        }
    }

    /** The start of the output, {@code \r\n} read as {@code \n}; the rest is not read (rsync closes the pipe). */
    private static String firstOutput(InputStream out) throws IOException {
        try (out) {
            byte[] kept = out.readNBytes(MAX_OUTPUT);
            return new String(kept, StandardCharsets.UTF_8).replace("\r\n", "\n");
        }
    }

    @Override
    public void close() {
        launcher.shutdown();
    }
}
