package dev.jrsync.filter;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;

/**
 * What rsync's "-C" rule stands for ({@code rsync/exclude.c:get_cvs_excludes}): CVS's own ignore list, then the
 * words of {@code $HOME/.cvsignore}, then those of {@code $CVSIGNORE}, each an exclude. A {@code -C} option adds
 * this rule and ":C", which reads each directory's {@code .cvsignore} the same way (words, no prefixes, "!"
 * clears, not inherited by subdirectories).
 */
// rsync/exclude.c:get_cvs_excludes
final class CvsIgnore {
    private CvsIgnore() {}

    /** The merge-file name of ":C" ({@code rsync/exclude.c:parse_filter_str}). */
    static final byte[] MERGE_FILE = ".cvsignore".getBytes(StandardCharsets.US_ASCII);

    /** rsync 3.5.0's DEFAULT_CVSIGNORE (rsync.1.md, "--cvs-exclude"). */
    static final String DEFAULTS = "RCS SCCS CVS CVS.adm RCSLOG cvslog.* tags TAGS .make.state .nse_depinfo *~ #* .#* ,*"
            + " _$* *$ *.old *.bak *.BAK *.orig *.rej .del-* *.a *.olb *.o *.obj *.so *.exe *.Z *.elc *.ln core .svn/"
            + " .git/ .hg/ .bzr/";

    private static final int TEMPLATE = FilterRule.NO_PREFIXES | FilterRule.WORD_SPLIT | FilterRule.NO_INHERIT
            | FilterRule.CVS_IGNORE;

    /** The list read once per process, as rsync does, with the defaults perishable as protocol 30 has them. */
    private static List<FilterRule> ofThisProcess;

    /** The list, for a transfer at {@code protocol}: the defaults are perishable ('p') from protocol 30 on. */
    static List<FilterRule> rules(int protocol) {
        RuleSink sink = new RuleSink(new HashSet<>());
        String home = System.getenv("HOME"); // rsync's getenv("HOME"), not the password file's
        Path dir = Path.of(home == null || home.isEmpty() ? "/" : home).toAbsolutePath();
        RuleParser parser = new RuleParser(false, null, new byte[0], Path.of("/"), dir, dir, false, false);
        int defaults = TEMPLATE | (protocol >= 30 ? FilterRule.PERISHABLE : 0);
        parser.parseString(DEFAULTS.getBytes(StandardCharsets.US_ASCII), defaults, 0, sink, null);
        if (home != null) {
            parser.parseFile(home + "/.cvsignore", dir.resolve(".cvsignore"), TEMPLATE, 0, sink);
        }
        String env = System.getenv("CVSIGNORE");
        if (env != null) {
            parser.parseString(env.getBytes(StandardCharsets.UTF_8), TEMPLATE, 0, sink, null);
        }
        return sink.rules();
    }

    /** What a "-C" rule checks where the side applying it is concerned (no protocol: the newest). */
    static synchronized List<FilterRule> ofThisProcess() {
        if (ofThisProcess == null) {
            ofThisProcess = rules(30);
        }
        return ofThisProcess;
    }
}
