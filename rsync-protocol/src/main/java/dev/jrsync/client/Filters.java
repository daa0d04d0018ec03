package dev.jrsync.client;

import dev.jrsync.core.SessionLog;
import dev.jrsync.filter.FilterReport;
import dev.jrsync.filter.FilterRule;
import dev.jrsync.filter.FilterRules;
import dev.jrsync.filter.FilterSide;
import dev.jrsync.filter.FilterView;
import dev.jrsync.fs.ScanFilter;
import dev.jrsync.options.Options;
import dev.jrsync.wire.ProtocolOutput;
import java.nio.file.Path;

/** A client's filter rules: what it sends its peer and what its own side applies. */
public final class Filters {
    /** A client's absolute paths start at the filesystem root (a daemon's at its module). */
    private static final Path ROOT = Path.of("/");

    /** The command line's rules. */
    private final FilterRules given;
    /** What this side applies: with {@code -C}, the command line's and then ":C" and "-C". */
    private final FilterRules rules;
    private final boolean cvsExclude;
    /** Where the merge files the rules name are read from: {@link #rulesRoot}. */
    private final Path root;
    private final SessionLog log;
    /** {@code --debug=FILTER}'s level: at 1 the sender and generator name the rule behind each decision. */
    private final int filterDebug;

    private Filters(FilterRules given, boolean cvsExclude, Path root, SessionLog log, int filterDebug) {
        this.given = given;
        this.rules = cvsExclude ? given.withCvsExclude(true, true) : given;
        this.cvsExclude = cvsExclude;
        this.root = root;
        this.log = log;
        this.filterDebug = filterDebug;
    }

    /**
     * Where the merge files a side's rules name are read from: beneath {@code --confine-root} when one is given (rsync
     * 3.5: a merge file that really lies outside it, whatever path reaches it, is not read, so its words cannot steer
     * what is listed), else anywhere.
     */
    static Path rulesRoot(Options options) {
        return options.confineRoot() != null ? Path.of(options.confineRoot()) : ROOT;
    }

    /**
     * Parses {@code options.filters} in command-line order, reading --exclude-from/--include-from and
     * merge files now, and tells {@code log} of the rules it left out (see {@link FilterRules#report}).
     *
     * @throws dev.jrsync.options.OptionException for a malformed rule (exit code 1)
     * @throws dev.jrsync.core.RsyncException when a rules file cannot be read (exit code 11)
     */
    public static Filters from(Options options, SessionLog log) {
        return from(options, log, options.debugLevel("FILTER"));
    }

    /** The command line's rules alone, as {@link #from(Options, SessionLog)} parses them, telling no one of them. */
    public static Filters from(Options options) {
        return from(options, new SessionLog() {
            @Override
            public void info(String line) {
            }

            @Override
            public void error(String line) {
            }
        }, 0);
    }

    private static Filters from(Options options, SessionLog log, int filterDebug) {
        FilterRules given = FilterRules.fromArgs(options.filters(), options.deleteExcluded());
        given.report(log, filterDebug);
        return new Filters(given, options.cvsExclude(), rulesRoot(options), log, filterDebug);
    }

    /**
     * A push: {@code rsync/exclude.c:send_filter_list} from the sending client to the receiver, with {@code -C}'s
     * rules (":C" from protocol 29 on; before, the receiver adds it itself).
     */
    public void sendToReceiver(ProtocolOutput out, int protocol, boolean deleteExcluded) {
        FilterRules sent = cvsExclude ? given.withCvsExclude(protocol >= 29, true) : given;
        out.write(sent.encode(protocol, true, deleteExcluded));
    }

    /** A pull: {@code rsync/exclude.c:send_filter_list} from the receiving client to the sender, which adds -C's own. */
    public void sendToSender(ProtocolOutput out, int protocol) {
        out.write(given.encode(protocol, false, given.deleteExcluded()));
    }

    /** The command line's rules as merge-file lines ({@link FilterRules#asLines}). */
    public java.util.List<byte[]> lines() {
        return given.asLines();
    }

    /** The sender's view: what the source scan leaves out (without rules, nothing: no name is even looked at). */
    public ScanFilter forScan() {
        return rules.rules().isEmpty() ? ScanFilter.NONE
                : rules.view(FilterSide.SENDER, root).reportingTo(new FilterReport(log, "sender", filterDebug));
    }

    /**
     * What a pulling client holds the sender's file list to ({@code rsync/flist.c:recv_file_entry} with
     * {@code check_server_filter}): the rules as the sender applies them. Null without rules, and with a
     * per-directory merge rule ({@code -F}, dir-merge), whose files only the sender reads (rsync's
     * {@code trust_sender_filter}).
     */
    public FilterView forSenderListCheck() {
        if (rules.rules().isEmpty() || rules.rules().stream().anyMatch(r -> r.has(FilterRule.PERDIR_MERGE))) {
            return null;
        }
        return rules.view(FilterSide.SENDER, root);
    }

    /** The receiver's view: names on the receiving side that deletion must leave alone. */
    public ScanFilter forDelete() {
        return rules.view(FilterSide.RECEIVER, root).reportingTo(new FilterReport(log, "generator", filterDebug));
    }
}
