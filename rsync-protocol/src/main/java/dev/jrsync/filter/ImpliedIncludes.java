package dev.jrsync.filter;

import dev.jrsync.core.PathBytes;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a pulling client asked a remote sender for, as include rules ({@code rsync/exclude.c:implied_filter_list}):
 * each source argument becomes an anchored include of the name it selects, plus "NAME/**" with
 * {@code -r} or "NAME/*" with {@code -d} for what lies below it. A name of the sender's file list that
 * none of them matches was never requested. Immutable.
 *
 * <p>jrsync has no {@code --relative}, so an argument selects only its last element (everything after
 * its last '/'), and an argument ending in '/' or "/." selects the directory's contents, the rule "/**".
 */
// rsync/exclude.c:add_implied_include
public final class ImpliedIncludes {
    private static final String WILDCARDS = "*[?";

    private final List<FilterRule> rules;

    private ImpliedIncludes(List<FilterRule> rules) {
        this.rules = List.copyOf(rules);
    }

    /**
     * The rules for the path arguments of a pull, as the server reads them (a daemon's without the module name):
     * each asks for its last component.
     *
     * @param recurse {@code -r}: whatever lies below a requested directory is requested too
     * @param xferDirs rsync's {@code xfer_dirs} ({@code -d}, implied by {@code -r} and by a listing): a
     *                 requested directory's direct entries are requested too
     */
    public static ImpliedIncludes forArgs(List<String> args, boolean recurse, boolean xferDirs) {
        List<FilterRule> rules = new ArrayList<>();
        for (String arg : args) {
            add(rules, arg.substring(arg.lastIndexOf('/') + 1), recurse, xferDirs, false);
        }
        return new ImpliedIncludes(rules);
    }

    /**
     * With {@code -R} ({@code rsync/exclude.c:add_implied_include} with {@code relative_paths}): each argument
     * names its whole path (from after a "/./", else without a leading '/'), and each directory on the way is
     * asked for too, as its implied directory.
     */
    public static ImpliedIncludes forRelativeArgs(List<String> args, boolean recurse, boolean xferDirs) {
        List<FilterRule> rules = new ArrayList<>();
        for (String arg : args) {
            int cut = arg.indexOf("/./");
            String rel = (cut >= 0 ? arg.substring(cut + 3) : arg).replaceAll("^/+", "").replaceAll("^(\\./)+", "");
            String trimmed = rel.replaceAll("(/\\.?)+$", "");
            for (int slash = trimmed.indexOf('/'); slash > 0; slash = trimmed.indexOf('/', slash + 1)) {
                add(rules, trimmed.substring(0, slash), false, false, true);
            }
            add(rules, rel.endsWith("/") ? trimmed : rel, recurse, xferDirs, false);
        }
        return new ImpliedIncludes(rules);
    }

