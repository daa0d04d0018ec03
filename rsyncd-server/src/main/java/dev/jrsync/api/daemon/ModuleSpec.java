package dev.jrsync.api.daemon;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One module of a daemon, as an rsyncd.conf section: {@code [name]}, {@code path = ...} and any other module
 * parameter by its rsyncd.conf name ({@code "read only"}, {@code "auth users"}, {@code "hosts allow"} ...),
 * checked when the daemon is built. As in rsyncd.conf, a module is read-only unless it says otherwise.
 *
 * @param name       the module name clients ask for
 * @param path       the directory it serves
 * @param parameters the other parameters, in order
 */
public record ModuleSpec(String name, Path path, Map<String, String> parameters) {
    public ModuleSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(path, "path");
        parameters = Map.copyOf(new LinkedHashMap<>(parameters));
    }

    /** A module serving {@code path}, with rsyncd.conf's defaults. */
    public static ModuleSpec of(String name, Path path) {
        return new ModuleSpec(name, path, Map.of());
    }

    /** This module with {@code parameter = value} as well (replacing an earlier value). */
    public ModuleSpec with(String parameter, String value) {
        Map<String, String> more = new LinkedHashMap<>(parameters);
        more.put(parameter, value);
        return new ModuleSpec(name, path, more);
    }

    /** {@code read only = yes/no} */
    public ModuleSpec readOnly(boolean readOnly) {
        return with("read only", readOnly ? "yes" : "no");
    }

    /** {@code comment}, shown in the module listing */
    public ModuleSpec comment(String comment) {
        return with("comment", comment);
    }
}
