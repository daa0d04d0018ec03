package dev.jrsync.cli.events;

import dev.jrsync.watcher.inotify.InotifyMask;
import dev.jrsync.watcher.tree.TreeEvent;

/**
 * inotifywait's output lines: the --format directives ({@code %w %f %e %Xe %T %c %n %0 %%}; anything else is
 * printed as is) and the --csv layout.
 */
final class EventFormatter {
    private EventFormatter() {}

    /** The default line, "%w %,e %f\n". */
    static final String DEFAULT_FORMAT = "%w %,e %f\n";

    static String format(TreeEvent e, String fmt, String time) {
        StringBuilder out = new StringBuilder();
        int n = fmt.length();
        for (int i = 0; i < n; i++) {
            char c = fmt.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (i == n - 1) {
                break;
            }
            char d = fmt.charAt(i + 1);
            switch (d) {
                case '%' -> out.append('%');
                case '0' -> out.append('\0');
                case 'n' -> out.append('\n');
                case 'w' -> out.append(e.watchPath());
                case 'f' -> out.append(e.name());
                case 'c' -> out.append(Integer.toHexString(e.cookie()));
                case 'e' -> out.append(InotifyMask.names(e.mask(), ','));
                case 'T' -> out.append(time);
                default -> {
                    if (i + 2 < n && fmt.charAt(i + 2) == 'e') {
                        out.append(InotifyMask.names(e.mask(), d));
                        i += 2;
                        continue;
                    }
                    out.append('%').append(d);
                }
            }
            i++;
        }
        return out.toString();
    }

    /** "watchpath,EVENTS,name" with RFC-4180-style quoting where a field needs it; an empty watch path is left out. */
    static String csv(TreeEvent e) {
        StringBuilder out = new StringBuilder();
        if (!e.watchPath().isEmpty()) {
            out.append(csvField(e.watchPath())).append(',');
        }
        out.append(csvField(InotifyMask.names(e.mask(), ','))).append(',');
        out.append(csvField(e.name())).append('\n');
        return out.toString();
    }

    static String csvField(String s) {
        if (s.isEmpty()) {
            return s;
        }
        boolean quote = s.indexOf('"') >= 0 || s.indexOf(',') >= 0 || s.indexOf('\n') >= 0 || s.charAt(0) == ' '
                || s.charAt(s.length() - 1) == ' ';
        return quote ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}
