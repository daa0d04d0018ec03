package dev.jrsync.session;

import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import java.util.ArrayList;
import java.util.List;

/** {@code --chmod} rules ({@code rsync/chmod.c:parse_chmod}, {@code tweak_mode}). */
final class ChmodSpec {
    private record Item(int which, char op, int who, int bits, boolean conditionalX, int octal) {}

    private static final int DIRS = 1;
    private static final int FILES = 2;
    private final List<Item> items;

    private ChmodSpec(List<Item> items) {
        this.items = items;
    }

    static ChmodSpec parse(List<String> specs) {
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
                    items.add(new Item(which, '=', 0, 0, false, Integer.parseInt(s, 8) & 07777));
                    continue;
                }
                int i = 0;
                int who = 0;
                while (i < s.length() && "ugoa".indexOf(s.charAt(i)) >= 0) {
                    who |= switch (s.charAt(i)) {
                        case 'u' -> 04700;
                        case 'g' -> 02070;
                        case 'o' -> 01007;
                        default -> 07777;
                    };
                    i++;
                }
                if (who == 0) {
                    who = 07777; // rsync applies a wholess item to all (no umask filtering)
                }
                if (i >= s.length() || "+-=".indexOf(s.charAt(i)) < 0) {
                    throw new RsyncException(ExitCode.SYNTAX, "Invalid argument passed to --chmod (" + raw + ")");
                }
                char op = s.charAt(i++);
                int bits = 0;
                boolean condX = false;
                for (; i < s.length(); i++) {
                    switch (s.charAt(i)) {
                        case 'r' -> bits |= 0444;
                        case 'w' -> bits |= 0222;
                        case 'x' -> bits |= 0111;
                        case 'X' -> condX = true;
                        case 's' -> bits |= 06000;
                        case 't' -> bits |= 01000;
                        default -> throw new RsyncException(ExitCode.SYNTAX,
                                "Invalid argument passed to --chmod (" + raw + ")");
                    }
                }
                items.add(new Item(which, op, who, bits, condX, -1));
            }
        }
        return new ChmodSpec(items);
    }

    int apply(int mode, boolean isDir) {
        for (Item it : items) {
            if ((it.which() & (isDir ? DIRS : FILES)) == 0) {
                continue;
            }
            if (it.octal() >= 0) {
                mode = it.octal();
                continue;
            }
            int bits = it.bits();
            if (it.conditionalX() && (isDir || (mode & 0111) != 0)) {
                bits |= 0111;
            }
            bits &= it.who();
            switch (it.op()) {
                case '+' -> mode |= bits;
                case '-' -> mode &= ~bits;
                default -> mode = (mode & ~(it.who() & 07777)) | bits;
            }
        }
        return mode & 07777;
    }
}
