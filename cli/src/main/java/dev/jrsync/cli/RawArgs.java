package dev.jrsync.cli;

import dev.jrsync.core.PathBytes;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The command line as the bytes it was typed in ({@code rsync/main.c:main} takes {@code argv} as it is). The
 * JVM decodes each argument with the file-name charset before {@code main} sees it, so one that is not valid
 * there (Latin-1 {@code caf\xe9} under a UTF-8 locale) arrives as {@code caf\uFFFD} and names another file.
 * Linux keeps the bytes in {@code /proc/self/cmdline}, each argument ended by a NUL, the JVM's own options
 * first and {@code main}'s last. Each of those becomes {@link PathBytes#text}, which maps back to the same
 * bytes wherever a name is made of it.
 */
final class RawArgs {
    private static final Path CMDLINE = Path.of("/proc/self/cmdline");
    /** How the launcher decoded the arguments ({@code LauncherHelper.makePlatformString}). */
    private static final Charset JNU =
            Charset.forName(System.getProperty("sun.jnu.encoding"), StandardCharsets.UTF_8);

    private RawArgs() {}

    /** {@code args} with each argument the JVM could not decode as its bytes; {@code args} itself otherwise. */
    static String[] of(String[] args) {
        if (!anyUndecodable(args)) {
            return args; // nothing was replaced: no need to read the command line
        }
        try {
            return of(args, Files.readAllBytes(CMDLINE));
        } catch (IOException | SecurityException e) {
            return args; // no /proc: the decoded arguments are all there is
        }
    }

    /**
     * {@code args} as the last {@code args.length} arguments of {@code cmdline} give them; {@code args} itself
     * unless each of those decodes, as the launcher decodes it, to its counterpart in {@code args} (this
     * process was not started with these arguments as its last ones).
     */
    static String[] of(String[] args, byte[] cmdline) {
        List<byte[]> all = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < cmdline.length; i++) {
            if (cmdline[i] == 0) {
                all.add(Arrays.copyOfRange(cmdline, start, i));
                start = i + 1;
            }
        }
        if (all.size() < args.length) {
            return args;
        }
        List<byte[]> mine = all.subList(all.size() - args.length, all.size());
        String[] raw = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            if (!new String(mine.get(i), JNU).equals(args[i])) {
                return args;
            }
            raw[i] = PathBytes.text(mine.get(i));
        }
        return raw;
    }

    private static boolean anyUndecodable(String[] args) {
        for (String a : args) {
            if (a.indexOf('\uFFFD') >= 0) {
                return true;
            }
        }
        return false;
    }
}
