package dev.jrsync.filter;

import dev.jrsync.core.SessionLog;
import dev.jrsync.options.FilterArg;
import dev.jrsync.options.OptionException;
import dev.jrsync.wire.ProtocolException;
import dev.jrsync.wire.ProtocolInput;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A transfer's top-level filter list ({@code rsync/exclude.c:filter_list}), from the command line or
 * from the wire, and the views each side scans or deletes with. Immutable.
 */
public final class FilterRules {
    private final List<FilterRule> rules;
    private final boolean deleteExcluded;
    /** What parsing left out, and why: rsync's error lines that do not end the run. */
    private final List<String> warnings;

    private FilterRules(List<FilterRule> rules, boolean deleteExcluded) {
        this(rules, deleteExcluded, List.of());
    }

    private FilterRules(List<FilterRule> rules, boolean deleteExcluded, List<String> warnings) {
        this.rules = List.copyOf(rules);
        this.deleteExcluded = deleteExcluded;
        this.warnings = List.copyOf(warnings);
    }

    /**
     * The rules of a client's filter options, in command-line order ({@code rsync/options.c}:
     * {@code parse_filter_str}/{@code parse_filter_file} per option). Merge files are read now, relative
     * to the current directory; "-" is standard input.
     *
     * @throws OptionException for a malformed rule (exit code 1)
     * @throws dev.jrsync.core.RsyncException when an --exclude-from/--include-from or merge file
     *         cannot be read (exit code 11, as rsync's "failed to open exclude file")
     */
    public static FilterRules fromArgs(List<FilterArg> args, boolean deleteExcluded) {
        Path cwd = Path.of("").toAbsolutePath();
        return fromArgs(args, deleteExcluded,
                new RuleParser(deleteExcluded, null, new byte[0], Path.of("/"), cwd, cwd, true, true), cwd);
    }

    /**
     * The rules a client put among a remote-shell server's arguments ({@code -M--filter=...}), as {@link
     * #fromArgs} reads a client's, but "-" is a file of that name: the server's standard input is the transfer.
     */
    public static FilterRules fromServerArgs(List<FilterArg> args, boolean deleteExcluded) {
        Path cwd = Path.of("").toAbsolutePath();
        return fromArgs(args, deleteExcluded,
                new RuleParser(deleteExcluded, null, new byte[0], Path.of("/"), cwd, cwd, false, true), cwd);
    }

    /**
     * The rules a daemon's client put among the server arguments ({@code -M--filter=...}; rsync's daemon parses
     * them as any option): a merge file they name is read beneath {@code moduleRoot}, an absolute name counting
     * from there, and one {@code hidden} says the module's own rules exclude (given its module-relative name) is
     * taken as missing, as {@code rsync/exclude.c:parse_filter_file} checks {@code daemon_filter_list}: neither an
     * error nor its rules tell the client what it holds.
     */
    public static FilterRules fromDaemonArgs(List<FilterArg> args, boolean deleteExcluded, Path moduleRoot,
                                             Predicate<byte[]> hidden) {
        RuleParser parser = new RuleParser(deleteExcluded, null, new byte[0], moduleRoot, moduleRoot, moduleRoot,
                false, true).hiding(hidden);
        return fromArgs(args, deleteExcluded, parser, moduleRoot);
    }

    /** These rules, then {@code more}'s: a server's own rules before those its client sends. */
    public FilterRules then(FilterRules more) {
        if (more.rules.isEmpty()) {
            return this;
        }
        List<FilterRule> all = new ArrayList<>(rules);
        all.addAll(more.rules);
        return new FilterRules(all, deleteExcluded);
    }

    private static FilterRules fromArgs(List<FilterArg> args, boolean deleteExcluded, RuleParser parser, Path cwd) {
        RuleSink sink = new RuleSink(new HashSet<>());
        for (FilterArg arg : args) {
            byte[] value = arg.value().getBytes(StandardCharsets.UTF_8);
            switch (arg.kind()) {
                case FILTER, F -> parser.parseString(value, 0, 0, sink, null);
                case EXCLUDE -> parser.parseString(value, 0, RuleParser.OLD_PREFIXES, sink, null);
                case INCLUDE -> parser.parseString(value, FilterRule.INCLUDE, RuleParser.OLD_PREFIXES, sink, null);
                case EXCLUDE_FROM, INCLUDE_FROM -> parser.parseFile(arg.value(), cwd.resolve(arg.value()),
                        arg.kind() == FilterArg.Kind.INCLUDE_FROM ? FilterRule.INCLUDE : 0,
                        RuleParser.FATAL_ERRORS | RuleParser.OLD_PREFIXES, sink);
            }
        }
        return new FilterRules(sink.rules(), deleteExcluded, sink.warnings());
    }

    /**
     * What parsing these rules has to say ({@code rsync/exclude.c:parse_filter_str} and {@code add_rule}): the rules
     * it discarded, and with {@code --debug=FILTER} a caution for each of the command line's own rules that ends in
     * whitespace, which is seldom meant. A rule read from a file is not quoted.
     */
    public void report(SessionLog log, int filterDebug) {
        warnings.forEach(log::error);
        if (filterDebug < 1) {
            return;
        }
        for (FilterRule r : rules) {
            byte[] p = r.patternBytes();
            if (!r.has(FilterRule.FROM_FILE) && p.length > 0 && (p[p.length - 1] == ' ' || p[p.length - 1] == '\t')) {
                log.info("[client] add_rule(" + r + ") -- CAUTION: trailing whitespace!");
            }
        }
    }

