package dev.jrsync.options;

import java.util.List;

/**
 * One row of the option table ({@code rsync/options.c:long_options}): the names an option answers to,
 * whether it takes a value, where it is accepted, its help line and what it does to an {@link OptionsBuilder}.
 *
 * @param longNames long names without dashes, the first being the one shown in help; may be empty
 * @param shortName the single-letter name, or {@link #NO_SHORT}
 * @param argType   whether and how a value follows
 * @param scope     which argument lists accept it
 * @param group     the help section
 * @param argName   the value's name in help ("DIR"), or null for {@link ArgType#NONE}
 * @param help      the help text; null hides the option (only "--no-X" negations, covered by the
 *                  "--no-OPTION" help line, and server-only options are hidden)
 * @param action    applies the option
 */
public record OptionSpec(List<String> longNames, char shortName, ArgType argType, Scope scope, OptionGroup group,
                         String argName, String help, Action action) {
    public static final char NO_SHORT = 0;

    public OptionSpec {
        longNames = List.copyOf(longNames);
    }

    public enum ArgType {
        /** A switch; a value ("--x=1", "-x=") is an error. */
        NONE,
        /** Takes a string ("--x=V", "--x V", "-xV", "-x=V", "-x V"). */
        STRING,
        /** Takes a C {@code int} as {@code strtoll(..., 0)} reads it (popt's {@code POPT_ARG_INT}). */
        INT
    }

    public enum Scope {
        /** Only on a user's command line. */
        CLIENT,
        /** Only in the argument list a client sends to a server. */
        SERVER,
        /** In both. */
        BOTH;

        boolean accepts(boolean serverList) {
            return this == BOTH || (this == SERVER) == serverList;
        }
    }

    /** What an option does; {@code text} is null for switches, {@code number} is 0 unless {@link ArgType#INT}. */
    @FunctionalInterface
    public interface Action {
        void apply(OptionsBuilder options, String text, int number);
    }

    /** The name shown in help and messages: "--first-long-name", or "-x" when there is none. */
    public String displayName() {
        return longNames.isEmpty() ? "-" + shortName : "--" + longNames.getFirst();
    }
}
