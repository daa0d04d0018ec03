package dev.jrsync.api.daemon;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A daemon's configuration as a value: rsyncd.conf's global parameters ({@code "use chroot"}, {@code "log file"},
 * {@code "motd file"} ..., which also give modules their defaults) and its modules.
 *
 * @param globals the global section, by rsyncd.conf names
 * @param modules the modules, in listing order
 */
public record DaemonSpec(Map<String, String> globals, List<ModuleSpec> modules) {
    public DaemonSpec {
        globals = Map.copyOf(new LinkedHashMap<>(globals));
        modules = List.copyOf(modules);
    }

    /** A daemon serving {@code modules}, with rsyncd.conf's global defaults. */
    public static DaemonSpec of(ModuleSpec... modules) {
        return new DaemonSpec(Map.of(), List.of(modules));
    }

    /** This configuration with the global {@code parameter = value} as well. */
    public DaemonSpec with(String parameter, String value) {
        Map<String, String> more = new LinkedHashMap<>(globals);
        more.put(parameter, value);
        return new DaemonSpec(more, modules);
    }
}
