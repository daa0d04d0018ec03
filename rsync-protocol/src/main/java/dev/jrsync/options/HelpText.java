package dev.jrsync.options;

import java.util.ArrayList;
import java.util.List;

/**
 * The text of {@code jrsync --help}: usage lines, then every option of {@link OptionTable} a user may
 * give, in rsync's two-column layout ({@code rsync/usage.c:usage}), grouped by {@link OptionGroup}.
 */
public final class HelpText {
    private HelpText() {}

    /** Width of the option column, as in rsync's help. */
    static final int COLUMN = 25;

    /** The line standing for all the hidden "--no-X" negations. */
    static final String NEGATION_LINE = line("--no-OPTION", "turn off an implied OPTION (e.g. --no-D)");

    /** The full help text, ending with a newline. */
    public static String text() {
        StringBuilder sb = new StringBuilder();
        sb.append("jrsync is a file transfer program capable of efficient remote update\n")
                .append("via a fast differencing algorithm; it talks to rsync daemons and is one.\n\n")
                .append("Usage: jrsync [OPTION]... SRC [SRC]... [USER@]HOST::DEST\n")
                .append("  or   jrsync [OPTION]... SRC [SRC]... rsync://[USER@]HOST[:PORT]/DEST\n")
                .append("  or   jrsync [OPTION]... [USER@]HOST::SRC [DEST]\n")
                .append("  or   jrsync [OPTION]... rsync://[USER@]HOST[:PORT]/SRC [DEST]\n")
                .append("  or   jrsync --daemon [OPTION]...\n")
                .append("The '::' & 'rsync://' usages connect to an rsync daemon, and require SRC or DEST\n")
                .append("to start with a module name. Without DEST the files are listed.\n");
        for (OptionGroup group : OptionGroup.values()) {
            List<String> lines = new ArrayList<>();
            for (OptionSpec spec : OptionTable.specs()) {
                if (spec.group() != group || spec.help() == null || spec.scope() == OptionSpec.Scope.SERVER) {
                    continue;
                }
                lines.add(optionLines(spec));
                if (spec.longNames().contains("archive")) {
                    lines.add(NEGATION_LINE);
                }
            }
            if (lines.isEmpty()) {
                continue;
            }
            sb.append('\n').append(group.title()).append('\n');
            lines.forEach(sb::append);
        }
        sb.append("\nSee the rsync(1) and rsyncd.conf(5) manpages for the full documentation.\n");
        return sb.toString();
    }

    /**
     * "--long=ARG, -s" in the first column, the help text in the second; further long names are named
     * as "(aka ...)", continuation lines of the help are indented to the second column.
     */
    private static String optionLines(OptionSpec spec) {
        StringBuilder left = new StringBuilder();
        if (!spec.longNames().isEmpty()) {
            left.append("--").append(spec.longNames().getFirst());
            if (spec.argName() != null) {
                left.append('=').append(spec.argName());
            }
        }
        if (spec.shortName() != OptionSpec.NO_SHORT) {
            left.append(left.isEmpty() ? "" : ", ").append('-').append(spec.shortName());
        }
        String[] helpLines = spec.help().split("\n");
        List<String> aliases = spec.longNames().subList(Math.min(1, spec.longNames().size()), spec.longNames().size());
        if (!aliases.isEmpty()) {
            helpLines[helpLines.length - 1] += " (aka --" + String.join(", --", aliases) + ")";
        }
        StringBuilder sb = new StringBuilder(line(left.toString(), helpLines[0]));
        for (int i = 1; i < helpLines.length; i++) {
            sb.append(line("", helpLines[i]));
        }
        return sb.toString();
    }

    private static String line(String left, String right) {
        if (left.length() >= COLUMN) {
            return left + "\n" + " ".repeat(COLUMN) + right + "\n";
        }
        return left + " ".repeat(COLUMN - left.length()) + right + "\n";
    }
}
