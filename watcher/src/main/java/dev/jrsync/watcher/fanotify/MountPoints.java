package dev.jrsync.watcher.fanotify;

import dev.jrsync.core.PathBytes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The mount points strictly below a directory, from /proc/self/mountinfo: a filesystem mark sees only its own
 * filesystem, so a tree with other filesystems mounted inside it is not one mark's to watch.
 */
public final class MountPoints {
    private MountPoints() {}

    /** @param dir ends in '/' */
    public static List<String> below(String dir) throws IOException {
        return below(dir, Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.ISO_8859_1));
    }

    /** The fifth field of each line is the mount point, with space, tab, newline and backslash as octal escapes. */
    static List<String> below(String dir, List<String> mountinfo) {
        List<String> out = new ArrayList<>();
        for (String line : mountinfo) {
            String[] fields = line.split(" ");
            if (fields.length < 5) {
                continue;
            }
            String mountPoint = unescape(fields[4]);
            if (mountPoint.startsWith(dir) && mountPoint.length() > dir.length()) {
                out.add(mountPoint);
            }
        }
        return out;
    }

    private static String unescape(String field) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                bytes.write(Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                bytes.write(c);
            }
        }
        return PathBytes.text(bytes.toByteArray());
    }
}
