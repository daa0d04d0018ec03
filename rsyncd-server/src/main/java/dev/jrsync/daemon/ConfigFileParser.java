package dev.jrsync.daemon;

import dev.jrsync.fs.OperatorFile;
import dev.jrsync.fs.Posix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads rsyncd.conf text into global parameters and module sections ({@code rsync/params.c:pm_process},
 * {@code include_config}, {@code loadparm.c:do_section}, {@code do_parameter}). A module starts with the
 * global values set before its header, as rsync copies the defaults into a new section. The directives
 * {@code &include} and {@code &merge} read another file, or a directory's {@code *.conf} / {@code *.inc} files
 * in name order: an included file starts in the global context and its global values end with it, where a
 * merged file reads as if it stood in place of the directive. Booleans and numbers have their {@code %VAR%}
 * references expanded from the daemon's environment as they are read; strings keep theirs for the session.
 */
final class ConfigFileParser {
    /** Includes nest at most this deep, so a file that includes itself ends with a warning. */
    static final int MAX_INCLUDE_DEPTH = 16;
    /** A config file is text an administrator wrote; past this size it is not one. */
    static final int MAX_FILE_BYTES = 4 << 20;

    private static final Set<String> NON_STRINGS = Set.of("port", "listen backlog", "proxy protocol");

    private final List<String> warnings = new ArrayList<>();
    private final Map<String, String> globals = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> sections = new LinkedHashMap<>();
    /** Where parameters go: {@link #globals}, a section, or nowhere after a bad header. */
    private Map<String, String> current = globals;
    private int depth;

    List<String> warnings() {
        return warnings;
    }

    Map<String, String> globals() {
        return globals;
    }

    /** The sections in the order first seen, each holding its defaults and its own parameters. */
    Map<String, Map<String, String>> sections() {
        return sections;
    }

    /** Parses {@code text}; {@code fileName} names it in warnings. */
    void parse(String text, String fileName) {
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            StringBuilder sb = new StringBuilder(lines[i]);
            // rsync/params.c: a backslash at the end of a line joins the next one.
            while (endsWithBackslash(sb) && i + 1 < lines.length && sb.length() < RsyncdConfig.MAX_LINE_CHARS) {
                sb.setLength(sb.length() - 1);
                sb.append(lines[++i].stripLeading());
            }
            String line = sb.toString().strip();
            String where = fileName + ":" + lineNo;
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[")) {
                section(line, where);
            } else if (line.startsWith("&")) {
                directive(line, where);
            } else {
                parameter(line, where);
            }
        }
    }

    private void section(String line, String where) {
        int close = line.indexOf(']');
        String name = close < 0 ? "" : line.substring(1, close).strip();
        if (name.isEmpty()) {
            warnings.add(where + ": bad section header \"" + line + "\" ignored");
            current = new LinkedHashMap<>(); // its parameters go nowhere
        } else if (name.equalsIgnoreCase("global")) {
            current = globals;
        } else {
            current = sections.computeIfAbsent(name, n -> moduleDefaults());
        }
    }

    private Map<String, String> moduleDefaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        globals.forEach((k, v) -> {
            if (RsyncdConfig.MODULE_PARAMS.contains(k)) {
                defaults.put(k, v);
            }
        });
        return defaults;
    }

    private void parameter(String line, String where) {
        int eq = line.indexOf('=');
        if (eq < 0) {
            warnings.add(where + ": no '=' in \"" + line + "\", ignored");
            return;
        }
        String key = RsyncdConfig.normalize(line.substring(0, eq));
        String value = line.substring(eq + 1).strip();
        if (!RsyncdConfig.MODULE_PARAMS.contains(key) && !RsyncdConfig.GLOBAL_ONLY.contains(key)) {
            warnings.add(where + ": unknown parameter \"" + key + "\" ignored");
            return;
        }
        if (current != globals && RsyncdConfig.GLOBAL_ONLY.contains(key)) {
            warnings.add(where + ": global parameter \"" + key + "\" in a module section ignored");
            return;
        }
        if (ModuleConfig.BOOLEANS.contains(key) || ModuleConfig.INTEGERS.contains(key) || NON_STRINGS.contains(key)) {
            value = ConfigVars.expand(value, System::getenv);
        }
        current.put(key, value);
    }

    /** {@code &include FILE|DIR} or {@code &merge FILE|DIR}: the name ends at a blank or '=', which may follow. */
    private void directive(String line, String where) {
        int end = 1;
        while (end < line.length() && " \t=".indexOf(line.charAt(end)) < 0) {
            end++;
        }
        String name = line.substring(0, end);
        String rest = line.substring(end).strip();
        String target = (rest.startsWith("=") ? rest.substring(1) : rest).strip();
        boolean include = name.equalsIgnoreCase("&include");
        if (!include && !name.equalsIgnoreCase("&merge")) {
            warnings.add(where + ": unknown directive \"" + name + "\" ignored");
            return;
        }
        if (target.isEmpty()) {
            warnings.add(where + ": " + name + " names no file");
            return;
        }
        if (depth >= MAX_INCLUDE_DEPTH) {
            warnings.add(where + ": " + name + " " + target + " nested more than " + MAX_INCLUDE_DEPTH
                    + " deep, ignored");
            return;
        }
        Path path = Path.of(target);
        List<Path> files;
        try {
            files = Files.isDirectory(path) ? filesIn(path, include ? ".conf" : ".inc") : List.of(path);
        } catch (IOException e) {
            warnings.add(where + ": unable to open config dir \"" + target + "\": " + Posix.describe(e));
            return;
        }
        depth++;
        try {
            if (include) {
                included(files, where);
            } else {
                for (Path f : files) {
                    read(f, where);
                }
            }
        } finally {
            depth--;
        }
    }

    /** Each file starts from the global values before the directive, which are back once it ends. */
    private void included(List<Path> files, String where) {
        Map<String, String> saved = new LinkedHashMap<>(globals);
        for (Path f : files) {
            globals.clear();
            globals.putAll(saved);
            current = globals;
            read(f, where);
        }
        globals.clear();
        globals.putAll(saved);
        current = globals;
    }

    private void read(Path file, String where) {
        try {
            OperatorFile.Contents contents = OperatorFile.read(file.toString(), MAX_FILE_BYTES);
            if (contents.bytes().length >= MAX_FILE_BYTES) {
                warnings.add(where + ": config file \"" + file + "\" is larger than " + MAX_FILE_BYTES
                        + " bytes, ignored");
                return;
            }
            parse(contents.text(), file.toString());
        } catch (IOException e) {
            warnings.add(where + ": unable to open config file \"" + file + "\": " + Posix.describe(e));
        }
    }

    /** The directory's files ending in {@code suffix}, sorted by name as rsync's {@code name_cmp} does. */
    private static List<Path> filesIn(Path dir, String suffix) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> p.getFileName().toString().endsWith(suffix))
                    .sorted((a, b) -> a.toString().compareTo(b.toString())).toList();
        }
    }

    private static boolean endsWithBackslash(StringBuilder sb) {
        int n = sb.length();
        while (n > 0 && (sb.charAt(n - 1) == ' ' || sb.charAt(n - 1) == '\t')) {
            n--;
        }
        if (n > 0 && sb.charAt(n - 1) == '\\') {
            sb.setLength(n);
            return true;
        }
        return false;
    }
}
