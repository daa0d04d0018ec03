package dev.jrsync.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The list one parse appends to ({@code rsync/exclude.c:add_rule} into a {@code filter_rule_list}):
 * carries out '!' (clear) and refuses a second per-directory merge rule for a file name that is already
 * being merged.
 */
final class RuleSink {
    private final List<FilterRule> rules = new ArrayList<>();
    private final List<FilterRule> activated = new ArrayList<>();
    private final Set<String> activeMergeNames;
    private final List<String> warnings = new ArrayList<>();
    private boolean cleared;

    /** {@code activeMergeNames}: base names of the per-directory merge files in force; updated here. */
    RuleSink(Set<String> activeMergeNames) {
        this.activeMergeNames = activeMergeNames;
    }

    void add(FilterRule rule) {
        rules.add(rule);
    }

    void addDirMerge(FilterRule rule) {
        if (activeMergeNames.add(baseName(rule.pattern()))) {
            rules.add(rule);
            activated.add(rule);
        }
    }

    /** The '!' rule: everything so far in this list, inherited rules included, is dropped. */
    void clear() {
        for (FilterRule r : rules) {
            if (r.has(FilterRule.PERDIR_MERGE)) {
                activeMergeNames.remove(baseName(r.pattern()));
                activated.remove(r);
            }
        }
        rules.clear();
        cleared = true;
    }

    List<FilterRule> rules() {
        return List.copyOf(rules);
    }

    /** A rule was left out, and says why ({@code rsync}'s FERROR lines that do not end the run). */
    void warn(String line) {
        warnings.add(line);
    }

    List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** Whether a '!' cut this list off from what it would inherit. */
    boolean cleared() {
        return cleared;
    }

    /** The per-directory merge rules this parse brought into force, in order. */
    List<FilterRule> activated() {
        return List.copyOf(activated);
    }

    static String baseName(String mergeFile) {
        int slash = mergeFile.lastIndexOf('/');
        return slash < 0 ? mergeFile : mergeFile.substring(slash + 1);
    }
}
