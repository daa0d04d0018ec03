package dev.jrsync.cli.events;

import dev.jrsync.watcher.inotify.InotifyMask;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of {@code jrsync events}, parsed as inotifywait's getopt_long does (bundled short options,
 * {@code --opt=value} or {@code --opt value}, unambiguous long prefixes, options after file names, {@code --}).
 * With {@code --stats} it takes inotifywatch's options instead (-a/-d sort, -z zero, -v verbose).
 */
final class EventsArgs {
    boolean stats;
    int events;
    boolean monitor;
    int quiet;
    long timeoutSeconds;
    boolean recursive;
    boolean csv;
    boolean daemon;
    boolean syslog;
    boolean noDereference;
    String format;
    boolean noNewline;
    String timefmt;
    String fromfile;
    String outfile;
    String exclude;
    String excludei;
    String include;
    String includei;
    int excludeCount;
    int excludeiCount;
    boolean zero;
    boolean verbose;
    /** inotifywatch's sort key: an event bit, 0 for total; negative for descending (the default, total). */
    int sort = -1;
    boolean sortSet;
    boolean help;
    final List<String> files = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();

    private static final String[] WAIT_LONG = {"help", "event=", "monitor", "quiet", "timeout=", "recursive", "csv",
            "daemon", "syslog", "no-dereference", "format=", "no-newline", "timefmt=", "fromfile=", "outfile=",
            "exclude=", "excludei=", "include=", "includei=", "stats"};
    private static final String[] WATCH_LONG = {"help", "event=", "timeout=", "recursive", "no-dereference",
            "fromfile=", "exclude=", "excludei=", "include=", "includei=", "zero", "verbose", "ascending=",
            "descending=", "stats"};

    /** @throws IllegalArgumentException with the message inotifywait would print */
    static EventsArgs parse(String[] argv) {
        EventsArgs a = new EventsArgs();
        for (String s : argv) {
            if (s.equals("--stats")) {
                a.stats = true;
            }
        }
        String shortWithArg = a.stats ? "etad" : "toe";
        String shortFlags = a.stats ? "hrPzv" : "mrhcdsPq";
        String[] longs = a.stats ? WATCH_LONG : WAIT_LONG;
        for (int i = 0; i < argv.length; i++) {
            String s = argv[i];
            if (s.equals("--")) {
                for (i++; i < argv.length; i++) {
                    a.files.add(argv[i]);
                }
                break;
            }
            if (s.startsWith("--")) {
                String body = s.substring(2);
                int eq = body.indexOf('=');
                String name = eq < 0 ? body : body.substring(0, eq);
                String spec = longOption(longs, name);
                String value = null;
                if (spec.endsWith("=")) {
                    if (eq >= 0) {
                        value = body.substring(eq + 1);
                    } else if (i + 1 < argv.length) {
                        value = argv[++i];
                    } else {
                        throw new IllegalArgumentException("option '--" + spec.substring(0, spec.length() - 1)
                                + "' requires an argument");
                    }
                    spec = spec.substring(0, spec.length() - 1);
                } else if (eq >= 0) {
                    throw new IllegalArgumentException("option '--" + spec + "' doesn't allow an argument");
                }
                a.apply(spec, value);
            } else if (s.startsWith("-") && s.length() > 1) {
                for (int j = 1; j < s.length(); j++) {
                    char c = s.charAt(j);
                    if (shortWithArg.indexOf(c) >= 0) {
                        String value;
                        if (j + 1 < s.length()) {
                            value = s.substring(j + 1);
                        } else if (i + 1 < argv.length) {
                            value = argv[++i];
                        } else {
                            throw new IllegalArgumentException("option requires an argument -- '" + c + "'");
                        }
                        a.apply(shortName(c, a.stats), value);
                        break;
                    } else if (shortFlags.indexOf(c) >= 0) {
                        a.apply(shortName(c, a.stats), null);
                    } else {
                        throw new IllegalArgumentException("invalid option -- '" + c + "'");
                    }
                }
            } else {
                a.files.add(s);
            }
        }
        a.check();
        return a;
    }

    private static String longOption(String[] longs, String name) {
        String found = null;
        for (String spec : longs) {
            String bare = spec.endsWith("=") ? spec.substring(0, spec.length() - 1) : spec;
            if (bare.equals(name)) {
                return spec;
            }
            if (bare.startsWith(name)) {
                if (found != null) {
                    throw new IllegalArgumentException("option '--" + name + "' is ambiguous");
                }
                found = spec;
            }
        }
        if (found == null || name.isEmpty()) {
            throw new IllegalArgumentException("unrecognized option '--" + name + "'");
        }
        return found;
    }

