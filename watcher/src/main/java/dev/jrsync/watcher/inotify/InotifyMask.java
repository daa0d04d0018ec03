package dev.jrsync.watcher.inotify;

import java.util.Locale;

/** Mask constants and the textual event names used by inotifywait (both directions). */
public final class InotifyMask {
    private InotifyMask() {}

    public static final int ACCESS = 0x1;
    public static final int MODIFY = 0x2;
    public static final int ATTRIB = 0x4;
    public static final int CLOSE_WRITE = 0x8;
    public static final int CLOSE_NOWRITE = 0x10;
    public static final int OPEN = 0x20;
    public static final int MOVED_FROM = 0x40;
    public static final int MOVED_TO = 0x80;
    public static final int CREATE = 0x100;
    public static final int DELETE = 0x200;
    public static final int DELETE_SELF = 0x400;
    public static final int MOVE_SELF = 0x800;
    public static final int UNMOUNT = 0x2000;
    public static final int Q_OVERFLOW = 0x4000;
    public static final int IGNORED = 0x8000;
    public static final int ONLYDIR = 0x01000000;
    public static final int DONT_FOLLOW = 0x02000000;
    public static final int ISDIR = 0x40000000;
    public static final int ONESHOT = 0x80000000;
    public static final int CLOSE = CLOSE_WRITE | CLOSE_NOWRITE;
    public static final int MOVE = MOVED_FROM | MOVED_TO;
    public static final int ALL_EVENTS = 0xfff;

    /** inotifywait's order; CLOSE, MOVE_SELF and ISDIR come after the queue bits, as it prints them. */
    private static final int[] PRINT_BITS = {ACCESS, MODIFY, ATTRIB, CLOSE_WRITE, CLOSE_NOWRITE, OPEN, MOVED_FROM,
            MOVED_TO, CREATE, DELETE, DELETE_SELF, UNMOUNT, Q_OVERFLOW, IGNORED, CLOSE, MOVE_SELF, ISDIR, ONESHOT};
    private static final String[] PRINT_NAMES = {"ACCESS", "MODIFY", "ATTRIB", "CLOSE_WRITE", "CLOSE_NOWRITE", "OPEN",
            "MOVED_FROM", "MOVED_TO", "CREATE", "DELETE", "DELETE_SELF", "UNMOUNT", "Q_OVERFLOW", "IGNORED", "CLOSE",
            "MOVE_SELF", "ISDIR", "ONESHOT"};

    /** The mask as inotifywait spells it, names joined by {@code sep}; an unnamed mask prints as hex. */
    public static String names(int mask, char sep) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < PRINT_BITS.length; i++) {
            if ((mask & PRINT_BITS[i]) != 0) {
                if (!sb.isEmpty()) {
                    sb.append(sep);
                }
                sb.append(PRINT_NAMES[i]);
            }
        }
        return sb.isEmpty() ? String.format("0x%08x", mask) : sb.toString();
    }

    /**
     * Parses a comma-separated event list as {@code -e} accepts it (case-insensitive, CLOSE, MOVE and ALL_EVENTS
     * included).
     *
     * @throws IllegalArgumentException naming the first unknown word
     */
    public static int parse(String list) {
        int mask = 0;
        for (String word : list.split(",", -1)) {
            mask |= parseOne(word);
        }
        return mask;
    }

    private static int parseOne(String word) {
        return switch (word.toUpperCase(Locale.ROOT)) {
            case "ACCESS" -> ACCESS;
            case "MODIFY" -> MODIFY;
            case "ATTRIB" -> ATTRIB;
            case "CLOSE_WRITE" -> CLOSE_WRITE;
            case "CLOSE_NOWRITE" -> CLOSE_NOWRITE;
            case "OPEN" -> OPEN;
            case "MOVED_FROM" -> MOVED_FROM;
            case "MOVED_TO" -> MOVED_TO;
            case "CREATE" -> CREATE;
            case "DELETE" -> DELETE;
            case "DELETE_SELF" -> DELETE_SELF;
            case "UNMOUNT" -> UNMOUNT;
            case "Q_OVERFLOW" -> Q_OVERFLOW;
            case "IGNORED" -> IGNORED;
            case "CLOSE" -> CLOSE;
            case "MOVE_SELF" -> MOVE_SELF;
            case "MOVE" -> MOVE;
            case "ISDIR" -> ISDIR;
            case "ONESHOT" -> ONESHOT;
            case "ALL_EVENTS" -> ALL_EVENTS;
            default -> throw new IllegalArgumentException(word);
        };
    }
}
