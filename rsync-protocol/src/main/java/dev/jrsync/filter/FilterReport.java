package dev.jrsync.filter;

import dev.jrsync.core.PathBytes;
import dev.jrsync.core.SessionLog;

/**
 * Where a side's filter rules say what they did ({@code rsync/exclude.c:report_filter_result}): with {@code -vv}
 * ({@code --debug=FILTER}) the sender names the rule that hid or showed each name and the generator the one that
 * protected or risked it, and errors met while reading per-directory merge files go to the log whatever the level.
 * A rule read from a file is named by where it came from, never by its text: the peer can choose which file a
 * per-directory merge reads, and any line of it that reached a message would be a line the peer can read back.
 *
 * @param log         where the lines go
 * @param who         rsync's {@code who_am_i()}: "sender" or "generator"
 * @param filterDebug the {@code --debug=FILTER} level
 */
public record FilterReport(SessionLog log, String who, int filterDebug) {
    /** What rsync prints in place of a rule's text when that text came out of a file. */
    static final String FROM_A_FILE = "<rule from a file read earlier>";

    /** The report of a side that says nothing but errors. */
    public static FilterReport errorsTo(SessionLog log) {
        return new FilterReport(log, "sender", 0);
    }

    /** Whether a match is worth a line: rsync's sender and generator print at level 1, its receiver at 3. */
    boolean tracesMatches() {
        return filterDebug >= ("receiver".equals(who) ? 3 : 1);
    }

    /** {@code rule} in the list {@code listType} (rsync's debug_type) decided about {@code name}. */
    void matched(FilterRule rule, String listType, byte[] name, boolean isDir) {
        boolean generator = who.startsWith("g");
        boolean include = rule.has(FilterRule.INCLUDE);
        String action = generator ? (include ? "risking" : "protecting") : (include ? "showing" : "hiding");
        log.info("[" + who + "] " + action + " " + (isDir ? "directory" : "file") + " " + PathBytes.text(name)
                + " because of pattern " + shown(rule) + listType);
    }

    void error(String line) {
        log.error(line);
    }

    /** A rule's pattern as messages show it: '/' back on a directory rule, a file's text hidden. */
    static String shown(FilterRule rule) {
        return rule.has(FilterRule.FROM_FILE) ? FROM_A_FILE : rule.pattern() + (rule.has(FilterRule.DIRECTORY) ? "/" : "");
    }

    /** rsync's debug_type of the list a per-directory merge rule's files fill. */
    static String perDirType(FilterRule merge) {
        return " [per-dir " + (merge.has(FilterRule.FROM_FILE) ? FROM_A_FILE : RuleSink.baseName(merge.pattern())) + "]";
    }
}
