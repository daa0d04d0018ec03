package dev.jrsync.filter;

import dev.jrsync.core.ExitCode;
import dev.jrsync.core.PathBytes;
import dev.jrsync.core.RsyncException;
import dev.jrsync.fs.BeneathOpener;
import dev.jrsync.fs.OperatorPath;
import dev.jrsync.fs.Posix;
import dev.jrsync.options.OptionException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.function.Predicate;

/**
 * Turns rule text into {@link FilterRule}s ({@code rsync/exclude.c:parse_filter_str},
 * {@code parse_rule_tok}, {@code add_rule}, {@code parse_filter_file}). One parser serves one place
 * rules come from: the command line, a received list, or the per-directory merge files of one
 * directory; that place decides where merge files are found and how a leading '/' anchors.
 */
final class RuleParser {
    /** Only "+ "/"- " prefixes and a lone "!" are special ({@code XFLG_OLD_PREFIXES}: --include/--exclude). */
    static final int OLD_PREFIXES = 1;
    /** A merge file that cannot be opened ends the run ({@code XFLG_FATAL_ERRORS}). */
    static final int FATAL_ERRORS = 1 << 1;
    /** A leading '/' anchors to the merge file's own directory ({@code XFLG_ANCHORED2ABS}). */
    static final int ANCHORED_TO_DIR = 1 << 2;

    static final int MAX_MERGE_DEPTH = 32;
    /** Longer patterns are discarded, as rsync does (MAXPATHLEN). */
    static final int MAX_PATTERN = 4096;
    /** Longer lines of a rules file are discarded (BIGPATHBUFLEN less its NUL). */
    static final int MAX_LINE = 5119;

    // What a rule keeps of the merge rule whose file it came from (FILTRULES_FROM_CONTAINER).
    private static final int FROM_CONTAINER = FilterRule.ABS_PATH | FilterRule.INCLUDE | FilterRule.DIRECTORY
            | FilterRule.NEGATE | FilterRule.PERISHABLE;

    /** Opens a daemon's merge files beneath its module root. */
    private static final BeneathOpener MODULE_OPENER = new BeneathOpener(true);

    private final boolean deleteExcluded;
    private final FilterSide side;
    private final byte[] anchorDir;
    private final Path absBase;
    private final Path cwd;
    private final Path dir;
    private final boolean allowStdin;
    private final boolean readMergeFiles;
    /** The rules file being read, if any: where the merge rules in it were named. */
    private Source reading;
    /** Merge files taken as missing, by their name below {@code absBase} (a daemon's own rules). */
    private Predicate<byte[]> hidden = name -> false;
    private int depth;

    /**
     * @param deleteExcluded --delete-excluded: unmodified include/exclude rules become sender-only
     * @param side           the side these rules serve; {@link #ANCHORED_TO_DIR} parses drop rules meant
     *                       only for the other one (null: keep all)
     * @param anchorDir      the directory of the merge file being read, below {@code absBase}, no slashes
     *                       at either end (empty: the base itself); used with {@link #ANCHORED_TO_DIR}
     * @param absBase        the absolute base: '/' for a client, the module root for a daemon; merge
     *                       files outside it are never read
     * @param cwd            where a merge-file name without a slash is looked up
     * @param dir            where a merge-file name with a slash is looked up
     * @param allowStdin     whether "-" names standard input (a client's --exclude-from=-)
     * @param readMergeFiles false refuses merge ('.') rules instead of reading their files
     */
    RuleParser(boolean deleteExcluded, FilterSide side, byte[] anchorDir, Path absBase, Path cwd, Path dir,
               boolean allowStdin, boolean readMergeFiles) {
        this.deleteExcluded = deleteExcluded;
        this.side = side;
        this.anchorDir = anchorDir;
        this.absBase = absBase;
        this.cwd = cwd;
        this.dir = dir;
        this.allowStdin = allowStdin;
        this.readMergeFiles = readMergeFiles;
    }

