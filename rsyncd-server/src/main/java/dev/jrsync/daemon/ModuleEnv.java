package dev.jrsync.daemon;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The variables a session sets as it learns about its client ({@code rsync/clientserver.c:set_env_str} on
 * {@code RSYNC_MODULE_NAME}, {@code RSYNC_HOST_ADDR}, {@code RSYNC_USER_NAME}, ...), over the daemon's own
 * environment. rsync's forked child sets them in its process environment; sessions here share one JVM, so
 * each keeps its own set, which {@code %VAR%} references read and the hook commands it starts are given.
 */
record ModuleEnv(Map<String, String> vars) {
    static final ModuleEnv EMPTY = new ModuleEnv(Map.of());

    ModuleEnv {
        vars = Map.copyOf(vars);
    }

    ModuleEnv with(String name, String value) {
        Map<String, String> next = new LinkedHashMap<>(vars);
        next.put(name, value);
        return new ModuleEnv(next);
    }

    /** The session's value, else the daemon's environment's; null when neither has one. */
    String lookup(String name) {
        String v = vars.get(name);
        return v != null ? v : System.getenv(name);
    }

    /** The environment of a command started for the session: the daemon's, with the session's values on top. */
    Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>(System.getenv());
        env.putAll(vars);
        return env;
    }
}
