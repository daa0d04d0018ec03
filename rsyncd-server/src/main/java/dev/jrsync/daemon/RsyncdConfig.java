package dev.jrsync.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An rsyncd.conf file ({@code rsync/loadparm.c:pm_process}, {@code lp_load}, {@code daemon-parm.txt}):
 * {@code [module]} sections of {@code name = value} lines, {@code #}/{@code ;} comment lines, a trailing
 * backslash continues a line, {@code &include} and {@code &merge} read other files ({@link ConfigFileParser}).
 * Parameters before the first section (or in {@code [global]}) are the global ones and the defaults of the
 * modules that follow. Unknown parameters and bad values become warnings that
 * name the file and line; the rest of the file still loads, as rsync's parser carries on.
 */
public final class RsyncdConfig {
    /** Parameters that only make sense for the whole daemon. */
    static final Set<String> GLOBAL_ONLY = Set.of("port", "address", "motd file", "pid file", "socket options",
            "listen backlog", "daemon chroot", "daemon uid", "daemon gid", "proxy protocol",
            "proxy protocol hosts");

    /** Per-module parameters (also accepted globally, as module defaults). */
    static final Set<String> MODULE_PARAMS = Set.of("path", "comment", "read only", "write only", "list",
            "max connections", "lock file", "auth users", "auth digest", "secrets file", "strict modes", "hosts allow",
            "hosts deny", "timeout", "refuse options", "dont compress", "incoming chmod", "outgoing chmod",
            "numeric ids", "munge symlinks", "exclude", "include", "filter", "exclude from", "include from",
            "max verbosity", "ignore errors", "ignore nonreadable", "log file", "log format", "transfer logging",
            "use chroot", "uid", "gid", "reverse lookup", "forward lookup", "temp dir", "fake super", "charset",
            "early exec", "pre-xfer exec", "post-xfer exec", "name converter", "insecure links");

    /**
     * Daemon-wide identity parameters not applied: the listener keeps the identity it was started with (the
     * per-module {@code uid}, {@code gid} and {@code use chroot} are applied to each session by
     * {@link ModuleIdentity}).
     */
    static final Set<String> UNSUPPORTED_IDENTITY = Set.of("daemon chroot", "daemon uid", "daemon gid");

    /** Parameters parsed but not applied yet; a note at startup says so. */
    static final Set<String> NOT_APPLIED = Set.of("dont compress", "temp dir",
            "charset", "ignore nonreadable");

    /** The most lines joined by backslash continuations, so a hostile file cannot build a huge line. */
    static final int MAX_LINE_CHARS = 64 << 10;

    private final String fileName;
    private final Map<String, String> globals;
    private final Map<String, ModuleConfig> modules;
    private final List<String> warnings;

    private RsyncdConfig(String fileName, Map<String, String> globals, Map<String, ModuleConfig> modules,
                         List<String> warnings) {
        this.fileName = fileName;
        this.globals = Collections.unmodifiableMap(globals);
        this.modules = Collections.unmodifiableMap(modules);
        this.warnings = List.copyOf(warnings);
    }

    public static RsyncdConfig load(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /**
     * Parses the text of a config file; {@code fileName} only appears in warnings. Files its {@code &include}
     * and {@code &merge} directives name are read from disk, relative to the working directory.
     */
    public static RsyncdConfig parse(String text, String fileName) {
        ConfigFileParser parser = new ConfigFileParser();
        parser.parse(text, fileName);
        Map<String, ModuleConfig> modules = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>(parser.warnings());
        parser.sections().forEach((name, params) -> modules.put(name, new ModuleConfig(name, params, fileName,
                warnings)));
        return new RsyncdConfig(fileName, parser.globals(), modules, warnings);
    }

    /**
     * A configuration built in code ({@code parameters} named as in rsyncd.conf, such as "read only"): the same
     * as the file holding these sections would give, except that a parameter the file would warn about and
     * ignore is an error here.
     *
     * @throws IllegalArgumentException for an unknown parameter, a global one in a module, or a bad module name
     */
    public static RsyncdConfig of(Map<String, String> globals, Map<String, Map<String, String>> modules,
                                  String origin) {
        Map<String, String> global = checked(globals, true, "global");
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        modules.forEach((name, params) -> {
            if (name.isBlank() || name.equalsIgnoreCase("global") || name.contains("]") || name.contains("/")) {
                throw new IllegalArgumentException("bad module name \"" + name + "\"");
            }
            sections.put(name, checked(params, false, name));
        });
        List<String> warnings = new ArrayList<>();
        RsyncdConfig config = assemble(global, sections, origin, warnings);
        if (!config.warnings().isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", config.warnings()));
        }
        return config;
    }

    private static Map<String, String> checked(Map<String, String> params, boolean global, String where) {
        Map<String, String> out = new LinkedHashMap<>();
        params.forEach((k, v) -> {
            String key = normalize(k);
            if (!MODULE_PARAMS.contains(key) && !GLOBAL_ONLY.contains(key)) {
                throw new IllegalArgumentException("unknown parameter \"" + k + "\" in " + where);
            }
            if (!global && GLOBAL_ONLY.contains(key)) {
                throw new IllegalArgumentException("global parameter \"" + k + "\" in module " + where);
            }
            out.put(key, v);
        });
        return out;
    }

    private static RsyncdConfig assemble(Map<String, String> globals, Map<String, Map<String, String>> sections,
                                         String fileName, List<String> warnings) {
        Map<String, ModuleConfig> modules = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, String>> e : sections.entrySet()) {
            Map<String, String> merged = new LinkedHashMap<>();
            globals.forEach((k, v) -> {
                if (MODULE_PARAMS.contains(k)) {
                    merged.put(k, v);
                }
            });
            merged.putAll(e.getValue());
            modules.put(e.getKey(), new ModuleConfig(e.getKey(), merged, fileName, warnings));
        }
        return new RsyncdConfig(fileName, globals, modules, warnings);
    }

    /** rsync compares parameter names ignoring case, spaces and underscores ({@code loadparm.c:strwiEQ}). */
    static String normalize(String key) {
        return key.strip().toLowerCase(Locale.ROOT).replace('_', ' ').replaceAll("\\s+", " ");
    }

    public String fileName() {
        return fileName;
    }

    /** Unknown parameters, bad values and lines that did not parse, each naming the file and line. */
    public List<String> warnings() {
        return warnings;
    }

    /** Notes for the daemon-wide identity parameters this daemon accepts without effect. */
    public List<String> identityNotes() {
        List<String> notes = new ArrayList<>();
        for (String p : UNSUPPORTED_IDENTITY) {
            if (globals.containsKey(p)) {
                notes.add(noteFor(p, "global section"));
            }
        }
        for (ModuleConfig m : modules.values()) {
            for (String p : UNSUPPORTED_IDENTITY) {
                if (m.isSet(p) && !globals.containsKey(p)) {
                    notes.add(noteFor(p, "module [" + m.name() + "]"));
                }
            }
        }
        return notes;
    }

    /** Notes for set parameters this daemon does not apply yet ({@link #NOT_APPLIED}). */
    public List<String> notAppliedNotes() {
        List<String> notes = new ArrayList<>();
        for (ModuleConfig m : modules.values()) {
            for (String p : NOT_APPLIED) {
                if (m.isSet(p)) {
                    notes.add("\"" + p + "\" of module [" + m.name() + "] is not applied by this daemon yet");
                }
            }
        }
        return notes;
    }

    private static String noteFor(String param, String where) {
        return "\"" + param + "\" in " + where + " accepted but has no effect: the daemon keeps the identity it was"
                + " started with; each module's session takes the module's uid, gid and use chroot";
    }

    public Collection<ModuleConfig> modules() {
        return modules.values();
    }

    /** The module of that name, or null. */
    public ModuleConfig module(String name) {
        return modules.get(name);
    }

    public String global(String key) {
        return globals.get(key);
    }

    /** {@code port}; 0 when unset. */
    public int port() {
        String v = globals.get("port");
        if (v == null) {
            return 0;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The global {@code reverse lookup}: whether every connection's host name is looked up on connect. */
    public boolean reverseLookup() {
        String v = globals.get("reverse lookup");
        Boolean b = v == null ? null : ModuleConfig.parseBoolean(v);
        return b == null || b;
    }

    /**
     * The global {@code timeout} in seconds (0 when unset): besides being every module's default, it
     * shortens the deadline for a client to pick a module.
     */
    public int timeout() {
        String v = globals.get("timeout");
        try {
            return v == null ? 0 : Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** {@code proxy protocol}: whether every connection starts with a PROXY protocol header ({@link ProxyHeader}). */
    public boolean proxyProtocol() {
        String v = globals.get("proxy protocol");
        return v != null && Boolean.TRUE.equals(ModuleConfig.parseBoolean(v));
    }

    /**
     * {@code proxy protocol hosts}: the proxies whose PROXY headers are believed, as {@code hosts allow} words
     * matched against the connection's own peer; with none, every connection is refused.
     */
    public List<String> proxyProtocolHosts() {
        return ModuleConfig.wordsOf(globals.get("proxy protocol hosts"));
    }

    public String address() {
        return globals.get("address");
    }

    /** {@code socket options}: set on every accepted connection ({@link dev.jrsync.net.SocketOptions}). */
    public String socketOptions() {
        return globals.get("socket options");
    }

    public String motdFile() {
        return globals.get("motd file");
    }

    public String pidFile() {
        return globals.get("pid file");
    }

    /** The daemon-wide {@code log file} (a module may name its own). */
    public String logFile() {
        return globals.get("log file");
    }
}