    /** Takes the merge files {@code hidden} names (relative to the base) as missing; returns this parser. */
    RuleParser hiding(Predicate<byte[]> hidden) {
        this.hidden = hidden;
        return this;
    }

    /** One token of rule text: its flags and where its pattern lies. */
    private record Token(int flags, int patStart, int patLen, int end) {}

    // rsync/exclude.c:parse_filter_str
    void parseString(byte[] text, int template, int xflags, RuleSink sink, String origin) {
        int pos = 0;
        while (true) {
            Token t = nextToken(text, pos, template, xflags, origin);
            if (t == null) {
                return;
            }
            pos = t.end;
            if (t.patLen >= MAX_PATTERN) {
                sink.warn("discarding over-long filter: " + (origin == null
                        ? new String(text, t.patStart, t.patLen, StandardCharsets.UTF_8) : "<rule from " + origin + ">"));
                continue;
            }
            int flags = t.flags;
            byte[] pat = Arrays.copyOfRange(text, t.patStart, t.patStart + t.patLen);
            if ((flags & FilterRule.CLEAR_LIST) != 0) {
                sink.clear();
                continue;
            }
            if ((flags & FilterRule.MERGE_FILE) != 0) {
                if (pat.length == 0) {
                    pat = CvsIgnore.MERGE_FILE; // ":C" reads each directory's .cvsignore
                }
                if ((flags & FilterRule.EXCLUDE_SELF) != 0) {
                    int base = pat.length;
                    while (base > 0 && pat[base - 1] != '/') {
                        base--;
                    }
                    // the file's own name, taken from the file's text: shown as such
                    addRule(Arrays.copyOfRange(pat, base, pat.length), origin != null ? FilterRule.FROM_FILE : 0, 0,
                            sink);
                    flags &= ~FilterRule.EXCLUDE_SELF;
                }
                if ((flags & FilterRule.PERDIR_MERGE) == 0) {
                    if (!readMergeFiles) {
                        throw syntax("merge-file rule not accepted here (a client expands its own)", text, 0,
                                origin);
                    }
                    String name = new String(pat, StandardCharsets.UTF_8);
                    // a file a file names is shown by where it was named (its name is the file's text), and one
                    // named in such a file by the same place, the last one that may be shown
                    Source named = origin == null ? new Source(name, true)
                            : reading != null && !reading.named() ? reading
                            : new Source("a file named at " + origin, false);
                    readFile(named, mergePath(name), flags, FATAL_ERRORS, sink);
                    continue;
                }
            }
            if (origin != null) {
                flags |= FilterRule.FROM_FILE;
            }
            addRule(pat, flags, xflags, sink);
        }
    }

