package dev.jrsync.api.mirror;

import dev.jrsync.api.PasswordSource;
import dev.jrsync.api.TransferSpec;
import dev.jrsync.options.OptionException;
import dev.jrsync.options.OptionGroup;
import dev.jrsync.options.OptionParser;
import dev.jrsync.options.Options;
import dev.jrsync.options.OptionsBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What to mirror: a transfer from one local folder to a destination (a local path or a daemon's
 * {@code rsync://host/module/path}), with its options, the further destinations that get the same transfers
 * ({@code --watch-target}), and how long changes may settle before they go.
 * <pre>{@code
 * MirrorSpec spec = MirrorSpec.of(TransferSpec.builder().archive().delete()
 *         .source(Path.of("site"), true).destination("rsync://backup.example/www/").build())
 *         .withDestination("/srv/www-copy");
 * }</pre>
 *
 * @param transfer         the transfer each batch runs, for the paths that changed
 * @param moreDestinations destinations mirrored besides the transfer's own, each as a transfer's destination is
 *                         written
 * @param delay            how long a path must stay quiet before it goes ({@code --watch-delay}); empty: jrsync's
 *                         default, a few milliseconds
 * @param maxDelay         how long a path written without pause may wait at most ({@code --watch-max-delay});
 *                         empty: jrsync's default, one second
 * @param state            the directory where the mirror keeps each destination's tree index ({@code
 *                         --watch-state}), so that a restart sends only what changed while it was down; empty: no
 *                         index, each start sends the whole tree
 * @param watchBackend     how the source is watched ({@code --watch-backend}): "inotify", "fanotify" (one mark for
 *                         the filesystem, needs CAP_SYS_ADMIN, inotify with a warning where refused) or "auto";
 *                         empty: inotify
 */
public record MirrorSpec(TransferSpec transfer, List<String> moreDestinations, Optional<Duration> delay,
                         Optional<Duration> maxDelay, Optional<Path> state, Optional<String> watchBackend) {
    public MirrorSpec {
        Objects.requireNonNull(transfer, "transfer");
        Objects.requireNonNull(watchBackend, "watchBackend");
        watchBackend.ifPresent(b -> {
            if (!List.of("inotify", "fanotify", "auto").contains(b)) {
                throw new IllegalArgumentException("watchBackend must be inotify, fanotify or auto: " + b);
            }
        });
        moreDestinations = List.copyOf(moreDestinations);
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(state, "state");
        if (transfer.destination().isEmpty()) {
            throw new IllegalArgumentException("a mirror needs a destination");
        }
        if (transfer.sources().size() != 1) {
            throw new IllegalArgumentException("a mirror has one source folder, not " + transfer.sources().size());
        }
        List<String> all = new ArrayList<>(moreDestinations);
        all.add(transfer.destination().get());
        if (new HashSet<>(all).size() != all.size()) {
            throw new IllegalArgumentException("a mirror's destination is named twice: " + all);
        }
        delay.ifPresent(d -> checkMillis("delay", d));
        maxDelay.ifPresent(d -> checkMillis("maxDelay", d));
    }

    /** A mirror of {@code transfer} to its one destination, with jrsync's default delays. */
    public static MirrorSpec of(TransferSpec transfer) {
        return new MirrorSpec(transfer, List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Every destination: the transfer's, then the others in the order they were added. */
    public List<String> destinations() {
        List<String> all = new ArrayList<>();
        all.add(transfer.destination().get());
        all.addAll(moreDestinations);
        return List.copyOf(all);
    }

    /**
     * This spec with one more destination, written as a transfer's destination is (a local path or a daemon's
     * {@code rsync://host/module/path}); it gets the same transfers, from the same watch, on a thread of its own.
     */
    public MirrorSpec withDestination(String destination) {
        List<String> more = new ArrayList<>(moreDestinations);
        more.add(Objects.requireNonNull(destination, "destination"));
        return new MirrorSpec(transfer, more, delay, maxDelay, state, watchBackend);
    }

    /**
     * The mirror {@code jrsync --watch ARGS...} runs: rsync's command line (without the program name) for the
     * transfer, with {@code --watch-delay} and {@code --watch-max-delay} as the delays, each {@code --watch-target}
     * as one more destination, and {@code --watch-state} as the index's directory (the command line's default
     * directory is the command's to choose).
     *
     * @throws IllegalArgumentException for an unknown or misused option, or not one source and a destination
     */
    public static MirrorSpec parse(List<String> args, PasswordSource passwords) {
        Options options;
        OptionParser.Split split;
        try {
            options = OptionParser.parse(args);
            split = OptionParser.split(args);
        } catch (OptionException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        List<String> transfer = new ArrayList<>();
        for (OptionParser.Given given : split.options()) {
            if (given.spec().group() != OptionGroup.WATCH) {
                transfer.add(given.argument());
            }
        }
        transfer.add("--");
        transfer.addAll(split.operands());
        MirrorSpec spec = of(TransferSpec.parse(transfer, passwords));
        for (String dest : options.watchTargets()) {
            spec = spec.withDestination(dest);
        }
        if (options.watchDelayMs() != null) {
            spec = spec.withDelay(Duration.ofMillis(options.watchDelayMs()));
        }
        if (options.watchMaxDelayMs() != null) {
            spec = spec.withMaxDelay(Duration.ofMillis(options.watchMaxDelayMs()));
        }
        if (options.watchState() != null && !options.watchState().isEmpty()) {
            spec = spec.withState(Path.of(options.watchState()));
        }
        if (options.watchBackend() != null) {
            spec = spec.withWatchBackend(options.watchBackend());
        }
        return spec;
    }

    /** This spec with another settle delay. */
    public MirrorSpec withDelay(Duration delay) {
        return new MirrorSpec(transfer, moreDestinations, Optional.of(delay), maxDelay, state, watchBackend);
    }

    /** This spec with another longest wait. */
    public MirrorSpec withMaxDelay(Duration maxDelay) {
        return new MirrorSpec(transfer, moreDestinations, delay, Optional.of(maxDelay), state, watchBackend);
    }

    /** This spec keeping its tree index in {@code dir}. */
    public MirrorSpec withState(Path dir) {
        return new MirrorSpec(transfer, moreDestinations, delay, maxDelay, Optional.of(dir), watchBackend);
    }

    /** This spec watched with another backend: "inotify", "fanotify" or "auto". */
    public MirrorSpec withWatchBackend(String backend) {
        return new MirrorSpec(transfer, moreDestinations, delay, maxDelay, state, Optional.of(backend));
    }

    /** The options of {@code jrsync --watch} for this spec. */
    Options options() {
        OptionsBuilder o = OptionParser.parse(transfer.argv()).toBuilder();
        o.watch = true;
        o.watchTargets.addAll(moreDestinations);
        delay.ifPresent(d -> o.watchDelayMs = (int) d.toMillis());
        maxDelay.ifPresent(d -> o.watchMaxDelayMs = (int) d.toMillis());
        o.watchState = state.map(Path::toString).orElse(null);
        o.watchBackend = watchBackend.orElse(null);
        return o.build();
    }

    private static void checkMillis(String name, Duration d) {
        if (d.isNegative() || d.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " must be between 0 and " + Integer.MAX_VALUE + " ms: " + d);
        }
    }
}
