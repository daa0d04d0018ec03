package dev.jrsync.options;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The words of {@code --info=FLAGS} and {@code --debug=FLAGS} ({@code rsync/options.c:parse_output_words}): a
 * comma- or space-separated list of names, each with an optional level (0 silences), {@code ALL}/{@code NONE}, and
 * {@code HELP}. Every rsync name is accepted, so that a script's flags do not stop the run; what jrsync acts on is
 * {@link #apply}: {@code progress1} is {@code --progress}, {@code stats2} and above is {@code --stats}, level 0
 * turns either off, and {@code skip} names the files the generator's rules leave out. Of the debug words, {@link Options#debugLevel} serves the few jrsync prints.
 */
public final class OutputFlags {
    private OutputFlags() {}

    /** The highest level any of rsync's words has. */
    static final int MAX_LEVEL = 9;

    private static final Map<String, String> INFO = names(
            "BACKUP", "files backed up", "COPY", "files copied locally on the receiving side",
            "DEL", "deletions on the receiving side", "FLIST", "the file list being sent or received",
            "MISC", "miscellaneous information", "MOUNT", "mount points found or skipped",
            "NAME", "1) updated names, 2) unchanged names too", "NONREG", "skipped non-regular files",
            "PROGRESS", "1) per-file progress (2, the total, is accepted and not shown)",
            "REMOVE", "files removed on the sending side", "SKIP", "files skipped by transfer rules",
            "STATS", "statistics at the end (2 and 3: --stats)", "SYMSAFE", "unsafe symlinks");

    private static final Map<String, String> DEBUG = names(
            "ACL", "ACLs", "BACKUP", "backups", "BIND", "socket binds", "CHDIR", "directory changes",
            "CONNECT", "connections", "CMD", "commands and options", "DEL", "deletions", "DELTASUM", "delta checksums",
            "DUP", "duplicate names", "EXIT", "exits", "FILTER", "filter rules", "FLIST", "file-list operations",
            "FUZZY", "fuzzy basis scoring", "GENR", "the generator", "HASH", "hash tables", "HLINK", "hard links",
            "ICONV", "character conversion", "IO", "I/O", "NSTR", "negotiation strings", "OWN", "ownership",
            "PROTO", "the protocol", "RECV", "the receiver", "SEND", "the sender", "TIME", "modification times");

    private static Map<String, String> names(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    /**
     * The words of one {@code --info} ({@code debug} false) or {@code --debug} value, each name upper-cased with
     * its level (1 when none is given); "HELP" maps to 1 when asked for.
     *
     * @throws OptionException for a name rsync does not have (exit code 1)
     */
    public static Map<String, Integer> parse(String value, boolean debug) {
        Map<String, Integer> levels = new LinkedHashMap<>();
        for (String word : value.split("[, ]+")) {
            if (word.isEmpty()) {
                continue;
            }
            int digits = word.length();
            while (digits > 0 && Character.isDigit(word.charAt(digits - 1))) {
                digits--;
            }
            String name = word.substring(0, digits).toUpperCase(Locale.ROOT);
            // a level past any rsync has is the highest one (a long number used to end in NumberFormatException)
            String number = word.substring(digits);
            int level = number.isEmpty() ? 1 : number.length() > 2 ? MAX_LEVEL : Math.min(MAX_LEVEL,
                    Integer.parseInt(number));
            boolean known = (debug ? DEBUG : INFO).containsKey(name) || name.equals("ALL") || name.equals("NONE")
                    || name.equals("HELP");
            if (!known) {
                throw OptionException.syntax("Unknown --" + (debug ? "debug" : "info") + " item: \"" + word + "\"");
            }
            levels.put(name, name.equals("NONE") ? 0 : level);
        }
        return levels;
    }

    /** What jrsync does with {@code --info} words: progress and statistics, and HELP. */
    static void apply(OptionsBuilder o, Map<String, Integer> info) {
        info.forEach((name, level) -> {
            switch (name) {
                case "PROGRESS" -> o.progress = level == 1;
                case "STATS" -> {
                    o.stats = level >= 2;
                    o.heapStats = level >= 3;
                }
                case "SKIP" -> o.infoSkip = level;
                case "BACKUP" -> o.infoBackup = level;
                case "HELP" -> o.outputFlagsHelp = "info";
                default -> { }
            }
        });
    }

    /**
     * The {@code --debug} words each {@code -v} count turns on, with their levels ({@code
     * rsync/options.c:debug_verbosity}): index 2 is {@code -vv}.
     */
    private static final List<Map<String, Integer>> DEBUG_VERBOSITY = List.of(Map.of(), Map.of(),
            parse("BIND,CMD,CONNECT,DEL,DELTASUM,DUP,FILTER,FLIST,ICONV", true),
            parse("ACL,BACKUP,CONNECT2,DELTASUM2,DEL2,EXIT,FILTER2,FLIST2,FUZZY,GENR,OWN,RECV,SEND,TIME", true),
            parse("CMD2,DELTASUM3,DEL3,EXIT2,FLIST3,ICONV2,OWN2,PROTO,TIME2", true),
            parse("CHDIR,DELTASUM4,FLIST4,FUZZY2,HASH,HLINK", true));

    /** The level of debug word {@code name} that {@code verbose} {@code -v}s imply. */
    static int impliedDebug(String name, int verbose) {
        for (int v = Math.min(verbose, DEBUG_VERBOSITY.size() - 1); v > 1; v--) {
            Integer level = DEBUG_VERBOSITY.get(v).get(name);
            if (level != null) {
                return level;
            }
        }
        return 0;
    }

    /** The list {@code --info=help} or {@code --debug=help} prints. */
    public static String help(String which) {
        Map<String, String> names = which.equals("debug") ? DEBUG : INFO;
        StringBuilder sb = new StringBuilder("Use OPT or OPT1 for level 1 output, OPT2 for level 2, etc.; OPT0 silences.\n\n");
        names.forEach((n, d) -> sb.append(String.format(Locale.ROOT, "%-10s %s%n", n, d)));
        sb.append(String.format(Locale.ROOT, "%n%-10s Set all --%s options (e.g. all4)%n", "ALL", which));
        sb.append(String.format(Locale.ROOT, "%-10s Silence all --%s options (same as all0)%n", "NONE", which));
        sb.append(String.format(Locale.ROOT, "%-10s Output this help message%n", "HELP"));
        if (which.equals("debug")) {
            sb.append("\njrsync prints DELTASUM, FUZZY and NSTR output; it accepts the other names.\n");
        }
        return sb.toString();
    }
}