    // rsync/exclude.c:parse_rule_tok; null at the end of the text
    private Token nextToken(byte[] s, int pos, int template, int xflags, String origin) {
        int start = pos;
        boolean wordSplit = (template & FilterRule.WORD_SPLIT) != 0;
        if (wordSplit) {
            while (pos < s.length && isSpace(s[pos])) {
                pos++;
            }
            start = pos;
        }
        if (pos >= s.length) {
            return null;
        }
        int flags = template & FROM_CONTAINER;
        if ((template & FilterRule.NO_PREFIXES) != 0) {
            // every token is a bare pattern; a .cvsignore file's lone "!" clears the list
            if (s[pos] == '!' && (template & FilterRule.CVS_IGNORE) != 0) {
                flags |= FilterRule.CLEAR_LIST;
            }
        } else if ((xflags & OLD_PREFIXES) != 0) {
            if ((s[pos] == '-' || s[pos] == '+') && at(s, pos + 1) == ' ') {
                flags = s[pos] == '+' ? flags | FilterRule.INCLUDE : flags & ~FilterRule.INCLUDE;
                pos += 2;
            } else if (s[pos] == '!') {
                flags |= FilterRule.CLEAR_LIST; // only if nothing follows; checked below
            }
        } else {
            int[] kind = ruleKind(s, pos);
            if (kind == null) {
                throw syntax("Unknown filter rule", s, start, origin);
            }
            int ch = kind[0];
            pos = kind[1];
            boolean sideByPrefix = false;
            switch (ch) {
                case ':' -> flags |= FilterRule.PERDIR_MERGE | FilterRule.MERGE_FILE;
                case '.' -> flags |= FilterRule.MERGE_FILE;
                case '+' -> flags |= FilterRule.INCLUDE;
                case '-' -> { }
                case 'S' -> {
                    flags |= FilterRule.INCLUDE | FilterRule.SENDER_SIDE;
                    sideByPrefix = true;
                }
                case 'H' -> {
                    flags |= FilterRule.SENDER_SIDE;
                    sideByPrefix = true;
                }
                case 'R' -> {
                    flags |= FilterRule.INCLUDE | FilterRule.RECEIVER_SIDE;
                    sideByPrefix = true;
                }
                case 'P' -> {
                    flags |= FilterRule.RECEIVER_SIDE;
                    sideByPrefix = true;
                }
                case '!' -> flags |= FilterRule.CLEAR_LIST;
                default -> throw syntax("Unknown filter rule", s, start, origin);
            }
            // pos is on the last character of the rule's name (or its ','); modifiers follow
            while (ch != '!' && ++pos < s.length && s[pos] != ' ' && s[pos] != '_') {
                if (wordSplit && isSpace(s[pos])) {
                    pos--;
                    break;
                }
                flags = modifier(flags, s, pos, start, sideByPrefix, origin);
            }
            if (pos < s.length) {
                pos++;
            }
        }
        if ((template & FilterRule.SIDES) != 0) {
            if ((flags & FilterRule.SIDES) != 0) {
                throw syntax("specified-side merge file contains specified-side filter", s, start, origin);
            }
            flags |= template & FilterRule.SIDES;
        }
        int len;
        if (wordSplit) {
            int e = pos;
            while (e < s.length && !isSpace(s[e])) {
                e++;
            }
            len = e - pos;
        } else {
            len = s.length - pos;
        }
        if ((flags & FilterRule.CLEAR_LIST) != 0) {
            if ((template & FilterRule.NO_PREFIXES) == 0 && (xflags & OLD_PREFIXES) == 0 && len > 0) {
                throw syntax("'!' rule has trailing characters", s, start, origin);
            }
            if (len > 1) {
                flags &= ~FilterRule.CLEAR_LIST; // "!foo" as an old-style pattern is just a pattern
            }
        } else if (len == 0 && (flags & FilterRule.CVS_IGNORE) == 0) {
            throw syntax("unexpected end of filter rule", s, start, origin);
        }
        if (deleteExcluded
                && (flags & (FilterRule.SIDES | FilterRule.MERGE_FILE | FilterRule.PERDIR_MERGE)) == 0) {
            flags |= FilterRule.SENDER_SIDE;
        }
        return new Token(flags, pos, len, pos + len);
    }

    /** {rule character, index of the name's last character (or its ',')}, null for an unknown name. */
    private static int[] ruleKind(byte[] s, int pos) {
        String[][] names = {{"clear", "!"}, {"dir-merge", ":"}, {"exclude", "-"}, {"hide", "H"},
                {"include", "+"}, {"merge", "."}, {"protect", "P"}, {"risk", "R"}, {"show", "S"}};
        for (String[] n : names) {
            if (s[pos] != n[0].charAt(0)) {
                continue;
            }
            // rsync/exclude.c:rule_strcmp: the long name must end at a space, '_', ',' or the end
            byte[] w = n[0].getBytes(StandardCharsets.US_ASCII);
            if (s.length - pos < w.length || !Arrays.equals(s, pos, pos + w.length, w, 0, w.length)) {
                return null;
            }
            int after = pos + w.length;
            if (after == s.length || isSpace(s[after]) || s[after] == '_') {
                return new int[] {n[1].charAt(0), after - 1};
            }
            return s[after] == ',' ? new int[] {n[1].charAt(0), after} : null;
        }
        int ch = s[pos];
        return new int[] {ch, at(s, pos + 1) == ',' ? pos + 1 : pos};
    }

