package dev.jrsync.flist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link IdNames} from {@code passwd(5)}/{@code group(5)} files. The JDK has no uid-to-name lookup,
 * and these files are what {@code getpwuid}/{@code getgrgid} read on an ordinary host (NSS sources
 * such as LDAP are not consulted).
 */
final class EtcIdNames {
    private EtcIdNames() {}

    private static volatile IdNames system;

    static IdNames system() {
        IdNames s = system;
        if (s == null) {
            s = load(Path.of("/etc/passwd"), Path.of("/etc/group"));
            system = s;
        }
        return s;
    }

    /** Reads both files; a missing or unreadable file just means no names. */
    static IdNames load(Path passwd, Path group) {
        return IdNames.of(parse(passwd), parse(group));
    }

    /** Lines {@code name:password:id:...}; the first line for an id wins, as with getpwuid. */
    private static Map<Integer, String> parse(Path file) {
        Map<Integer, String> byId = new LinkedHashMap<>();
        String text;
        try {
            text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return byId;
        }
        for (String line : text.split("\n")) {
            String[] f = line.split(":", 4);
            if (f.length < 3 || f[0].isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                long id = Long.parseLong(f[2]);
                if (id >= 0 && id <= 0xFFFFFFFFL) {
                    byId.putIfAbsent((int) id, f[0]);
                }
            } catch (NumberFormatException e) {
                // not an account line (e.g. an NIS "+" entry): no name for it
            }
        }
        return byId;
    }
}
