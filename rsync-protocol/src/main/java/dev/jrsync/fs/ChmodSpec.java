package dev.jrsync.fs;

import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --chmod} rules ({@code rsync/chmod.c:parse_chmod}, {@code tweak_mode}): each item an AND and an OR mask
 * on the permission bits. An item that names no one ({@code +w}, not {@code u+w}) is filtered by the umask, as
 * chmod(1) does.
 */
public final class ChmodSpec {
    /**
     * @param which   the kinds it applies to: {@link #DIRS}, {@link #FILES} or both
     * @param keepX   {@code X}: execute bits only for directories and files that have one already
     * @param octal   a whole mode given in octal, or -1
     * @param copyFrom rsync 3.5's {@code g=o}/{@code u+g}: the class (0100, 0010 or 0001) whose bits are copied,
     *                 or 0
     * @param copyTo   the classes they are copied to
     * @param copyMask what of the copy is kept (the umask's complement for an item naming no one)
     * @param removes  {@code -}: the copied bits are taken away instead
     */
    private record Item(int which, int and, int or, boolean keepX, int octal, int copyFrom, int copyTo, int copyMask,
                        boolean removes) {
        Item(int which, int octal) {
            this(which, 0, 0, false, octal, 0, 0, 0, false);
        }

        /** rsync/chmod.c:mode_copy_bits. */
        int copied(int mode) {
            int bits = ((copyFrom & 0100) != 0 ? mode >> 6 & 7 : 0) | ((copyFrom & 0010) != 0 ? mode >> 3 & 7 : 0)
                    | ((copyFrom & 0001) != 0 ? mode & 7 : 0);
            return copyTo * bits & copyMask;
        }
    }

    private static final int DIRS = 1;
    private static final int FILES = 2;
    private final List<Item> items;

    private ChmodSpec(List<Item> items) {
        this.items = items;
    }

    /** No rules: every mode stays as it is. */
    public static final ChmodSpec NONE = new ChmodSpec(List.of());

    /** This process's umask ({@code orig_umask}), read once: Java has no call that reads it without setting it. */
    public static final int PROCESS_UMASK = readUmask();

    /** The rules of {@code --chmod} arguments; an item naming no one is filtered by {@code umask}. */
    public static ChmodSpec parse(List<String> specs, int umask) {
        List<Item> items = new ArrayList<>();
        for (String spec : specs) {
            for (String raw : spec.split(",")) {
                String s = raw.trim();
                if (s.isEmpty()) {
                    continue;
                }
                int which = DIRS | FILES;
                if (s.charAt(0) == 'D') {
                    which = DIRS;
                    s = s.substring(1);
                } else if (s.charAt(0) == 'F') {
                    which = FILES;
                    s = s.substring(1);
                }
                if (!s.isEmpty() && Character.isDigit(s.charAt(0))) {
                    items.add(new Item(which, Integer.parseInt(s, 8) & 07777));
                    continue;
                }
                items.add(symbolic(raw, s, which, umask));
            }
        }
        return new ChmodSpec(items);
    }

    private static Item symbolic(String raw, String s, int which, int umask) {
        int i = 0;
        int where = 0;
        int topBits = 0;
        for (; i < s.length() && "ugoa".indexOf(s.charAt(i)) >= 0; i++) {
            switch (s.charAt(i)) {
                case 'u' -> {
                    where |= 0100;
                    topBits |= 04000;
                }
                case 'g' -> {
                    where |= 0010;
                    topBits |= 02000;
                }
                case 'o' -> where |= 0001;
                default -> {
                    // rsync 3.5's parse_chmod, as chmod(1): "a+s" is both set-id bits (3.2.7 set only setuid)
                    where |= 0111;
                    topBits |= 06000;
                }
            }
        }
        if (i >= s.length() || "+-=".indexOf(s.charAt(i)) < 0) {
            throw invalid(raw);
        }
        char op = s.charAt(i++);
        int what = 0;
        int topOct = 0;
        int copyFrom = 0;
        boolean keepX = false;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (copyFrom != 0 || "ugo".indexOf(c) >= 0 && (what != 0 || topOct != 0)) {
                throw invalid(raw); // a class to copy stands alone after the operator
            }
            switch (c) {
                case 'r' -> what |= 4;
                case 'w' -> what |= 2;
                case 'X' -> {
                    keepX = true;
                    what |= 1;
                }
                case 'x' -> what |= 1;
                case 's' -> topOct = topBits != 0 ? topOct | topBits : 04000;
                case 't' -> topOct |= 01000;
                case 'u' -> copyFrom = 0100;
                case 'g' -> copyFrom = 0010;
                case 'o' -> copyFrom = 0001;
                default -> throw invalid(raw);
            }
        }
        int copyMask = where != 0 ? 07777 : ~umask;
        int bits;
        if (where != 0) {
            bits = where * what;
        } else {
            where = 0111;
            bits = where * what & ~umask;
        }
        // "=" clears what it copies onto, the classes' special bits too when it copies (mode_dest_special_bits)
        int special = copyFrom == 0 ? 0 : ((where & 0100) != 0 ? 04000 : 0) | ((where & 0010) != 0 ? 02000 : 0)
                | ((where & 0001) != 0 ? 01000 : 0);
        return switch (op) {
            case '+' -> new Item(which, 07777, bits | topOct, keepX, -1, copyFrom, where, copyMask, false);
            case '-' -> new Item(which, 07777 & ~(bits | topOct), 0, keepX, -1, copyFrom, where, copyMask, true);
            default -> new Item(which, 07777 & ~(where * 7) & ~(topOct != 0 ? topBits : 0) & ~special, bits | topOct,
                    keepX, -1, copyFrom, where, copyMask, false);
        };
    }

    private static RsyncException invalid(String raw) {
        return new RsyncException(ExitCode.SYNTAX, "Invalid argument passed to --chmod (" + raw + ")");
    }

    /** Whether there are no rules at all. */
    public boolean isEmpty() {
        return items.isEmpty();
    }

    /** The permission bits {@code mode} ends with ({@code tweak_mode}), for a directory or anything else. */
    public int apply(int mode, boolean isDir) {
        boolean hadX = (mode & 0111) != 0;
        for (Item it : items) {
            if ((it.which() & (isDir ? DIRS : FILES)) == 0) {
                continue;
            }
            if (it.octal() >= 0) {
                mode = it.octal();
                continue;
            }
            int copied = it.copied(mode);
            mode &= it.and();
            mode |= it.keepX() && !hadX && !isDir ? it.or() & ~0111 : it.or();
            mode = it.removes() ? mode & ~copied : mode | copied;
        }
        return mode & 07777;
    }

    private static int readUmask() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Umask:")) {
                    return Integer.parseInt(line.substring(6).trim(), 8);
                }
            }
        } catch (IOException | NumberFormatException ex) {
            // fall through to the usual default
        }
        return 022;
    }
}