    private int modifier(int flags, byte[] s, int pos, int start, boolean sideByPrefix, String origin) {
        int m = s[pos];
        boolean merge = (flags & FilterRule.MERGE_FILE) != 0;
        boolean valid = switch (m) {
            case '-', '+' -> merge && (flags & FilterRule.NO_PREFIXES) == 0;
            case '/', 'p', 'x' -> true;
            case '!' -> !merge; // negation belongs to a pattern, not to a merge file's defaults
            case 'e', 'n', 'w' -> merge;
            case 'r', 's' -> !sideByPrefix;
            case 'C' -> (flags & FilterRule.NO_PREFIXES) == 0 && !sideByPrefix;
            default -> false;
        };
        if (!valid) {
            String where = origin == null
                    ? " '" + (char) (m & 0xFF) + "' at position " + (pos - start) : "";
            throw syntax("invalid modifier" + where + " in filter rule", s, start, origin);
        }
        return flags | switch (m) {
            case '-' -> FilterRule.NO_PREFIXES;
            case '+' -> FilterRule.NO_PREFIXES | FilterRule.INCLUDE;
            case '/' -> FilterRule.ABS_PATH;
            case '!' -> FilterRule.NEGATE;
            case 'e' -> FilterRule.EXCLUDE_SELF;
            case 'n' -> FilterRule.NO_INHERIT;
            case 'w' -> FilterRule.WORD_SPLIT;
            case 'p' -> FilterRule.PERISHABLE;
            case 'x' -> FilterRule.XATTR;
            case 'r' -> FilterRule.RECEIVER_SIDE;
            case 'C' -> FilterRule.NO_PREFIXES | FilterRule.WORD_SPLIT | FilterRule.NO_INHERIT | FilterRule.CVS_IGNORE;
            default -> FilterRule.SENDER_SIDE;
        };
    }

    // rsync/exclude.c:add_rule
    void addRule(byte[] pat, int flags, int xflags, RuleSink sink) {
        if ((xflags & ANCHORED_TO_DIR) != 0 && side != null
                && (flags & FilterRule.SIDES) == side.otherSideFlag()) {
            return; // a per-directory rule for the other side only
        }
        int len = pat.length;
        if (len > 1 && pat[len - 1] == '/') {
            len--;
            flags |= FilterRule.DIRECTORY;
        }
        byte[] p = Arrays.copyOf(pat, len);
        if ((flags & (FilterRule.ABS_PATH | FilterRule.MERGE_FILE)) == 0 && (xflags & ANCHORED_TO_DIR) != 0
                && len > 0 && p[0] == '/') {
            flags |= FilterRule.ABS_PATH;
            if (anchorDir.length > 0) {
                byte[] joined = new byte[1 + anchorDir.length + len];
                joined[0] = '/';
                System.arraycopy(anchorDir, 0, joined, 1, anchorDir.length);
                System.arraycopy(p, 0, joined, 1 + anchorDir.length, len);
                p = joined;
            }
        }
        int slashes = 0;
        for (byte b : p) {
            if (b == '/') {
                slashes++;
            }
        }
        flags |= wildFlags(p);
        FilterRule rule = new FilterRule(flags, p, slashes);
        if ((flags & FilterRule.PERDIR_MERGE) != 0) {
            sink.addDirMerge(rule);
        } else {
            sink.add(rule);
        }
    }