    /**
     * rsync's {@code name_is_excluded(name, NAME_IS_XATTR, ...)} once an 'x' rule was seen ({@code
     * saw_xattr_filter}): the first 'x' rule matching an attribute's name decides; null when there is none, and
     * the default namespace rules apply.
     */
    public Predicate<byte[]> xattrExclusion() {
        List<FilterRule> x = rules.stream().filter(r -> r.has(FilterRule.XATTR)).toList();
        if (x.isEmpty()) {
            return null;
        }
        return name -> {
            for (FilterRule r : x) {
                if (r.matchesXattr(name)) {
                    return !r.has(FilterRule.INCLUDE);
                }
            }
            return false;
        };
    }

    /** {@link #receive(ProtocolInput, int, boolean, int)} with the default bound on the rule count. */
    public static FilterRules receive(ProtocolInput in, int protocol, boolean deleteExcluded) {
        return receive(in, protocol, deleteExcluded, RuleListCodec.DEFAULT_MAX_RULES);
    }

    /**
     * A list a server receives from its client ({@code rsync/exclude.c:recv_filter_list}), read up to
     * its terminator. Before protocol 29 rules are old-style patterns with optional "+ "/"- ".
     *
     * @param deleteExcluded whether the client asked for --delete-excluded (the server's own option)
     * @throws ProtocolException for a rule of 5120 bytes or more, more than {@code maxRules} rules, a NUL
     *         inside a rule, a malformed rule, or a merge ('.') rule: a client expands those itself, so
     *         one on the wire could only be a request to read a file of the server's
     */
    public static FilterRules receive(ProtocolInput in, int protocol, boolean deleteExcluded, int maxRules) {
        Path none = Path.of("/");
        RuleParser parser = new RuleParser(deleteExcluded, null, new byte[0], none, none, none, false, false);
        RuleSink sink = new RuleSink(new HashSet<>());
        int xflags = protocol >= 29 ? 0 : RuleParser.OLD_PREFIXES;
        for (byte[] text : RuleListCodec.read(in, maxRules)) {
            try {
                parser.parseString(text, 0, xflags, sink, null);
            } catch (OptionException e) {
                throw new ProtocolException("received " + e.getMessage(), e);
            }
        }
        return new FilterRules(sink.rules(), deleteExcluded);
    }

    /**
     * These rules and, after them, what {@code -C} adds ({@code rsync/exclude.c:send_filter_list},
     * {@code recv_filter_list}): ":C", each directory's .cvsignore, when {@code dirMerge}; "-C", the CVS ignore
     * list, when {@code list}.
     */
    public FilterRules withCvsExclude(boolean dirMerge, boolean list) {
        RuleParser parser = new RuleParser(deleteExcluded, null, new byte[0], Path.of("/"), Path.of("/"),
                Path.of("/"), false, false);
        Set<String> merged = new HashSet<>();
        rules.stream().filter(r -> r.has(FilterRule.PERDIR_MERGE)).forEach(r -> merged.add(RuleSink.baseName(r.pattern())));
        RuleSink sink = new RuleSink(merged); // a .cvsignore the user merges already is not merged twice
        rules.forEach(sink::add);
        if (dirMerge) {
            parser.parseString(":C".getBytes(StandardCharsets.US_ASCII), 0, 0, sink, null);
        }
        if (list) {
            parser.parseString("-C".getBytes(StandardCharsets.US_ASCII), 0, 0, sink, null);
        }
        return new FilterRules(sink.rules(), deleteExcluded);
    }

    /**
     * What a server adds to the client's list for {@code -C} ({@code rsync/exclude.c:recv_filter_list}): a
     * sender both rules, a receiver ":C" only before protocol 29 (from then on its client sends them).
     */
    public FilterRules withServerCvsExclude(boolean cvsExclude, boolean amSender, int protocol) {
        return cvsExclude ? withCvsExclude(amSender || protocol < 29, amSender) : this;
    }

    public List<FilterRule> rules() {
        return rules;
    }

    public boolean deleteExcluded() {
        return deleteExcluded;
    }

    /**
     * Each rule as a line of a merge file would give it (its full prefix, the pattern, '/' for a directory rule),
     * without the line's end: what a batch's replay script feeds to {@code --filter=._-}.
     */
    // rsync/batch.c:write_filter_rules (the rule half)
    public List<byte[]> asLines() {
        List<byte[]> lines = new java.util.ArrayList<>(rules.size());
        for (FilterRule r : rules) {
            byte[] prefix = RulePrefix.forDisplay(r).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            byte[] pattern = r.patternBytes();
            boolean dir = r.has(FilterRule.DIRECTORY);
            byte[] line = java.util.Arrays.copyOf(prefix, prefix.length + pattern.length + (dir ? 1 : 0));
            System.arraycopy(pattern, 0, line, prefix.length, pattern.length);
            if (dir) {
                line[line.length - 1] = '/';
            }
            lines.add(line);
        }
        return lines;
    }

    /**
     * The list as a client sends it to a peer speaking {@code protocol} ({@code send_filter_list}),
     * terminator included: {@code amSender} for a push, false for a pull.
     *
     * @throws dev.jrsync.core.RsyncException (exit code 2) when a rule needs a newer protocol
     */
    public byte[] encode(int protocol, boolean amSender, boolean deleteExcluded) {
        return RuleListCodec.encode(rules, protocol, amSender, deleteExcluded);
    }

    /**
     * What {@code side} applies. {@code absBase} is where absolute paths start: '/' for a client, the
     * module's directory for a daemon (merge files outside it are never read).
     */
    public FilterView view(FilterSide side, Path absBase) {
        return FilterView.of(rules, side, deleteExcluded, absBase);
    }
}
