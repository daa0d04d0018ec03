package dev.jrsync.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The groups a user belongs to, as {@code getgrouplist(3)} finds them in {@code passwd(5)} and
 * {@code group(5)}: the primary group and every group listing the user. Used for {@code @group} entries
 * of {@code auth users} and the secrets file.
 */
public final class UnixGroups {
    private final Path passwd;
    private final Path group;

    public UnixGroups(Path passwd, Path group) {
        this.passwd = passwd;
        this.group = group;
    }

    public static UnixGroups system() {
        return new UnixGroups(Path.of("/etc/passwd"), Path.of("/etc/group"));
    }

    public Set<String> groupsOf(String user) {
        Set<String> names = new HashSet<>();
        String primaryGid = null;
        for (String line : lines(passwd)) {
            String[] f = line.split(":", -1);
            if (f.length > 3 && f[0].equals(user)) {
                primaryGid = f[3];
                break;
            }
        }
        for (String line : lines(group)) {
            String[] f = line.split(":", -1);
            if (f.length < 4) {
                continue;
            }
            if (f[2].equals(primaryGid) || List.of(f[3].split(",")).contains(user)) {
                names.add(f[0]);
            }
        }
        return names;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
    }
}