    private static int wildFlags(byte[] p) {
        int flags = 0;
        for (byte b : p) {
            if (b == '*' || b == '[' || b == '?') {
                flags |= FilterRule.WILD;
            }
        }
        if ((flags & FilterRule.WILD) == 0) {
            return 0;
        }
        for (int i = 0; i + 1 < p.length; i++) {
            if (p[i] == '*' && p[i + 1] == '*') {
                flags |= FilterRule.WILD2 | (i == 0 ? FilterRule.WILD2_PREFIX : 0);
                int n = p.length;
                if (n >= 3 && p[n - 1] == '*' && p[n - 2] == '*' && p[n - 3] == '*') {
                    flags |= FilterRule.WILD3_SUFFIX;
                }
                break;
            }
        }
        return flags;
    }

    /**
     * rsync/exclude.c:parse_merge_name for a merge ('.') file: null when it lies outside the base.
     */
    private Path mergePath(String name) {
        Path p;
        if (name.startsWith("/")) {
            p = absBase.resolve(name.substring(1));
        } else if (name.indexOf('/') < 0) {
            p = cwd.resolve(name);
        } else {
            p = dir.resolve(name);
        }
        p = p.normalize();
        return p.startsWith(absBase) ? p : null;
    }

    /**
     * rsync/exclude.c:parse_filter_file: one rule per line (or per word), skipping blank lines and, unless
     * split into words, lines starting with ';' or '#'. A missing file is silently empty unless
     * {@link #FATAL_ERRORS}.
     */
    void parseFile(String name, Path path, int template, int xflags, RuleSink sink) {
        readFile(new Source(name, true), path, template, xflags, sink);
    }

    /**
     * As {@link #parseFile}, for the files of a per-directory merge rule that was itself read from a file: rsync
     * names them, and their rules, only as "a file read earlier".
     */
    void parseFileNamedInAFile(Path path, int template, int xflags, RuleSink sink) {
        readFile(new Source("a file read earlier", false), path, template, xflags, sink);
    }

    /**
     * How a rules file is named in messages ({@code rsync/exclude.c:rule_src_where}): by its name with line
     * numbers, or, when a file's text named it, by a description of where that was.
     */
    private record Source(String shown, boolean named) {
        String where(int lineNo, boolean wordSplit) {
            return !named || wordSplit ? shown : shown + " line " + lineNo;
        }

        String inMessage() {
            return named ? shown : "<rule from " + shown + ">";
        }
    }

    private void readFile(Source source, Path path, int template, int xflags, RuleSink sink) {
        String name = source.shown();
        boolean fatal = (xflags & FATAL_ERRORS) != 0;
        if (depth >= MAX_MERGE_DEPTH) {
            if (fatal) {
                throw new RsyncException(ExitCode.FILE_IO,
                        "merge-file include depth limit (" + MAX_MERGE_DEPTH + ") exceeded at " + source.inMessage());
            }
            return;
        }
        if (allowStdin && name.equals("-")) {
            readAll(source, System.in, template, xflags, sink); // stdin stays open for whoever reads it next
            return;
        }
        if (path != null && absBase.getNameCount() > 0 && hidden.test(PathBytes.of(absBase.relativize(path)))) {
            return; // rsync/exclude.c:parse_filter_file: hidden by the daemon's rules, so missing, fatal or not
        }
        InputStream in;
        try {
            if (path == null) {
                throw new NoSuchFileException(name);
            }
            in = open(path);
        } catch (IOException e) {
            if (fatal) {
                throw new RsyncException(ExitCode.FILE_IO, "failed to open "
                        + ((template & FilterRule.INCLUDE) != 0 ? "in" : "ex") + "clude file " + source.inMessage()
                        + (source.named() ? ": " + Posix.describe(e) : ""), e);
            }
            return;
        }
        try (in) {
            readAll(source, in, template, xflags, sink);
        } catch (IOException e) {
            throw new RsyncException(ExitCode.FILE_IO, "error closing filter file " + source.inMessage() + ": "
                    + Posix.describe(e), e);
        }
    }

