package dev.jrsync.core;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * Expands an rsync log format for one item ({@code rsync/log.c:log_formatted}): the client's {@code --out-format}
 * and {@code --log-file-format}, and a daemon's {@code log format}. Each escape may carry apostrophes (numbers
 * with separators, then in units of 1000, then 1024), a {@code -} and a width, as rsync reads them; an escape
 * rsync does not know, or one whose value this side has not got (a client's {@code %h}), stays as it is written.
 */
public final class LogFormat {
    private LogFormat() {}

    /** rsync's timestring(): local time, as the log's lines and {@code %t} show it. */
    public static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss");

    // rsync's fmt[LOG_FMT_SIZE]: the '%', the '-' and the width digits stop 8 short of its 32 bytes
    private static final int MAX_SPEC = 32 - 8;

    /**
     * Who the session is with ({@code %h %a %m %P %u}); a null field has no value here and its escape stays as
     * written, as rsync leaves a client's {@code %h}.
     */
    public record Session(String host, String addr, String module, String modulePath, String user) {
        /** A client's: rsync prints an empty {@code %m} and keeps the other escapes. */
        public static final Session CLIENT = new Session(null, null, "", null, null);
    }

    /**
     * What one item's escapes show.
     *
     * @param operation     {@code %o}: "send", "recv" or "del."
     * @param name          {@code %n}: the name as printed, a directory's ending in "/"
     * @param path          {@code %f}: the name with the directory it was sent from or received into
     * @param itemize       {@code %i}: the eleven-letter change string, or "*deleting  "
     * @param uid           {@code %U}; null when owners are not kept (rsync prints 0)
     * @param gid           {@code %G}; null when groups are not kept (rsync prints "DEFAULT")
     * @param linkTarget    a symlink's target for {@code %L}, escaped; null for anything else
     * @param hardLinkTo    the name a hard link was made to, for {@code %L}; null for none
     * @param bytes         {@code %b}: the item's bytes this side wrote (a sender) or read (a receiver)
     * @param checksumBytes {@code %c}: the bytes the other way, the checksums
     * @param checksum      {@code %C}: the file's checksum in hex, or the blanks rsync prints when it has none
     */
    public record Item(String operation, String name, String path, String itemize, int mode, long size,
                       long mtime, Integer uid, Integer gid, String linkTarget, String hardLinkTo, long bytes,
                       long checksumBytes, String checksum, Session session) {}

    /** The line {@code format} makes of {@code item}, without its line end. */
    public static String expand(String format, Item item) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < format.length()) {
            char c = format.charAt(i);
            if (c != '%') {
                out.append(c);
                i++;
                continue;
            }
            Escape e = Escape.at(format, i);
            String v = e.letter() < format.length() ? value(format.charAt(e.letter()), e.spec(), e.humanize(), item)
                    : null;
            if (v == null) {
                // rsync goes on from the letter: the '%' and its modifiers stay as they are
                out.append(format, i, e.letter());
                i = e.letter();
            } else {
                out.append(v);
                i = e.letter() + 1;
            }
        }
        return out.toString();
    }

    /** Whether {@code format} has the escape {@code esc} ({@code rsync/log.c:log_format_has}). */
    public static boolean has(String format, char esc) {
        if (format == null) {
            return false;
        }
        for (int i = format.indexOf('%'); i >= 0; i = format.indexOf('%', i)) {
            Escape e = Escape.at(format, i);
            if (e.letter() >= format.length()) {
                return false;
            }
            char c = format.charAt(e.letter());
            if (c == esc) {
                return true;
            }
            i = c == '%' ? e.letter() + 1 : e.letter();
        }
        return false;
    }

    /** One escape as rsync reads it: apostrophes, an optional '-' and width, apostrophes, then the letter. */
    private record Escape(String spec, int humanize, int letter) {
        static Escape at(String format, int percent) {
            int n = format.length();
            int j = percent + 1;
            int humanize = 0;
            while (j < n && format.charAt(j) == '\'') {
                humanize++;
                j++;
            }
            int specStart = j;
            if (j < n && format.charAt(j) == '-') {
                j++;
            }
            while (j < n && Character.isDigit(format.charAt(j)) && 1 + j - specStart < MAX_SPEC) {
                j++;
            }
            String spec = format.substring(specStart, j);
            while (j < n && format.charAt(j) == '\'') {
                humanize++;
                j++;
            }
            return new Escape(spec, humanize, j);
        }
    }

    private static String value(char esc, String spec, int humanize, Item it) {
        Session s = it.session();
        return switch (esc) {
            case '%' -> pad("%", spec);
            case 'o' -> pad(it.operation(), spec);
            case 'n' -> pad(it.name(), spec);
            case 'f' -> pad(it.path(), spec);
            case 'i' -> pad(it.itemize(), spec);
            case 'l' -> pad(ListedEntry.bigNumber(it.size(), humanize), spec);
            case 'b' -> pad(ListedEntry.bigNumber(it.bytes(), humanize), spec);
            case 'c' -> pad(ListedEntry.bigNumber(it.checksumBytes(), humanize), spec);
            case 'p' -> number(ProcessHandle.current().pid(), spec);
            case 'U' -> number(it.uid() == null ? 0 : it.uid() & 0xFFFFFFFFL, spec);
            case 'G' -> it.gid() == null ? pad("DEFAULT", spec) : number(it.gid() & 0xFFFFFFFFL, spec);
            case 'B' -> pad(ListedEntry.permString(it.mode()).substring(1), spec); // permstring past the type
            case 'M' -> pad(LocalDateTime.ofInstant(Instant.ofEpochSecond(it.mtime()), ZoneId.systemDefault())
                    .format(STAMP).replace(' ', '-'), spec);
            case 't' -> pad(LocalDateTime.now().format(STAMP), spec);
            case 'L' -> link(it, spec);
            // rsync pads a sum, never the blanks that stand for none
            case 'C' -> it.checksum().isBlank() ? it.checksum() : pad(it.checksum(), spec);
            case 'h' -> pad(s.host(), spec);
            case 'a' -> pad(s.addr(), spec);
            case 'm' -> pad(s.module(), spec);
            case 'P' -> pad(s.modulePath(), spec);
            case 'u' -> pad(s.user(), spec);
            default -> null;
        };
    }

    // the width goes on the name after the arrow; a width with nothing to show still makes room for an arrow
    private static String link(Item it, String spec) {
        if (it.hardLinkTo() != null && !it.hardLinkTo().isEmpty()) {
            return " => " + pad(it.hardLinkTo(), spec);
        }
        if (it.linkTarget() != null) {
            return " -> " + pad(it.linkTarget(), spec);
        }
        return spec.isEmpty() ? "" : "    " + pad("", spec);
    }

    /** printf's %s with rsync's width: right-aligned, or left with a '-'; a leading 0 pads with blanks still. */
    private static String pad(String v, String spec) {
        if (v == null || spec.isEmpty()) {
            return v;
        }
        boolean left = spec.charAt(0) == '-';
        String digits = left ? spec.substring(1) : spec;
        int width = digits.isEmpty() ? 0 : Integer.parseInt(digits.length() > 9 ? "999999999" : digits);
        int fill = Math.max(0, Math.min(width, 4096) - v.length());
        return left ? v + " ".repeat(fill) : " ".repeat(fill) + v;
    }

    /** printf's %d and %u, where a width that starts with 0 pads with zeros. */
    private static String number(long v, String spec) {
        String digits = Long.toString(v);
        if (!spec.startsWith("0")) {
            return pad(digits, spec);
        }
        int width = Math.min(4096, Integer.parseInt(spec.length() > 9 ? "999999999" : spec));
        return "0".repeat(Math.max(0, width - digits.length())) + digits;
    }

    /** What {@code %C} shows for a file without a checksum: rsync's blanks. */
    public static final String NO_CHECKSUM = " ".repeat(32);

    /** A session's item as {@code format} shows it on a client ({@code rsync/log.c:log_formatted}). */
    public static String item(String format, ItemEvent item, boolean owners, boolean groups) {
        return expand(format, new Item(item.operation(), item.name(), item.path(), item.changes(), item.mode(),
                item.size(), item.mtime(), owners ? item.uid() : null, groups ? item.gid() : null, item.linkTarget(),
                item.hardLinkTo(), item.bytes(), 0, item.checksum() != null ? item.checksum() : NO_CHECKSUM,
                Session.CLIENT));
    }

    /**
     * A deletion as {@code format} shows it ({@code rsync/log.c:log_delete}); a format without %o or %i could not
     * tell a deletion from a transfer, so rsync's "deleting %n" stands in for it.
     */
    public static String deletion(String format, String name, boolean owners, boolean groups) {
        boolean dir = name.endsWith("/");
        String bare = dir ? name.substring(0, name.length() - 1) : name;
        boolean tells = has(format, 'i') || has(format, 'o');
        return expand(tells ? format : "deleting %n", new Item("del.", name, bare, "*deleting  ",
                dir ? 040000 : 0100000, 0, 0, owners ? 0 : null, groups ? 0 : null, null, null, 0, 0, NO_CHECKSUM,
                Session.CLIENT));
    }
}
