package dev.jrsync.cli.events;

/** Usage of {@code jrsync events} (inotifywait's options) and {@code jrsync events --stats} (inotifywatch's). */
final class HelpText {
    private HelpText() {}

    static final String WAIT = """
            Usage: jrsync events [ options ] file1 [ file2 ] [ ... ]
            Waits for inotify events on files or directory trees and prints them as inotifywait does.
              @<file>              do not watch this directory (with -r)
              --exclude <regex>    drop events whose path matches (also leaves matching directories unwatched)
              --excludei <regex>   as --exclude, case-insensitive
              --include <regex>    drop events whose path does not match
              --includei <regex>   as --include, case-insensitive
              -m|--monitor         keep printing events (until --timeout passes without one)
              -d|--daemon          as --monitor, printing to --outfile (runs in the foreground)
              -P|--no-dereference  do not follow symbolic links
              -r|--recursive       watch directory trees, including directories created later
              --fromfile <file>    read files to watch from <file> ('-' for standard input)
              -o|--outfile <file>  append events to <file> instead of standard output
              -s|--syslog          accepted; errors still go to standard error
              -q|--quiet           do not report setting up watches; twice: print nothing
              --format <fmt>       printf-like: %w watched path, %f name, %e events, %Xe events joined by X,
                                   %T time per --timefmt, %c cookie, %n newline, %0 NUL, %% percent
              --no-newline         no newline after each --format line
              --timefmt <fmt>      strftime format for %T
              -c|--csv             comma-separated output
              -t|--timeout <sec>   give up after <sec> seconds without an event (exit 2); 0 waits forever
              -e|--event <event>   listen for these events only (repeatable, comma-separated): access modify
                                   attrib close_write close_nowrite close open moved_to moved_from move
                                   move_self create delete delete_self unmount
              --stats              count events instead, as inotifywatch (see jrsync events --stats --help)
            Exit status: 0 an event asked for came, 1 another event or an error, 2 the timeout passed.
            """;

    static final String STATS = """
            Usage: jrsync events --stats [ options ] file1 [ file2 ] [ ... ]
            Counts inotify events per watched directory and prints inotifywatch's table.
              -r|--recursive          watch directory trees
              -e|--event <event>      count these events only (repeatable, comma-separated)
              -t|--timeout <sec>      stop after <sec> seconds (otherwise at interrupt)
              -a|--ascending <event>  sort ascending by this event's count ('total' for the total)
              -d|--descending <event> sort descending by this event's count (default: total)
              -z|--zero               also list events and paths with no hits
              -v|--verbose            report the number of watches
              --exclude, --excludei, --include, --includei, --fromfile, -P as for jrsync events
            """;
}
