package dev.jrsync.clientserver;

/**
 * One line of a daemon's module listing ({@code rsync/clientserver.c:send_listing}): the name padded to 15
 * columns, a tab, the comment. The client reads it among the MOTD's lines, which the protocol does not tell
 * apart; a line with its first tab at column 15 or later is taken for a module.
 *
 * @param name    the module's name
 * @param comment its {@code comment} parameter, empty when it has none
 */
public record ModuleLine(String name, String comment) {
    private static final int NAME_WIDTH = 15;

    /** The line as the daemon sends it. */
    public String format() {
        return String.format("%-" + NAME_WIDTH + "s\t%s", name, comment);
    }

    /** The module a listing line names, or null for a line of another shape (a MOTD line). */
    public static ModuleLine parse(String line) {
        int tab = line.indexOf('\t');
        String name = tab < NAME_WIDTH ? "" : line.substring(0, tab).stripTrailing();
        return name.isEmpty() ? null : new ModuleLine(name, line.substring(tab + 1));
    }
}