    private static String shortName(char c, boolean stats) {
        return switch (c) {
            case 'm' -> "monitor";
            case 'r' -> "recursive";
            case 'h' -> "help";
            case 'c' -> "csv";
            case 'd' -> stats ? "descending" : "daemon";
            case 's' -> "syslog";
            case 'P' -> "no-dereference";
            case 'q' -> "quiet";
            case 't' -> "timeout";
            case 'o' -> "outfile";
            case 'e' -> "event";
            case 'a' -> "ascending";
            case 'z' -> "zero";
            case 'v' -> "verbose";
            default -> throw new IllegalArgumentException("invalid option -- '" + c + "'");
        };
    }

    private void apply(String option, String value) {
        switch (option) {
            case "stats" -> stats = true;
            case "help" -> help = true;
            case "monitor" -> monitor = true;
            case "quiet" -> quiet++;
            case "recursive" -> recursive = true;
            case "csv" -> csv = true;
            case "daemon" -> {
                daemon = true;
                monitor = true;
                syslog = true;
            }
            case "syslog" -> syslog = true;
            case "no-dereference" -> noDereference = true;
            case "format" -> format = value;
            case "no-newline" -> noNewline = true;
            case "timefmt" -> timefmt = value;
            case "fromfile" -> {
                if (fromfile != null) {
                    throw new IllegalArgumentException("Multiple --fromfile options given.");
                }
                fromfile = value;
            }
            case "outfile" -> {
                if (outfile != null) {
                    throw new IllegalArgumentException("Multiple --outfile options given.");
                }
                outfile = value;
            }
            case "exclude" -> {
                exclude = value;
                excludeCount++;
            }
            case "excludei" -> {
                excludei = value;
                excludeiCount++;
            }
            case "include" -> include = value;
            case "includei" -> includei = value;
            case "timeout" -> timeoutSeconds = parseTimeout(value);
            case "event" -> events |= parseEvent(value);
            case "zero" -> zero = true;
            case "verbose" -> verbose = true;
            case "ascending", "descending" -> {
                if (sortSet) {
                    throw new IllegalArgumentException("Can only sort by one event!");
                }
                sortSet = true;
                int key = value.equalsIgnoreCase("total") ? 0 : parseEvent(value);
                sort = option.equals("ascending") ? key : key == 0 ? -1 : -key;
            }
            default -> throw new IllegalArgumentException("unrecognized option '--" + option + "'");
        }
    }

    private static int parseEvent(String value) {
        try {
            int mask = InotifyMask.parse(value);
            if (mask == 0) {
                throw new IllegalArgumentException(value);
            }
            return mask;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + value + "' is not a valid event!  Run with the '--help' option "
                    + "to see a list of events.");
        }
    }

    private static long parseTimeout(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + value + "' is not a valid timeout value.\n"
                    + "Please specify a long int value.");
        }
    }

    private void check() {
        if (help) {
            return;
        }
        if (format != null && !noNewline) {
            format = format + "\n";
        }
        if (exclude != null && excludei != null) {
            throw new IllegalArgumentException("--exclude and --excludei cannot both be specified.");
        }
        if (include != null && includei != null) {
            throw new IllegalArgumentException("--include and --includei cannot both be specified.");
        }
        if ((include != null || includei != null) && (exclude != null || excludei != null)) {
            throw new IllegalArgumentException("include and exclude regexp cannot both be specified.");
        }
        if (format != null && csv) {
            throw new IllegalArgumentException("-c and --format cannot both be specified.");
        }
        if (format == null && noNewline) {
            throw new IllegalArgumentException("--no-newline cannot be specified without --format.");
        }
        if (format == null && timefmt != null) {
            throw new IllegalArgumentException("--timefmt cannot be specified without --format.");
        }
        if (format != null && format.contains("%T") && timefmt == null) {
            throw new IllegalArgumentException("%T is in --format string, but --timefmt was not specified.");
        }
        if (daemon && outfile == null) {
            throw new IllegalArgumentException("-o must be specified with -d.");
        }
        String again = "only the last option will be taken into consideration.";
        if (excludeCount > 1) {
            warnings.add("--exclude: " + again);
        }
        if (excludeiCount > 1) {
            warnings.add("--excludei: " + again);
        }
    }
}
