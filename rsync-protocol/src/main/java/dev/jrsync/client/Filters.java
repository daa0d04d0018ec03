package dev.jrsync.client;

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

    private Filters(FilterRules given, boolean cvsExclude, Path root) {
        this.given = given;
        this.rules = cvsExclude ? given.withCvsExclude(true, true) : given;
        this.cvsExclude = cvsExclude;
        this.root = root;
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
     * merge files now.
     *
     * @throws dev.jrsync.options.OptionException for a malformed rule (exit code 1)
     * @throws dev.jrsync.core.RsyncException when a rules file cannot be read (exit code 11)
     */
    public static Filters from(Options options) {
        return new Filters(FilterRules.fromArgs(options.filters(), options.deleteExcluded()), options.cvsExclude(),
                rulesRoot(options));
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
        return rules.rules().isEmpty() ? ScanFilter.NONE : rules.view(FilterSide.SENDER, root);
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
        return rules.view(FilterSide.RECEIVER, root);
    }
}
