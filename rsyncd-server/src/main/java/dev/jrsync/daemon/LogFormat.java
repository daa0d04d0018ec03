package dev.jrsync.daemon;

import dev.jrsync.core.Escaped;
import dev.jrsync.core.ListedEntry;
import dev.jrsync.flist.FileEntry;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;

/**
 * Expands a {@code log format} for one transferred file ({@code rsync/log.c:log_formatted}). Supported
 * escapes: {@code %o %b %l %n %f %i %h %a %m %u %t %p %P %L %M %B %U %G %%}, with an optional field width
 * ({@code %-10n}, {@code %10l}); unknown escapes are copied as they are.
 */
public final class LogFormat {
    private LogFormat() {}

    /** What the escapes refer to. */
    public record Item(String operation, FileEntry entry, long bytes, String itemize, String host, String addr,
                       String module, String modulePath, String user) {}

    public static String expand(String format, Item it) {
        StringBuilder out = new StringBuilder();
        int n = format.length();
        for (int i = 0; i < n; i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 >= n) {
                out.append(c);
                continue;
            }
            int start = i;
            int j = i + 1;
            boolean left = j < n && format.charAt(j) == '-';
            if (left) {
                j++;
            }
            int width = 0;
            while (j < n && Character.isDigit(format.charAt(j)) && width < 1000) {
                width = width * 10 + (format.charAt(j++) - '0');
            }
            if (j >= n) {
                out.append(format, start, n);
                break;
            }
            String v = value(format.charAt(j), it);
            if (v == null) {
                out.append(format, start, j + 1);
            } else {
                pad(out, v, width, left);
            }
            i = j;
        }
        return out.toString();
    }

    private static String value(char esc, Item it) {
        FileEntry e = it.entry();
        return switch (esc) {
            case '%' -> "%";
            case 'o' -> it.operation();
            case 'b' -> Long.toString(it.bytes());
            case 'l' -> Long.toString(e.size());
            case 'n' -> e.displayName() + (e.isDirectory() ? "/" : "");
            case 'f' -> it.module() + "/" + e.displayName();
            case 'i' -> it.itemize();
            case 'h' -> it.host();
            case 'a' -> it.addr();
            case 'm' -> it.module();
            case 'u' -> it.user();
            case 'p' -> Long.toString(ProcessHandle.current().pid());
            case 'P' -> it.modulePath();
            case 't' -> LocalDateTime.now().format(DaemonLog.STAMP);
            case 'L' -> e.isSymlink() ? " -> " + Escaped.of(e.linkTarget()) : "";
            case 'M' -> LocalDateTime.ofInstant(Instant.ofEpochSecond(e.mtime()), ZoneId.systemDefault())
                    .format(java.time.format.DateTimeFormatter.ofPattern("yyyy/MM/dd-HH:mm:ss"));
            case 'B' -> ListedEntry.permString(e.mode()).substring(1); // rsync: permstring past the type
            case 'U' -> Integer.toString(e.uid());
            case 'G' -> Integer.toString(e.gid());
            default -> null;
        };
    }

    private static void pad(StringBuilder out, String v, int width, boolean left) {
        int fill = Math.max(0, width - v.length());
        if (!left) {
            out.append(" ".repeat(fill));
        }
        out.append(v);
        if (left) {
            out.append(" ".repeat(fill));
        }
    }
}
