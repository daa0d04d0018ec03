package dev.jrsync.api.mirror;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * The mirrors of a {@link MirrorConfig}, one per sync, each with its own watches and destinations, as
 * {@code jrsync --watch --config=FILE} runs them. {@link #reload} moves to another config the way lsyncd users would
 * want SIGHUP to: a sync whose section did not change keeps running untouched (no new full sync), a changed one is
 * restarted, a new one started and a removed one stopped.
 * <pre>{@code
 * try (MirrorSet set = MirrorSet.start(MirrorConfig.read(file), sync -> sync.spec(passwords), name -> listener)) {
 *     ...
 *     set.reload(MirrorConfig.read(file));
 * }
 * }</pre>
 */
public final class MirrorSet implements AutoCloseable {
    private final Function<MirrorConfig.Sync, MirrorSpec> specs;
    private final Function<String, MirrorListener> listeners;
    /** What runs, by sync name; guarded by this. */
    private final Map<String, Running> running = new LinkedHashMap<>();
    private final CompletableFuture<Integer> ended = new CompletableFuture<>();
    private boolean closed;

    private record Running(MirrorConfig.Sync sync, MirrorHandle handle) {}

    /**
     * What a reload did, by sync name.
     *
     * @param started   syncs new in the config
     * @param restarted syncs whose section changed
     * @param stopped   syncs gone from the config
     * @param unchanged syncs left running as they were
     */
    public record Reload(List<String> started, List<String> restarted, List<String> stopped, List<String> unchanged) {
        public Reload {
            started = List.copyOf(started);
            restarted = List.copyOf(restarted);
            stopped = List.copyOf(stopped);
            unchanged = List.copyOf(unchanged);
        }
    }

    private MirrorSet(Function<MirrorConfig.Sync, MirrorSpec> specs, Function<String, MirrorListener> listeners) {
        this.specs = specs;
        this.listeners = listeners;
    }

    /**
     * Starts every sync of {@code config}, each as {@code specs} makes its spec (as a rule {@code
     * sync.spec(passwords)}, perhaps with a state directory added) and reporting to {@code listeners.apply(its
     * name)}, and returns at once.
     *
     * @throws IllegalArgumentException when a sync cannot start (its source is not a local folder); none is left
     *                                  running then
     */
    public static MirrorSet start(MirrorConfig config, Function<MirrorConfig.Sync, MirrorSpec> specs,
                                  Function<String, MirrorListener> listeners) {
        MirrorSet set = new MirrorSet(specs, listeners);
        try {
            set.reload(config);
        } catch (IllegalArgumentException e) {
            set.close();
            throw e;
        }
        return set;
    }

    /**
     * Runs {@code config} from now on: see the class comment. A sync that cannot start is reported by the exception
     * and the others are as the config says.
     *
     * @throws IllegalArgumentException naming the sync that could not start
     * @throws IllegalStateException    once closed
     */
    public synchronized Reload reload(MirrorConfig config) {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        List<String> started = new ArrayList<>();
        List<String> restarted = new ArrayList<>();
        List<String> stopped = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        Set<String> before = Set.copyOf(running.keySet());
        Map<String, MirrorConfig.Sync> wanted = new LinkedHashMap<>();
        config.syncs().forEach(s -> wanted.put(s.name(), s));
        for (String name : List.copyOf(running.keySet())) {
            Running r = running.get(name);
            MirrorConfig.Sync now = wanted.get(name);
            if (now == null || !now.equals(r.sync())) {
                running.remove(name);
                r.handle().close();
                if (now == null) {
                    stopped.add(name);
                }
            }
        }
        IllegalArgumentException failure = null;
        for (MirrorConfig.Sync sync : wanted.values()) {
            if (running.containsKey(sync.name())) {
                unchanged.add(sync.name());
                continue;
            }
            try {
                MirrorHandle handle = Mirror.start(specs.apply(sync), listeners.apply(sync.name()));
                running.put(sync.name(), new Running(sync, handle));
                Thread.ofVirtual().name("jrsync-mirror-end-" + sync.name()).start(() -> watchEnd(handle));
                (before.contains(sync.name()) ? restarted : started).add(sync.name());
            } catch (IllegalArgumentException e) {
                failure = failure != null ? failure : new IllegalArgumentException("[" + sync.name() + "]: "
                        + e.getMessage(), e);
            }
        }
        if (failure != null) {
            throw failure;
        }
        return new Reload(started, restarted, stopped, unchanged);
    }

    /**
     * The state of every running sync's destinations, by sync name, in config order.
     */
    public synchronized Map<String, List<MirrorStatus>> statuses() {
        Map<String, List<MirrorStatus>> all = new LinkedHashMap<>();
        running.forEach((name, r) -> all.put(name, r.handle().statuses()));
        return all;
    }

    /**
     * Waits until the set is closed, or until every sync has ended on its own (each failed beyond retrying), and
     * returns rsync's exit code: 0 after {@link #close}, else the last failure's.
     */
    public int await() throws InterruptedException {
        try {
            return ended.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause()); // completed normally, always
        }
    }

    private void watchEnd(MirrorHandle handle) {
        int code;
        try {
            code = handle.await();
        } catch (InterruptedException e) {
            return;
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            running.values().removeIf(r -> r.handle() == handle && code != 0);
            if (running.isEmpty()) {
                ended.complete(code);
            }
        }
    }

    /** Stops every sync and waits until each has (see {@link MirrorHandle#close}). */
    @Override
    public void close() {
        List<Running> stopping;
        synchronized (this) {
            closed = true;
            stopping = List.copyOf(running.values());
            running.clear();
        }
        stopping.forEach(r -> r.handle().close());
        ended.complete(0);
    }
}
