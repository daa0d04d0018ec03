package dev.jrsync.options;

import dev.jrsync.options.ServerArgsGoldens.Direction;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * The deliberate differences between what jrsync and a stock client send a daemon: capability letters after
 * "-e." that stock offers and jrsync leaves out ({@code rsync/options.c:maybe_add_e_option}). Everything else
 * in the server argument list must match stock exactly, so any new difference fails the golden test until it
 * is either fixed or listed here with its reason.
 */
enum CapabilityDeviation {
    /** CF_SYMLINK_TIMES: jrsync does not set the times of symlinks, so it does not offer to. */
    SYMLINK_TIMES('L', (o, direction) -> true),
    /** CF_SYMLINK_ICONV: jrsync has no --iconv, so symlink targets are never converted. */
    SYMLINK_ICONV('s', (o, direction) -> true),
    /**
     * CF_INC_RECURSE for a listing: jrsync's lister takes the whole file list at once, so it asks the daemon not
     * to send it directory by directory (see {@link ServerArgs#capabilities}); a stock client would accept that.
     */
    INC_RECURSE_WHEN_LISTING('i', (o, direction) -> direction.serverIsSender() && o.isListOnly());

    final char letter;
    private final BiPredicate<Options, Direction> when;

    CapabilityDeviation(char letter, BiPredicate<Options, Direction> when) {
        this.letter = letter;
        this.when = when;
    }

    /** Whether jrsync leaves the letter out for these options and direction. */
    boolean appliesTo(Options o, Direction direction) {
        return when.test(o, direction);
    }

    /** The stock list as jrsync is to send it: each deviation's letter removed from the capability string. */
    static List<String> applyTo(List<String> stock, Options o, Direction direction) {
        List<String> out = new ArrayList<>(stock);
        int at = flagIndex(stock);
        if (at < 0) {
            return out; // below protocol 30 there is no capability string
        }
        String flags = stock.get(at);
        int e = flags.indexOf("e.");
        StringBuilder caps = new StringBuilder();
        for (char c : flags.substring(e + 2).toCharArray()) {
            boolean dropped = false;
            for (CapabilityDeviation d : values()) {
                dropped |= d.letter == c && d.appliesTo(o, direction);
            }
            if (!dropped) {
                caps.append(c);
            }
        }
        out.set(at, flags.substring(0, e + 2) + caps);
        return out;
    }

    /** The letters after "e." in a server argument list, "" when it has none. */
    static String capabilities(List<String> serverArgs) {
        int at = flagIndex(serverArgs);
        return at < 0 ? "" : serverArgs.get(at).substring(serverArgs.get(at).indexOf("e.") + 2);
    }

    /** The index of the single-letter bundle carrying "e.", or -1. */
    private static int flagIndex(List<String> serverArgs) {
        for (int i = 0; i < serverArgs.size() && !serverArgs.get(i).equals("."); i++) {
            String a = serverArgs.get(i);
            if (a.startsWith("-") && !a.startsWith("--") && a.contains("e.")) {
                return i;
            }
        }
        return -1;
    }
}
