package dev.jrsync.api.mirror;

import dev.jrsync.api.PasswordSource;
import dev.jrsync.client.RemoteShell;
import dev.jrsync.core.RsyncException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The syncs of a mirror config file ({@code jrsync --watch --config=FILE}), in rsyncd.conf's layout: a {@code [name]}
 * line opens a sync, {@code key = value} lines describe it, and the lines before the first section give every sync
 * its defaults: the default filter rules come before a section's own, and any other key a section sets replaces the
 * default's value (a repeated key's whole list). Keys
 * are case-insensitive and spaces in them do not count; {@code #} and {@code ;} start a comment line.
 * <pre>
 * options = -a --delete
 * exclude = *.swp
 *
 * [www]
 * source = /srv/www/
 * target = rsync://backup.example/www/
 * target = /mnt/replica/www/
 * delay = 20
 * </pre>
 * Keys: {@code source} (one local directory), {@code target} (a destination, as the command line's last operand;
 * repeated for more), {@code exclude}, {@code include} and {@code filter} (each one rule, in the order given),
 * {@code options} (rsync options, split at spaces outside quotes), {@code delay} and {@code max delay}
 * (milliseconds, as {@code --watch-delay} and {@code --watch-max-delay}).
 *
 * @param syncs the sections in file order
 */
public record MirrorConfig(List<Sync> syncs) {
    /**
     * One section: the mirror it describes, as the command line that would run it.
     *
     * @param name the section's name
     * @param argv {@code jrsync --watch}'s arguments for it, without the program name
     */
    public record Sync(String name, List<String> argv) {
        public Sync {
            Objects.requireNonNull(name, "name");
            argv = List.copyOf(argv);
        }

        /** The mirror this sync runs, its passwords from {@code passwords}. */
        public MirrorSpec spec(PasswordSource passwords) {
            return MirrorSpec.parse(argv, passwords);
        }
    }

    public MirrorConfig {
        syncs = List.copyOf(syncs);
    }

    private static final List<String> KEYS = List.of("source", "target", "exclude", "include", "filter", "options",
            "delay", "maxdelay");

    /**
     * Reads and checks {@code file}: every sync's command line is parsed as {@code jrsync --watch} would parse it.
     *
     * @throws IllegalArgumentException naming the file and line of what is wrong
     * @throws IOException when the file cannot be read
     */
    public static MirrorConfig read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /**
     * {@link #read}'s work on the file's text; {@code where} names it in messages.
     *
     * @throws IllegalArgumentException naming {@code where} and the line of what is wrong
     */
    public static MirrorConfig parse(String text, String where) {
        Map<String, List<Entry>> defaults = new LinkedHashMap<>();
        Map<String, Map<String, List<Entry>>> sections = new LinkedHashMap<>();
        Map<String, Integer> opened = new LinkedHashMap<>();
        Map<String, List<Entry>> current = defaults;
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            int lineNo = i + 1;
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[")) {
                if (!line.endsWith("]") || line.length() < 3) {
                    throw error(where, lineNo, "a section line is [name]: " + line);
                }
                String name = line.substring(1, line.length() - 1).strip();
                if (opened.putIfAbsent(name, lineNo) != null) {
                    throw error(where, lineNo, "section [" + name + "] was opened before, at line " + opened.get(name));
                }
                current = new LinkedHashMap<>();
                sections.put(name, current);
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw error(where, lineNo, "not a [section] nor a key = value line: " + line);
            }
            String key = line.substring(0, eq).replace(" ", "").replace("\t", "").toLowerCase(Locale.ROOT);
            if (!KEYS.contains(key)) {
                throw error(where, lineNo, "unknown key \"" + line.substring(0, eq).strip() + "\" (known: source, target,"
                        + " exclude, include, filter, options, delay, max delay)");
            }
            // a rule keeps its order among the rules; the value's own spaces count
            String ruleKey = key.equals("exclude") || key.equals("include") || key.equals("filter") ? "rules" : key;
            String value = line.substring(eq + 1).strip();
            current.computeIfAbsent(ruleKey, k -> new ArrayList<>()).add(new Entry(key, value, lineNo));
        }
        if (sections.isEmpty()) {
            throw new IllegalArgumentException(where + ": no [section]: a mirror config names each sync in one");
        }
        List<Sync> syncs = new ArrayList<>();
        for (Map.Entry<String, Map<String, List<Entry>>> s : sections.entrySet()) {
            Map<String, List<Entry>> keys = new LinkedHashMap<>(defaults);
            keys.putAll(s.getValue());
            // the defaults' rules come first and stay: a section adds its own
            List<Entry> rules = new ArrayList<>(defaults.getOrDefault("rules", List.of()));
            rules.addAll(s.getValue().getOrDefault("rules", List.of()));
            keys.put("rules", rules);
            syncs.add(sync(where, s.getKey(), opened.get(s.getKey()), keys));
        }
        return new MirrorConfig(syncs);
    }

    private static Sync sync(String where, String name, int opened, Map<String, List<Entry>> keys) {
        List<String> argv = new ArrayList<>();
        for (Entry e : keys.getOrDefault("options", List.of())) {
            if (e.value.isEmpty()) {
                continue;
            }
            try {
                argv.addAll(RemoteShell.split(e.value));
            } catch (RsyncException bad) {
                throw error(where, e.line, "options: " + bad.getMessage());
            }
        }
        for (Entry e : keys.getOrDefault("rules", List.of())) {
            argv.add("--" + e.key + "=" + e.value);
        }
        millis(where, keys, "delay", "--watch-delay=", argv);
        millis(where, keys, "maxdelay", "--watch-max-delay=", argv);
        String source = one(where, name, opened, keys, "source");
        List<String> targets = keys.getOrDefault("target", List.<Entry>of()).stream().map(Entry::value).toList();
        if (targets.isEmpty()) {
            throw error(where, opened, "[" + name + "] has no target");
        }
        for (String more : targets.subList(1, targets.size())) {
            argv.add("--watch-target=" + more);
        }
        argv.add("--watch");
        argv.add("--");
        argv.add(source);
        argv.add(targets.getFirst());
        Sync sync = new Sync(name, argv);
        try {
            sync.spec((user, module) -> null); // checked now; a password is asked for when a transfer needs one
        } catch (IllegalArgumentException bad) {
            throw error(where, opened, "[" + name + "]: " + bad.getMessage());
        }
        return sync;
    }

    private static String one(String where, String name, int opened, Map<String, List<Entry>> keys, String key) {
        List<Entry> values = keys.getOrDefault(key, List.of());
        if (values.size() != 1) {
            throw error(where, values.isEmpty() ? opened : values.get(1).line,
                    "[" + name + "] needs one " + key + (values.isEmpty() ? "" : ", not " + values.size()));
        }
        return values.getFirst().value;
    }

    private static void millis(String where, Map<String, List<Entry>> keys, String key, String option,
                               List<String> argv) {
        List<Entry> values = keys.getOrDefault(key, List.of());
        if (values.isEmpty()) {
            return;
        }
        Entry e = values.getLast();
        if (!e.value.matches("[0-9]{1,9}")) {
            throw error(where, e.line, key + " is a number of milliseconds, not \"" + e.value + "\"");
        }
        argv.add(option + e.value);
    }

    private static IllegalArgumentException error(String where, int line, String what) {
        return new IllegalArgumentException(where + " line " + line + ": " + what);
    }

    /** A key's value and the line it was on. */
    private record Entry(String key, String value, int line) {}
}
