package dev.jrsync.api;

import java.util.List;

/**
 * A daemon's answer to {@link Rsync#listModules}: its greeting text and its modules. The protocol sends both
 * as plain lines and rsync prints them alike; a line with a tab at column 15 or later (rsync's
 * {@code "%-15s\t%s"}) is taken for a module, and every line before the modules for the greeting.
 *
 * @param motd    the daemon's {@code motd file}, line by line, without the blank line that closes it
 * @param modules the modules the daemon lists, in its order
 * @param outcome exit code 0, or why the daemon could not be asked (no connection, {@code @ERROR})
 */
public record ModuleList(List<String> motd, List<ModuleListing> modules, TransferOutcome outcome) {
    public ModuleList {
        motd = List.copyOf(motd);
        modules = List.copyOf(modules);
    }
}
