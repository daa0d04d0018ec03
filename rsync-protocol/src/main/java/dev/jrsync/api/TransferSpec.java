package dev.jrsync.api;

import dev.jrsync.options.OptionException;
import dev.jrsync.options.OptionGroup;
import dev.jrsync.options.OptionParser;
import dev.jrsync.options.OptionSpec;
import dev.jrsync.options.OptionTable;
import dev.jrsync.options.Options;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What to transfer, from where to where, and how: one rsync command line as an immutable value, built with
 * {@link #builder()}. Sources and destination are written as rsync writes them: a local path, or a daemon's
 * {@code rsync://[USER@]HOST[:PORT]/MODULE/PATH} or {@code [USER@]HOST::MODULE/PATH}; a trailing "/" on a
 * source directory copies its contents rather than the directory itself. A spec without a destination lists
 * its sources, as rsync does ({@link Rsync#list}).
 *
 * @param sources     one or more sources, all local or all on one daemon
 * @param destination a local path, or a daemon when the sources are local; empty for a listing
 * @param settings    the options, in the order given, each checked against rsync's option table
 * @param passwords   asked for a password when a daemon module demands one
 */
public record TransferSpec(List<String> sources, Optional<String> destination, List<Setting> settings,
                           PasswordSource passwords) {
    /** Option groups that are not a transfer's: running a daemon or a mirror, help, and server-only options. */
    private static final Set<OptionGroup> NOT_TRANSFER = Set.of(OptionGroup.DAEMON, OptionGroup.WATCH,
            OptionGroup.INFO, OptionGroup.SERVER);

    /**
     * One option as rsync's long name (without the dashes) and its value, null for a switch.
     *
     * @param name  rsync's long option name, such as {@code "delete-after"} or {@code "exclude"}; the letter of
     *              the three options that have none ({@code "P"}, {@code "D"}, {@code "F"})
     * @param value the option's argument, null when it takes none
     */
    public record Setting(String name, String value) {
        public Setting {
            Objects.requireNonNull(name, "name");
        }

        String argument() {
            return new OptionParser.Given(spec(), value).argument();
        }

        OptionSpec spec() {
            OptionSpec spec = name.length() == 1 ? OptionTable.findShort(name.charAt(0), false)
                    : OptionTable.findLong(name, false);
            return spec == null || name.length() == 1 && !spec.longNames().isEmpty() ? null : spec;
        }
    }

    public TransferSpec {
        sources = List.copyOf(sources);
        settings = List.copyOf(settings);
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(passwords, "passwords");
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("a transfer needs at least one source");
        }
        for (Setting s : settings) {
            OptionSpec spec = s.spec();
            if (spec == null) {
                throw new IllegalArgumentException("--" + s.name() + ": unknown option");
            }
            if (NOT_TRANSFER.contains(spec.group())) {
                throw new IllegalArgumentException("--" + s.name() + " is not an option of a transfer");
            }
            if ((spec.argType() == OptionSpec.ArgType.NONE) != (s.value() == null)) {
                throw new IllegalArgumentException("--" + s.name() + (s.value() == null ? " needs a value"
                        : " takes no value"));
            }
        }
        options(sources, destination, settings); // rsync's consistency checks, now rather than at the run
    }

    /** A builder with no options set (rsync's defaults: not even {@code -r}). */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The spec of an rsync command line (without the program name), as {@code rsync ARGS...} reads it: the
     * options, each bundled short option and alias under its long name, then the sources and, when there are two
     * operands or more, the last as the destination.
     *
     * @throws IllegalArgumentException for an unknown or misused option, an option that is not a transfer's
     *                                  ({@code --daemon}, {@code --watch}, {@code --help}), or no operand
     */
    public static TransferSpec parse(List<String> args, PasswordSource passwords) {
        OptionParser.Split split;
        try {
            split = OptionParser.split(args);
        } catch (OptionException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        List<Setting> settings = split.options().stream()
                .map(g -> new Setting(g.spec().displayName().replaceFirst("^--?", ""), g.value())).toList();
        List<String> operands = split.operands();
        if (operands.size() < 2) {
            return new TransferSpec(operands, Optional.empty(), settings, passwords);
        }
        return new TransferSpec(operands.subList(0, operands.size() - 1), Optional.of(operands.getLast()), settings,
                passwords);
    }

    /** The options of a run, as rsync would parse the spec's command line. */
    Options options() {
        return options(sources, destination, settings);
    }

    /**
     * The spec as the command line that asks rsync for the same run (without the program name): the options
     * in order, then {@code --}, the sources and the destination. A lone source makes a listing, as in rsync,
     * which then asks the server for nothing more ({@code --list-only} leads a listing of several).
     */
    public List<String> argv() {
        return argv(sources, destination, settings);
    }

    private static List<String> argv(List<String> sources, Optional<String> destination, List<Setting> settings) {
        List<String> argv = new ArrayList<>();
        if (destination.isEmpty() && sources.size() > 1) {
            argv.add("--list-only"); // else the last source would be taken for the destination
        }
        for (Setting s : settings) {
            argv.add(s.argument());
        }
        argv.add("--"); // a source named "-x" is a name, not an option
        argv.addAll(sources);
        destination.ifPresent(argv::add);
        return List.copyOf(argv);
    }

    private static Options options(List<String> sources, Optional<String> destination, List<Setting> settings) {
        try {
            return OptionParser.parse(argv(sources, destination, settings));
        } catch (OptionException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * Builds a {@link TransferSpec}. The common options have methods of their own; {@link #option(String)} and
     * {@link #option(String, String)} reach every other one of rsync's transfer options by its long name.
     * Every call adds to the options in order, and a later one wins where rsync's would (as {@code --no-times}
     * after {@code archive()}).
     */
    public static final class Builder {
        private final List<String> sources = new ArrayList<>();
        private String destination;
        private final List<Setting> settings = new ArrayList<>();
        private PasswordSource passwords = (user, module) -> null;

        private Builder() {}

        /** Adds a source: a local path, or a daemon URL ({@code rsync://host/module/path}). */
        public Builder source(String source) {
            sources.add(Objects.requireNonNull(source, "source"));
            return this;
        }

        /** Adds a local source; a directory's contents when {@code contents} (rsync's trailing "/"). */
        public Builder source(Path source, boolean contents) {
            String s = source.toString();
            return source(contents && !s.endsWith("/") ? s + "/" : s);
        }

        /**
         * The destination: a local path, or a daemon URL ({@code rsync://host/module/path}). Without one the spec
         * is a listing of its sources.
         */
        public Builder destination(String destination) {
            this.destination = Objects.requireNonNull(destination, "destination");
            return this;
        }

        /** A local destination. */
        public Builder destination(Path destination) {
            return destination(destination.toString());
        }

        /** Where a daemon password comes from, asked only when a module demands one. */
        public Builder passwords(PasswordSource passwords) {
            this.passwords = Objects.requireNonNull(passwords, "passwords");
            return this;
        }

        /** Any transfer switch of rsync's by its long name, such as {@code "omit-dir-times"}. */
        public Builder option(String name) {
            settings.add(new Setting(name, null));
            return this;
        }

        /** Any transfer option of rsync's that takes a value, such as {@code ("max-size", "10M")}. */
        public Builder option(String name, String value) {
            settings.add(new Setting(name, Objects.requireNonNull(value, "value")));
            return this;
        }

        /** {@code -a}: recursive, and keep links, permissions, times, group, owner, devices and specials. */
        public Builder archive() {
            return option("archive");
        }

        /** {@code -r} */
        public Builder recursive() {
            return option("recursive");
        }

        /** {@code -l}: copy symbolic links as links */
        public Builder links() {
            return option("links");
        }

        /** {@code -p} */
        public Builder perms() {
            return option("perms");
        }

        /** {@code -t} */
        public Builder times() {
            return option("times");
        }

        /** {@code -c}: compare files by checksum instead of size and time */
        public Builder checksum() {
            return option("checksum");
        }

        /** {@code -n}: report what would change, and change nothing */
        public Builder dryRun() {
            return option("dry-run");
        }

        /** {@code -z} */
        public Builder compress() {
            return option("compress");
        }

        /** {@code --delete}: remove destination files that the source does not have */
        public Builder delete() {
            return option("delete");
        }

        /** {@code --delete-excluded} */
        public Builder deleteExcluded() {
            return option("delete-excluded");
        }

        /** {@code --exclude=PATTERN} */
        public Builder exclude(String pattern) {
            return option("exclude", pattern);
        }

        /** {@code --include=PATTERN} */
        public Builder include(String pattern) {
            return option("include", pattern);
        }

        /** {@code --filter=RULE} */
        public Builder filter(String rule) {
            return option("filter", rule);
        }

        /** {@code -W} ({@code true}) or {@code --no-W}: send whole files, or always search for matching blocks */
        public Builder wholeFile(boolean whole) {
            return option(whole ? "whole-file" : "no-whole-file");
        }

        /** {@code --partial}: keep a partly transferred file */
        public Builder partial() {
            return option("partial");
        }

        /** {@code --inplace} */
        public Builder inplace() {
            return option("inplace");
        }

        /** {@code -S}: write runs of zeros as holes */
        public Builder sparse() {
            return option("sparse");
        }

        /** {@code -u}: skip files that are newer on the receiver */
        public Builder update() {
            return option("update");
        }

        /** {@code --remove-source-files} */
        public Builder removeSourceFiles() {
            return option("remove-source-files");
        }

        /** {@code --mkpath} */
        public Builder mkpath() {
            return option("mkpath");
        }

        /** {@code --numeric-ids} */
        public Builder numericIds() {
            return option("numeric-ids");
        }

        /** {@code -b}, with {@code --backup-dir=DIR} when {@code dir} is not null */
        public Builder backup(String dir) {
            option("backup");
            return dir == null ? this : option("backup-dir", dir);
        }

        /** {@code --bwlimit=RATE}, rsync's syntax: {@code 1.5m} is 1.5 MiB/s, a bare number KiB/s */
        public Builder bwlimit(String rate) {
            return option("bwlimit", rate);
        }

        /** {@code --timeout}: give up when no data moves for this long (whole seconds) */
        public Builder timeout(Duration idle) {
            return option("timeout", Long.toString(Math.max(1, idle.toSeconds())));
        }

        /** {@code --contimeout}: give up when a daemon does not answer the connection for this long */
        public Builder connectTimeout(Duration timeout) {
            return option("contimeout", Long.toString(Math.max(1, timeout.toSeconds())));
        }

        /** {@code --port}: the daemon port when a {@code host::module} operand names none */
        public Builder port(int port) {
            return option("port", Integer.toString(port));
        }

        /** {@code --max-delete=NUM} */
        public Builder maxDelete(int count) {
            return option("max-delete", Integer.toString(count));
        }

        /** {@code --chmod=CHMOD} */
        public Builder chmod(String spec) {
            return option("chmod", spec);
        }

        /**
         * The spec; rsync's option checks run here, so a contradiction ({@code delete()} without
         * {@code recursive()}) fails now, with rsync's message.
         *
         * @throws IllegalArgumentException for an unknown or misused option, or no source
         */
        public TransferSpec build() {
            return new TransferSpec(sources, Optional.ofNullable(destination), settings, passwords);
        }
    }
}