    /** @param parent an implied directory of a {@code -R} path: a rule for a directory only (a "dir/" rule) */
    private static void add(List<FilterRule> rules, String asked, boolean recurse, boolean xferDirs, boolean parent) {
        byte[] a = PathBytes.bytes(asked.equals(".") ? "" : asked);
        boolean wild = false;
        for (byte c : a) {
            wild |= WILDCARDS.indexOf(c) >= 0;
        }
        // The argument as a pattern: a backslash that escapes nothing is literal, so it is doubled once the
        // pattern is a wildcard one (a "\]" outside one would confuse the matcher and loses its backslash).
        ByteArrayOutputStream pat = new ByteArrayOutputStream();
        int backslashes = 0;
        boolean openBracket = false;
        for (int i = 0; i < a.length; i++) {
            byte c = a[i];
            if (c == '\\') {
                boolean hasNext = i + 1 < a.length;
                if (hasNext && a[i + 1] == ']') {
                    if (!wild) {
                        c = a[++i];
                    }
                } else if (!hasNext || WILDCARDS.indexOf(a[i + 1]) < 0) {
                    backslashes++;
                    if (wild) {
                        pat.write('\\');
                    }
                }
            } else if (c == '[') {
                openBracket = true;
            }
            pat.write(c);
        }
        byte[] name = pat.size() == 0 ? new byte[0] : slashed(pat.toByteArray());
        if (name.length > 0) {
            int flags = FilterRule.INCLUDE | (wild ? FilterRule.WILD : 0) | (parent ? FilterRule.DIRECTORY : 0);
            FilterRule rule = new FilterRule(flags, name, 1);
            addWithLiteralBrackets(rules, rule, openBracket);
        }
        if (recurse || xferDirs) {
            // Below the name: a wildcard pattern now, so a literal backslash must be doubled if it was not yet.
            ByteArrayOutputStream below = new ByteArrayOutputStream();
            for (byte c : name) {
                if (c == '\\' && !wild && backslashes > 0) {
                    below.write('\\');
                }
                below.write(c);
            }
            below.writeBytes((recurse ? "/**" : "/*").getBytes(StandardCharsets.US_ASCII));
            int flags = FilterRule.INCLUDE | FilterRule.WILD | (recurse ? FilterRule.WILD2 : 0);
            FilterRule rule = new FilterRule(flags, below.toByteArray(), name.length > 0 ? 2 : 1);
            addWithLiteralBrackets(rules, rule, openBracket);
        }
    }

    private static byte[] slashed(byte[] pattern) {
        byte[] p = new byte[pattern.length + 1];
        p[0] = '/';
        System.arraycopy(pattern, 0, p, 1, pattern.length);
        return p;
    }

    /**
     * rsync/exclude.c:maybe_add_literal_brackets_rule: a "[...]" that matched nothing on the sender reaches
     * it as a literal name, which the same pattern with each unescaped '[' escaped still accepts.
     */
    private static void addWithLiteralBrackets(List<FilterRule> rules, FilterRule rule, boolean openBracket) {
        rules.add(rule);
        if (!openBracket) {
            return;
        }
        byte[] p = rule.patternBytes();
        ByteArrayOutputStream literal = new ByteArrayOutputStream();
        int escaped = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] == '\\' && i + 1 < p.length) {
                literal.write(p[i++]);
            } else if (p[i] == '[') {
                literal.write('\\');
                escaped++;
            }
            literal.write(p[i]);
        }
        if (escaped > 0) {
            rules.add(new FilterRule(rule.flags(), literal.toByteArray(), rule.slashCount()));
        }
    }

    /**
     * Whether file-list name {@code name} (relative to the transfer root) is one the arguments asked for:
     * {@code check_filter} over these rules finds an include.
     */
    public boolean requested(byte[] name, boolean isDir) {
        if (rules.isEmpty()) {
            return true; // a directory's contents without -r or -d: rsync then has no rules to check against
        }
        for (FilterRule r : rules) {
            if (r.matches(name, isDir, null)) {
                return true;
            }
        }
        return false;
    }

    /**
     * rsync/exclude.c:is_implied_parent_dir: whether directory {@code name} was asked for only as the parent of
     * what was asked for (a {@code -R} path's implied directory), never as a directory whose contents the
     * transfer, and so {@code --delete}, covers. The transfer root "." is one unless an argument asked for a
     * directory's contents ("/**" or "/*").
     */
    public boolean parentOnly(byte[] name) {
        if (rules.isEmpty()) {
            return false;
        }
        boolean root = name.length == 0 || name.length == 1 && name[0] == '.';
        boolean parent = root;
        for (FilterRule r : rules) {
            byte[] p = r.patternBytes();
            if (root) {
                if ((p.length == 3 && p[1] == '*' && p[2] == '*') || (p.length == 2 && p[1] == '*')) {
                    return false;
                }
            } else if (r.matches(name, true, null)) {
                if (!r.has(FilterRule.DIRECTORY)) {
                    return false; // a name asked for itself
                }
                parent = true;
            }
        }
        return parent;
    }

    /** The patterns in the order rsync adds them (and prints them with {@code --debug=filter3}). */
    List<String> patterns() {
        return rules.stream().map(FilterRule::pattern).toList();
    }
}
