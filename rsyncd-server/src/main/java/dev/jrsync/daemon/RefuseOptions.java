package dev.jrsync.daemon;

import dev.jrsync.filter.WildMatch;
import dev.jrsync.options.OptionSpec;
import dev.jrsync.options.OptionTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code refuse options} ({@code rsync/options.c:set_refuse_options}): which option of a client's server
 * argument list the module refuses. Patterns are option names (long, or a single letter) with shell
 * wildcards, applied in order; {@code !name} re-allows. {@code delete} stands for every delete option.
 * Options the session cannot work without are immune to wildcards and only refused by their exact name.
 * Refused by default, as rsync does: {@code copy-devices} and {@code write-devices}, and always {@code log-file*}
 * and {@code insecure-links}.
 */
public final class RefuseOptions {
    private RefuseOptions() {}

    /** What "a" or "archive" stands for in a pattern: the letters -a implies, and itself. */
    private static final String ARCHIVE = "[ardlptgoD]";
    /** Options of separate rows that set the very same thing, each way round. */
    private static final Map<String, String> SAME_CAPABILITY = Map.of("delete-during", "del", "del", "delete-during");
    static final List<String> DEFAULTS = List.of("copy-devices", "write-devices");
    /**
     * Refused after the module's own patterns, which cannot re-allow them: a client must not make the daemon write a
     * log file of the client's naming, nor switch off its symlink confinement (the module's {@code insecure links}
     * is the administrator's switch).
     */
    static final List<String> CLIENT_MAY_NEVER = List.of("log-file*", "insecure-links");
    static final Set<String> WILDCARD_IMMUNE = Set.of("rsh", "from0", "secluded-args", "protect-args", "dry-run",
            "iconv", "no-iconv", "checksum-seed", "log-format", "server", "sender");

    /** The option names (long name, and letter when it has one) used in the arguments before ".". */
    /**
     * An option as given, by the name it was given (or its spec's first for a letter), its letter, and the other
     * long names of the same table row.
     */
    record Used(String longName, char letter, List<String> aliases) {
        Used(String longName, char letter) {
            this(longName, letter, List.of());
        }

        String display() {
            return longName != null ? "--" + longName : "-" + letter;
        }
    }

    /** The first refused option, as rsync names it in its error ("--delete"), or null when none is. */
    public static String firstRefused(List<String> args, List<String> modulePatterns) {
        List<String> patterns = new ArrayList<>(DEFAULTS);
        patterns.addAll(modulePatterns);
        patterns.addAll(CLIENT_MAY_NEVER);
        for (Used u : used(args)) {
            if (refused(u, patterns)) {
                return u.display();
            }
        }
        return null;
    }

    /**
     * Scanned as the option parser scans them: an option with a value that is not in its own word takes the
     * next word ("-e" then the capability string), which is then no option of its own.
     */
    static List<Used> used(List<String> args) {
        List<Used> out = new ArrayList<>();
        for (int next = 0; next < args.size(); next++) {
            String a = args.get(next);
            if (a.equals(".")) {
                break;
            }
            if (a.startsWith("--")) {
                int eq = a.indexOf('=');
                String name = a.substring(2, eq < 0 ? a.length() : eq);
                OptionSpec spec = OptionTable.findLong(name, true);
                out.add(new Used(name, spec == null ? 0 : spec.shortName(), spec == null ? List.of() : spec.longNames()));
                if (eq < 0 && takesValue(spec)) {
                    next++;
                }
            } else if (a.startsWith("-") && a.length() > 1) {
                for (int i = 1; i < a.length(); i++) {
                    char c = a.charAt(i);
                    OptionSpec spec = OptionTable.findShort(c, true);
                    out.add(spec == null || spec.longNames().isEmpty() ? new Used(null, c)
                            : new Used(spec.longNames().getFirst(), c, spec.longNames()));
                    if (takesValue(spec)) {
                        // the rest of the word is this option's value ("-e.LsfxCIvu", "-B2048"), else the next word
                        next += i == a.length() - 1 ? 1 : 0;
                        break;
                    }
                }
            }
        }
        return out;
    }

    private static boolean takesValue(OptionSpec spec) {
        return spec != null && spec.argType() != OptionSpec.ArgType.NONE;
    }

    private static boolean refused(Used u, List<String> patterns) {
        boolean refused = false;
        for (String p : patterns) {
            boolean allow = p.startsWith("!");
            String pat = allow ? p.substring(1) : p;
            if (matches(pat, u)) {
                refused = !allow;
            }
        }
        return refused;
    }

    private static boolean matches(String pattern, Used u) {
        if (pattern.equals("a") || pattern.equals("archive")) {
            // rsync/options.c:parse_one_refuse_match: -a stands for the options it implies ("!a" re-allows them)
            pattern = ARCHIVE;
        }
        boolean wild = pattern.indexOf('*') >= 0 || pattern.indexOf('?') >= 0 || pattern.indexOf('[') >= 0;
        String name = u.longName();
        if (!wild) {
            if (pattern.length() == 1 && pattern.charAt(0) == u.letter()) {
                return true;
            }
            if (pattern.equals("delete") && name != null && (name.equals("del") || name.startsWith("delete"))) {
                return true;
            }
            // rsync/options.c:same_refuse_action: an exact rule names a capability, not one spelling of it
            return pattern.equals(name) || u.aliases().contains(pattern)
                    || name != null && SAME_CAPABILITY.getOrDefault(pattern, "").equals(name);
        }
        if (name != null && WILDCARD_IMMUNE.contains(name)) {
            return false;
        }
        // wildmatch, as set_refuse_options does, on the long name and on the letter: an option name is not a
        // path (a client's "--x\uDC80" or "--a/b" made Path.of throw or split it)
        return name != null && WildMatch.matches(pattern, name)
                || u.letter() != 0 && WildMatch.matches(pattern, String.valueOf(u.letter()));
    }
}
