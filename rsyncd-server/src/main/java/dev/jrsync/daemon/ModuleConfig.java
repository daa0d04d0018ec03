package dev.jrsync.daemon;

import dev.jrsync.options.Options;
import dev.jrsync.options.OptionsBuilder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One module's parameters, the global defaults already merged in, with rsync's defaults for what is
 * unset ({@code rsync/daemon-parm.txt}).
 */
public final class ModuleConfig {
    /** rsyncd's default {@code log format}. */
    public static final String DEFAULT_LOG_FORMAT = "%o %h [%a] %m (%u) %f %l";

    static final Set<String> BOOLEANS = Set.of("read only", "write only", "list", "strict modes", "numeric ids",
            "munge symlinks", "ignore errors", "ignore nonreadable", "transfer logging", "use chroot",
            "reverse lookup", "forward lookup", "fake super", "insecure links");
    static final Set<String> INTEGERS = Set.of("max connections", "timeout", "max verbosity");
    /** The commands a shell runs for a session; their {@code %VAR%} references are expanded for the shell. */
    static final Set<String> HOOKS = Set.of("early exec", "pre-xfer exec", "post-xfer exec", "name converter");

    private final String name;
    private final Map<String, String> params;

    ModuleConfig(String name, Map<String, String> params, String fileName, List<String> warnings) {
        this.name = name;
        this.params = Collections.unmodifiableMap(params);
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (BOOLEANS.contains(e.getKey()) && parseBoolean(e.getValue()) == null) {
                warnings.add(fileName + ": [" + name + "] \"" + e.getKey() + " = " + e.getValue()
                        + "\" is not a boolean; the default applies");
            } else if (INTEGERS.contains(e.getKey()) && parseInt(e.getValue()) == null) {
                warnings.add(fileName + ": [" + name + "] \"" + e.getKey() + " = " + e.getValue()
                        + "\" is not a number; the default applies");
            }
        }
    }

    private ModuleConfig(String name, Map<String, String> params) {
        this.name = name;
        this.params = Collections.unmodifiableMap(params);
    }

    /**
     * This module with the {@code %VAR%} references of its string parameters replaced from {@code env}, as
     * rsync expands a string when the session first uses it ({@code loadparm.c:RETURN_EXPANDED}); booleans and
     * numbers were expanded as the file was read, and the hook commands are expanded for the shell
     * ({@link #hook}).
     */
    ModuleConfig expanded(ModuleEnv env) {
        Map<String, String> out = new LinkedHashMap<>();
        params.forEach((k, v) -> out.put(k, HOOKS.contains(k) ? v : ConfigVars.expand(v, env::lookup)));
        return new ModuleConfig(name, out);
    }

    /**
     * A hook command ({@code early exec}, {@code pre-xfer exec}, {@code post-xfer exec}) with its references
     * expanded for the shell from {@code env}; null when unset or empty.
     *
     * @throws ConfigVars.UnsafeValue when a {@code %RSYNC_*%} value holds a shell metacharacter
     */
    String hook(String key, ModuleEnv env) throws ConfigVars.UnsafeValue {
        String v = params.get(key);
        return v == null || v.isBlank() ? null : ConfigVars.expandForShell(v, env::lookup);
    }

    /** yes/no, true/false, on/off, 1/0 ({@code rsync/params.c} booleans); null for anything else. */
    static Boolean parseBoolean(String v) {
        return switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "yes", "true", "on", "1" -> Boolean.TRUE;
            case "no", "false", "off", "0" -> Boolean.FALSE;
            default -> null;
        };
    }

    private static Integer parseInt(String v) {
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public String name() {
        return name;
    }

    public boolean isSet(String key) {
        return params.containsKey(key);
    }

    public String get(String key) {
        return params.get(key);
    }

    private boolean bool(String key, boolean dflt) {
        String v = params.get(key);
        Boolean b = v == null ? null : parseBoolean(v);
        return b == null ? dflt : b;
    }

    private int integer(String key, int dflt) {
        String v = params.get(key);
        Integer i = v == null ? null : parseInt(v);
        return i == null ? dflt : i;
    }

    private String string(String key, String dflt) {
        String v = params.get(key);
        return v == null ? dflt : v;
    }

    /** rsync splits list parameters at spaces, tabs and commas. */
    private List<String> words(String key) {
        return wordsOf(params.get(key));
    }

    /** A list parameter's words, split at spaces, tabs and commas; none for an unset one. */
    static List<String> wordsOf(String v) {
        List<String> out = new ArrayList<>();
        if (v != null) {
            for (String w : v.split("[\\s,]+")) {
                if (!w.isEmpty()) {
                    out.add(w);
                }
            }
        }
        return out;
    }

    /**
     * rsync/util1.c:conf_strtok: words split at spaces, tabs and commas; but a value whose first non-blank
     * character is a comma is split at commas alone, each word trimmed, so that a word may hold spaces (a
     * group name like {@code @domain users}). Empty words are dropped.
     */
    static List<String> confWords(String value) {
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        String v = value.stripLeading();
        boolean commasOnly = v.startsWith(",");
        for (String w : commasOnly ? v.substring(1).split(",") : v.split("[ ,\t\r\n]+")) {
            String t = commasOnly ? w.strip() : w;
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }

    public String path() {
        return params.get("path");
    }

    public String comment() {
        return string("comment", "");
    }

    public boolean readOnly() {
        return bool("read only", true);
    }

    public boolean writeOnly() {
        return bool("write only", false);
    }

    public boolean list() {
        return bool("list", true);
    }

    public int maxConnections() {
        return integer("max connections", 0);
    }

    public String lockFile() {
        return string("lock file", "/var/run/rsyncd.lock");
    }

    /** {@code auth users}, split as rsync's {@code conf_strtok} splits it (see {@link #confWords}). */
    public List<String> authUsers() {
        return confWords(params.get("auth users"));
    }

    /**
     * {@code auth digest}: the weakest daemon-auth digest a client may authenticate with (rsync 3.5's
     * floor), or null when any negotiated digest will do.
     */
    public String authDigest() {
        String v = params.get("auth digest");
        return v == null || v.isBlank() ? null : v.strip();
    }

    public String secretsFile() {
        return params.get("secrets file");
    }

    public boolean strictModes() {
        return bool("strict modes", true);
    }

    public List<String> hostsAllow() {
        return words("hosts allow");
    }

    public List<String> hostsDeny() {
        return words("hosts deny");
    }

    /** {@code reverse lookup}: whether the client's name is looked up for this module's access checks. */
    public boolean reverseLookup() {
        return bool("reverse lookup", true);
    }

    /** {@code forward lookup}: whether host names in hosts allow/deny are resolved and compared by address. */
    public boolean forwardLookup() {
        return bool("forward lookup", true);
    }

    public int timeout() {
        return integer("timeout", 0);
    }

    public List<String> refuseOptions() {
        return words("refuse options");
    }

    public String incomingChmod() {
        return params.get("incoming chmod");
    }

    public String outgoingChmod() {
        return params.get("outgoing chmod");
    }

    /**
     * {@code options} with this module's {@code outgoing chmod} (for a sender) or {@code incoming chmod} (for a
     * receiver) after the client's own rules: rsync's daemon applies it to each mode it lists or receives.
     */
    Options withChmod(Options options, boolean sending) {
        String spec = sending ? outgoingChmod() : incomingChmod();
        if (spec == null) {
            return options;
        }
        OptionsBuilder b = options.toBuilder();
        b.chmod.add(spec);
        return b.build();
    }

    /**
     * {@code numeric ids} ({@code rsync_module}): outside a chroot only when set; in a chroot unless unset to
     * "no" or a {@code name converter} answers for the account database the chroot hides.
     */
    public boolean numericIds(boolean chrooted) {
        if (!chrooted) {
            return bool("numeric ids", false);
        }
        String converter = params.get("name converter");
        return bool("numeric ids", true) && (converter == null || converter.isBlank());
    }

    /** {@code munge symlinks}: unset means "on unless chrooted" ({@code rsync/clientserver.c:rsync_module}). */
    public boolean mungeSymlinks(boolean chrooted) {
        return bool("munge symlinks", !chrooted);
    }

    /**
     * {@code insecure links} (rsync 3.5, off by default): the administrator's opt-out of the module's symlink
     * confinement, so the sender follows any symlink its options ask it to, out of the module too, as rsync 3.2.7
     * did. A client cannot ask for it.
     */
    public boolean insecureLinks() {
        return bool("insecure links", false);
    }

    /** {@code use chroot}: null when unset (rsync then chroots when it can). */
    public Boolean useChroot() {
        String v = params.get("use chroot");
        return v == null ? null : parseBoolean(v);
    }

    /** {@code uid}: a user name or number, null when unset. */
    public String uid() {
        String v = params.get("uid");
        return v == null || v.isBlank() ? null : v.strip();
    }

    /** {@code gid}: group names or numbers (or "*" first for all of the user's groups); empty when unset. */
    public List<String> gid() {
        return words("gid");
    }

    public int maxVerbosity() {
        return integer("max verbosity", 1);
    }

    /**
     * {@code fake super}: the module's sessions keep privileged attributes in {@code user.rsync.%stat}, as
     * {@code --fake-super} does ({@code rsync/clientserver.c:rsync_module} sets {@code am_root = -1}).
     */
    public boolean fakeSuper() {
        return bool("fake super", false);
    }

    public boolean ignoreErrors() {
        return bool("ignore errors", false);
    }

    public boolean ignoreNonreadable() {
        return bool("ignore nonreadable", false);
    }

    public String logFile() {
        return params.get("log file");
    }

    public String logFormat() {
        return string("log format", DEFAULT_LOG_FORMAT);
    }

    public boolean transferLogging() {
        return bool("transfer logging", false);
    }
}
