package dev.jrsync.watcher.tree;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * inotifywait's --exclude/--excludei/--include/--includei: one regular expression searched (unanchored) in the
 * event's full path ({@code %w%f}); exclude drops matching events, include drops the others. An exclude pattern
 * that matches a directory's path ("dir/sub/") also keeps the watcher out of it, so an excluded subtree costs no
 * watches.
 */
public final class PathFilter {
    private static final PathFilter NONE = new PathFilter(null, false);

    private final Pattern pattern;
    private final boolean include;
    private final Set<String> prunedDirs;

    private PathFilter(Pattern pattern, boolean include) {
        this(pattern, include, Set.of());
    }

    private PathFilter(Pattern pattern, boolean include, Set<String> prunedDirs) {
        this.pattern = pattern;
        this.include = include;
        this.prunedDirs = prunedDirs;
    }

    /**
     * The same filter that also leaves these directories unwatched (inotifywait's {@code @path} arguments); they
     * are compared as spelled, with or without a trailing slash.
     */
    public PathFilter withPrunedDirs(Set<String> dirs) {
        Set<String> normalized = new HashSet<>();
        for (String d : dirs) {
            normalized.add(d.endsWith("/") ? d : d + "/");
        }
        return new PathFilter(pattern, include, Set.copyOf(normalized));
    }

    public static PathFilter none() {
        return NONE;
    }

    /** @throws IllegalArgumentException with the pattern's syntax error */
    public static PathFilter exclude(String regex, boolean ignoreCase) {
        return new PathFilter(compile(regex, ignoreCase), false);
    }

    /** @throws IllegalArgumentException with the pattern's syntax error */
    public static PathFilter include(String regex, boolean ignoreCase) {
        return new PathFilter(compile(regex, ignoreCase), true);
    }

    private static Pattern compile(String regex, boolean ignoreCase) {
        try {
            return Pattern.compile(regex, ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("invalid regular expression " + regex + ": " + e.getDescription(), e);
        }
    }

    /** Whether an event on {@code fullPath} is to be dropped. */
    public boolean rejects(String fullPath) {
        if (pattern == null) {
            return false;
        }
        boolean found = pattern.matcher(fullPath).find();
        return include != found;
    }

    /** Whether a directory ({@code dirPath} ends in '/') is left unwatched, with everything below it. */
    public boolean prunes(String dirPath) {
        return prunedDirs.contains(dirPath) || (pattern != null && !include && pattern.matcher(dirPath).find());
    }
}
