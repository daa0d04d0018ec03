package dev.jrsync.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a stock rsync binary as a client, e.g. against jrsync's daemon or to measure wire bytes with
 * {@code --stats}. Each {@link #run} is bounded by a timeout so a protocol hang fails the test with the
 * client's output instead of stalling the build.
 *
 * <p>{@code RSYNC_PASSWORD} is removed from the inherited environment unless set with {@link #password}, so a
 * stray value on a developer machine cannot make an authentication test pass or fail by accident.
 */
public final class StockClient {

    private final StockRsync rsync;
    private Duration timeout = Duration.ofSeconds(120);
    private String password;
    private Path workingDirectory;
    private final Map<String, String> env = new LinkedHashMap<>();

    private StockClient(StockRsync rsync) {
        this.rsync = rsync;
    }

    /** A client running {@code rsync}'s binary. */
    public static StockClient of(StockRsync rsync) {
        return new StockClient(rsync);
    }

    /** Sets {@code RSYNC_PASSWORD}, which the client uses to answer a daemon's auth challenge. */
    public StockClient password(String password) {
        this.password = password;
        return this;
    }

    /** How long one run may take before the client is killed (default 120 s). */
    public StockClient timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    /** The directory relative paths in the arguments are resolved against. */
    public StockClient workingDirectory(Path dir) {
        this.workingDirectory = dir;
        return this;
    }

    /** An extra environment variable for the client process. */
    public StockClient env(String name, String value) {
        env.put(name, value);
        return this;
    }

    public StockRsync rsync() {
        return rsync;
    }

    /** Runs {@code rsync args...} to completion; the result carries exit code, stdout and stderr. */
    public ProcessResult run(String... args) {
        return run(List.of(args));
    }

    /** Runs {@code rsync args...} to completion; the result carries exit code, stdout and stderr. */
    public ProcessResult run(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(rsync.binary().toString());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command);
        if (workingDirectory != null) {
            pb.directory(workingDirectory.toFile());
        }
        pb.environment().remove("RSYNC_PASSWORD");
        if (password != null) {
            pb.environment().put("RSYNC_PASSWORD", password);
        }
        pb.environment().putAll(env);
        return Processes.run(pb, timeout);
    }
}
