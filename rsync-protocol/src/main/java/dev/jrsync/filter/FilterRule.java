package dev.jrsync.filter;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One parsed filter rule ({@code rsync/rsync.h:filter_rule}): its pattern bytes (a trailing '/' already
 * turned into {@link #DIRECTORY}) and the flag bits rsync keeps in {@code rflags}. Immutable.
 */
public final class FilterRule {
    public static final int INCLUDE = 1;
    public static final int DIRECTORY = 1 << 1;
    /** '/' modifier, or a per-directory rule anchored to its directory: matched against the absolute path. */
    public static final int ABS_PATH = 1 << 2;
    public static final int NEGATE = 1 << 3;
    public static final int PERISHABLE = 1 << 4;
    /** A merge ('.') or per-directory merge (':') rule; the pattern is a file name. */
    public static final int MERGE_FILE = 1 << 5;
    public static final int PERDIR_MERGE = 1 << 6;
    /** A merge file whose lines are bare patterns ('+' or '-' modifier). */
    public static final int NO_PREFIXES = 1 << 7;
    public static final int WORD_SPLIT = 1 << 8;
    public static final int NO_INHERIT = 1 << 9;
    public static final int EXCLUDE_SELF = 1 << 10;
    public static final int XATTR = 1 << 11;
    public static final int SENDER_SIDE = 1 << 12;
    public static final int RECEIVER_SIDE = 1 << 13;
    /** The '!' rule; never kept in a list. */
    static final int CLEAR_LIST = 1 << 14;
    static final int WILD = 1 << 15;
    static final int WILD2 = 1 << 16;
    static final int WILD2_PREFIX = 1 << 17;
    static final int WILD3_SUFFIX = 1 << 18;
    /**
     * The 'C' modifier: on a per-directory merge rule, its files are read as .cvsignore files; on any other
     * rule (rsync's "-C"), the rule stands for the CVS ignore list ({@link CvsIgnore}) at its place.
     */
    public static final int CVS_IGNORE = 1 << 19;
    /**
     * A rule read from a file's contents (rsync's FILTRULE_FROM_FILE): messages show where it came from, never its
     * text; a per-directory merge rule's files are named by where the rule was named.
     */
    static final int FROM_FILE = 1 << 20;

    static final int SIDES = SENDER_SIDE | RECEIVER_SIDE;

    private final int flags;
    private final byte[] pattern;
    private final int slashCount;
    /** A leading '/' anchors the match at the start of the path; {@link #body} is the pattern without it. */
    private final boolean anchored;
    private final byte[] body;

    FilterRule(int flags, byte[] pattern, int slashCount) {
        this.flags = flags;
        this.pattern = pattern;
        this.slashCount = slashCount;
        this.anchored = pattern.length > 0 && pattern[0] == '/';
        this.body = anchored ? Arrays.copyOfRange(pattern, 1, pattern.length) : pattern;
    }

    public int flags() {
        return flags;
    }

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** The pattern (or merge-file name) without the trailing '/' of a directory-only rule. */
    public String pattern() {
        return new String(pattern, StandardCharsets.UTF_8);
    }

    byte[] patternBytes() {
        return pattern;
    }

    int slashCount() {
        return slashCount;
    }

    /**
     * Whether this (non-merge) rule matches {@code name}, a path relative to the transfer root.
     * {@code absPrefix} is the transfer root's own path below the absolute base ('/' or the module),
     * empty at the base, null when unknown; {@link #ABS_PATH} rules are matched against it plus the name.
     */
    // rsync/exclude.c:rule_matches
    boolean matches(byte[] name, boolean isDir, byte[] absPrefix) {
        if (name.length == 0 || has(XATTR)) {
            return false; // xattr rules only ever see xattr names, which a scan never asks about
        }
        return matchesName(name, isDir, absPrefix);
    }

    /** rsync/exclude.c:rule_matches with NAME_IS_XATTR: only an 'x' rule sees an extended attribute's name. */
    boolean matchesXattr(byte[] name) {
        return has(XATTR) && name.length > 0 && matchesName(name, false, null);
    }

    private boolean matchesName(byte[] name, boolean isDir, byte[] absPrefix) {
        boolean hit = !has(NEGATE);
        byte[] text;
        boolean joined = true;
        if (slashCount == 0 && !has(WILD2)) {
            text = lastElement(name);
            joined = false;
        } else if (has(ABS_PATH) && absPrefix != null && absPrefix.length > 0) {
            text = concat(absPrefix, new byte[] {'/'}, name);
        } else if (has(WILD2_PREFIX)) {
            text = concat(new byte[] {'/'}, name, new byte[0]); // lets a leading "**/" match at the start
        } else {
            text = name;
            joined = false;
        }
        if (isDir) {
            if (has(WILD3_SUFFIX)) {
                text = concat(text, new byte[] {'/'}, new byte[0]); // "dir/***" also matches dir itself
                joined = true;
            }
        } else if (has(DIRECTORY)) {
            return !hit;
        }
        byte[] pat = body;
        int where;
        if (!anchored && slashCount > 0 && !has(WILD2)) {
            where = slashCount + 1; // an unanchored pattern with a slash matches the path's tail
        } else if (!anchored && !has(WILD2_PREFIX) && has(WILD2)) {
            where = -1; // an infix "**" may start matching after any slash
        } else {
            where = 0;
        }
        boolean m;
        if (has(WILD)) {
            m = WildMatch.matchesArray(pat, text, where);
        } else if (joined) {
            m = WildMatch.literalArray(pat, text, where);
        } else if (anchored) {
            m = Arrays.equals(text, pat);
        } else {
            m = endsWithElements(text, pat);
        }
        return m == hit;
    }

    private static boolean endsWithElements(byte[] name, byte[] pat) {
        int off = name.length - pat.length;
        if (off < 0 || (off > 0 && name[off - 1] != '/')) {
            return false;
        }
        return Arrays.equals(name, off, name.length, pat, 0, pat.length);
    }

    private static byte[] lastElement(byte[] name) {
        for (int i = name.length - 1; i >= 0; i--) {
            if (name[i] == '/') {
                return Arrays.copyOfRange(name, i + 1, name.length);
            }
        }
        return name;
    }

    private static byte[] concat(byte[] a, byte[] b, byte[] c) {
        byte[] r = new byte[a.length + b.length + c.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        System.arraycopy(c, 0, r, a.length + b.length, c.length);
        return r;
    }

    /** The rule in rsync's short form, e.g. {@code "-/ foo/"}, for messages and tests. */
    @Override
    public String toString() {
        return RulePrefix.forDisplay(this) + pattern() + (has(DIRECTORY) ? "/" : "");
    }
}