    /**
     * A client opens its rules files as rsync 3.5 does: following only root's and its own symlinks
     * ({@link OperatorPath}), so a {@code .rsync-filter} planted as a link to a file someone else cannot read
     * is not read as rules (a dir-merge file then counts as missing; an {@code --exclude-from} fails). Under
     * a daemon's module no symlink is followed, leaf or parent ({@link BeneathOpener}): the link could lead
     * out of the module, and what a rules file says can leak back in what gets listed.
     */
    // rsync/exclude.c:parse_filter_file (its open_no_attacker_symlinks, confined to the module in a daemon)
    private InputStream open(Path path) throws IOException {
        if (absBase.getNameCount() == 0) {
            int fd = OperatorPath.openFile(cwd, path.toString(), false);
            try {
                return Files.newInputStream(OperatorPath.pinned(fd));
            } finally {
                Posix.close(fd);
            }
        }
        Path rel = absBase.relativize(path.toAbsolutePath());
        int root = MODULE_OPENER.openRoot(absBase);
        int parent = root;
        try {
            if (rel.getParent() != null) {
                parent = MODULE_OPENER.openBeneath(root, PathBytes.of(rel.getParent()));
            }
            return Channels.newInputStream(Files.newByteChannel(Posix.below(parent, PathBytes.of(rel.getFileName())),
                    StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
        } catch (BeneathOpener.OpenFailure e) {
            throw e.on(path.toString());
        } finally {
            if (parent != root) {
                Posix.close(parent);
            }
            Posix.close(root);
        }
    }

    private void readAll(Source source, InputStream in, int template, int xflags, RuleSink sink) {
        depth++;
        Source outer = reading;
        reading = source;
        try {
            readRules(source, new BufferedInputStream(in), template, xflags, sink);
        } catch (IOException e) {
            throw new RsyncException(ExitCode.FILE_IO, "error reading filter file " + source.inMessage() + ": "
                    + Posix.describe(e), e);
        } finally {
            depth--;
            reading = outer;
        }
    }

    private void readRules(Source source, BufferedInputStream in, int template, int xflags, RuleSink sink)
            throws IOException {
        boolean wordSplit = (template & FilterRule.WORD_SPLIT) != 0;
        byte[] line = new byte[MAX_LINE];
        int lineNo = 0;
        while (true) {
            int len = 0;
            boolean overflow = false;
            int ch;
            lineNo++;
            while ((ch = in.read()) >= 0) {
                if (wordSplit && isSpace((byte) ch)) {
                    break;
                }
                if (ch == '\n' || ch == '\r') {
                    if (ch == '\r') { // CRLF is one line end
                        in.mark(1);
                        if (in.read() != '\n') {
                            in.reset();
                        }
                    }
                    break;
                }
                if (len < line.length) {
                    line[len++] = (byte) ch;
                } else {
                    overflow = true;
                }
            }
            if (!overflow && len > 0 && (wordSplit || (line[0] != ';' && line[0] != '#'))) {
                String origin = source.where(lineNo, wordSplit);
                parseString(Arrays.copyOf(line, len), template, xflags, sink, origin);
            }
            if (ch < 0) {
                return;
            }
        }
    }

    /**
     * rsync/exclude.c:filter_rule_err. A rule read from a file is named by where it is, not shown: the
     * file may be one a peer chose, and echoing its lines would let the peer read them.
     */
    private static OptionException syntax(String what, byte[] s, int start, String origin) {
        return new OptionException(what + ": " + shown(s, start, origin), ExitCode.SYNTAX);
    }

    private static String shown(byte[] s, int start, String origin) {
        return origin == null ? new String(s, start, s.length - start, StandardCharsets.UTF_8)
                : "<rule from " + origin + ">";
    }

    private static int at(byte[] s, int i) {
        return i < s.length ? s[i] : 0;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || (b >= 9 && b <= 13);
    }
}
