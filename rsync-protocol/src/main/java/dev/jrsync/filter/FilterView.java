package dev.jrsync.filter;

import dev.jrsync.core.PathBytes;
import dev.jrsync.fs.ScanFilter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules one side applies inside one directory of a transfer: the top-level list plus, for each
 * per-directory merge rule in force, the rules its files contributed here and above
 * ({@code rsync/exclude.c:check_filter} with the state {@code push_local_filters} builds). Immutable:
 * {@link #enter} returns the view for a subdirectory and leaves this one as it was.
 */
public final class FilterView implements ScanFilter {
    private final List<FilterRule> top;
    private final FilterSide side;
    private final boolean deleteExcluded;
    private final Path absBase;
    private final Map<FilterRule, List<FilterRule>> perDir;
    private final List<FilterRule> active;
    private final Set<FilterRule> setUp;
    private final Path root;
    private final byte[] absPrefix;
    private final boolean ignorePerishable;
    /** Where matches and merge-file errors are told; null: nowhere. */
    private final FilterReport report;

    private FilterView(List<FilterRule> top, FilterSide side, boolean deleteExcluded, Path absBase,
                       Map<FilterRule, List<FilterRule>> perDir, List<FilterRule> active, Set<FilterRule> setUp,
                       Path root, byte[] absPrefix, boolean ignorePerishable, FilterReport report) {
        this.top = top;
        this.side = side;
        this.deleteExcluded = deleteExcluded;
        this.absBase = absBase;
        this.perDir = perDir;
        this.active = active;
        this.setUp = setUp;
        this.root = root;
        this.absPrefix = absPrefix;
        this.ignorePerishable = ignorePerishable;
        this.report = report;
    }

    /** The view at the transfer root before its directory is entered. */
    static FilterView of(List<FilterRule> rules, FilterSide side, boolean deleteExcluded, Path absBase) {
        List<FilterRule> top = new ArrayList<>();
        List<FilterRule> active = new ArrayList<>();
        for (FilterRule r : rules) {
            if (r.has(FilterRule.PERDIR_MERGE)) {
                top.add(r); // consulted whatever its side: the rules its files hold were sorted by side
                active.add(r);
            } else if (Elision.of(r, side == FilterSide.SENDER, deleteExcluded) != Elision.REMOTE) {
                top.add(r);
            }
        }
        return new FilterView(List.copyOf(top), side, deleteExcluded, realPath(absBase), Map.of(),
                List.copyOf(active), Set.of(), null, null, false, null);
    }

    /**
     * The same rules with perishable ('p') ones left out: what rsync's receiver uses while it empties a
     * directory that is itself being deleted.
     */
    public FilterView withoutPerishable() {
        return new FilterView(top, side, deleteExcluded, absBase, perDir, active, setUp, root, absPrefix, true,
                report);
    }

    /** The same rules, telling {@code report} what they decide (at its level) and what goes wrong reading them. */
    public FilterView reportingTo(FilterReport report) {
        return new FilterView(top, side, deleteExcluded, absBase, perDir, active, setUp, root, absPrefix,
                ignorePerishable, report);
    }

    @Override
    public boolean excluded(byte[] relPath, boolean isDir) {
        return check(top, "", relPath, isDir) < 0;
    }

    // rsync/exclude.c:check_filter: -1 excluded, 1 included, 0 no rule matched; listType is rsync's debug_type
    private int check(List<FilterRule> rules, String listType, byte[] name, boolean isDir) {
        for (FilterRule r : rules) {
            if (ignorePerishable && r.has(FilterRule.PERISHABLE)) {
                continue;
            }
            if (r.has(FilterRule.PERDIR_MERGE)) {
                List<FilterRule> merged = perDir.get(r);
                int rc = merged == null ? 0 : check(merged, FilterReport.perDirType(r), name, isDir);
                if (rc != 0) {
                    return rc;
                }
            } else if (r.has(FilterRule.CVS_IGNORE)) {
                int rc = check(CvsIgnore.ofThisProcess(), " [global CVS]", name, isDir);
                if (rc != 0) {
                    return rc;
                }
            } else if (r.matches(name, isDir, absPrefix)) {
                if (report != null && report.tracesMatches()) {
                    report.matched(r, listType, name, isDir);
                }
                return r.has(FilterRule.INCLUDE) ? 1 : -1;
            }
        }
        return 0;
    }

    // rsync/exclude.c:push_local_filters
    @Override
    public FilterView enter(Path dir, byte[] relDir) {
        Path base = root != null ? root : transferRoot(dir, relDir);
        Path here = relDir.length == 0 ? base : PathBytes.resolve(base, relDir).normalize();
        byte[] prefix = root != null ? absPrefix : below(base);
        Set<String> names = new HashSet<>();
        for (FilterRule r : active) {
            names.add(RuleSink.baseName(r.pattern()));
        }
        List<FilterRule> nowActive = new ArrayList<>(active);
        Set<FilterRule> nowSetUp = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        nowSetUp.addAll(setUp);
        Map<FilterRule, List<FilterRule>> merged = new IdentityHashMap<>();
        // nowActive grows while we go: a merge file may name further per-directory merge files
        for (int i = 0; i < nowActive.size(); i++) {
            FilterRule m = nowActive.get(i);
            List<FilterRule> inherited;
            if (nowSetUp.add(m) && m.pattern().indexOf('/') >= 0) {
                inherited = parentDirScan(m, base, here, names, nowActive);
            } else {
                inherited = m.has(FilterRule.NO_INHERIT) ? List.of() : perDir.getOrDefault(m, List.of());
            }
            RuleSink sink = readMergeFile(m, base, here, names);
            nowActive.addAll(sink.activated());
            merged.put(m, sink.cleared() ? sink.rules() : join(sink.rules(), inherited));
        }
        return new FilterView(top, side, deleteExcluded, absBase, merged, List.copyOf(nowActive), nowSetUp, base,
                prefix, ignorePerishable, report);
    }

    /**
     * rsync/exclude.c:setup_merge_file: a merge-file name with a directory part ("/.rsync-filter" is
     * the base's) reads that file in every directory from there down to the parent of the first one
     * entered, each level's rules inherited by the next.
     */
    private List<FilterRule> parentDirScan(FilterRule m, Path base, Path here, Set<String> names,
                                           List<FilterRule> nowActive) {
        String name = m.pattern();
        if (!name.startsWith("/") && PathBytes.of(here).length + 1 + m.patternBytes().length >= RuleParser.MAX_PATTERN) {
            // rsync/exclude.c:parse_merge_name: the name cannot be made absolute within MAXPATHLEN
            if (report != null) {
                report.error("merge-file name overflows: " + FilterReport.shown(m));
            }
            return List.of();
        }
        Path named = (name.startsWith("/") ? absBase.resolve(name.substring(1)) : here.resolve(name)).normalize();
        Path from = named.getParent();
        if (from == null || !from.startsWith(absBase) || !here.startsWith(from) || from.equals(here)) {
            return List.of();
        }
        List<FilterRule> acc = List.of();
        for (Path p = from; !p.equals(here); p = p.resolve(here.getName(p.getNameCount()))) {
            RuleSink sink = readMergeFile(m, base, p, names);
            nowActive.addAll(sink.activated());
            if (m.has(FilterRule.NO_INHERIT)) {
                acc = List.of();
            } else {
                acc = sink.cleared() ? sink.rules() : join(sink.rules(), acc);
            }
        }
        return acc;
    }

    private RuleSink readMergeFile(FilterRule m, Path base, Path dir, Set<String> names) {
        RuleSink sink = new RuleSink(names);
        if (!dir.startsWith(absBase)) {
            return sink; // never read outside the base (a daemon's module)
        }
        byte[] anchor = PathBytes.of(absBase.relativize(dir));
        RuleParser parser = new RuleParser(deleteExcluded, side, anchor, absBase, base, dir, false, true);
        String file = RuleSink.baseName(m.pattern());
        if ((m.flags() & FilterRule.FROM_FILE) != 0) {
            parser.parseFileNamedInAFile(dir.resolve(file), m.flags(), RuleParser.ANCHORED_TO_DIR, sink);
        } else {
            parser.parseFile(file, dir.resolve(file), m.flags(), RuleParser.ANCHORED_TO_DIR, sink);
        }
        if (report != null) {
            sink.warnings().forEach(report::error);
        }
        return sink;
    }

    /** The transfer root: {@code dir} less the elements of {@code relDir}, symlinks resolved as getcwd would. */
    private static Path transferRoot(Path dir, byte[] relDir) {
        Path abs = dir.toAbsolutePath().normalize();
        int up = relDir.length == 0 ? 0 : PathBytes.path(relDir).getNameCount();
        for (int i = 0; i < up && abs.getParent() != null; i++) {
            abs = abs.getParent();
        }
        return realPath(abs);
    }

    private static Path realPath(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        try {
            return abs.toRealPath();
        } catch (IOException e) {
            return abs;
        }
    }

    private byte[] below(Path p) {
        return p.startsWith(absBase) ? PathBytes.of(absBase.relativize(p)) : null;
    }

    private static List<FilterRule> join(List<FilterRule> local, List<FilterRule> inherited) {
        if (inherited.isEmpty()) {
            return local;
        }
        List<FilterRule> all = new ArrayList<>(local);
        all.addAll(inherited);
        return List.copyOf(all);
    }
}
