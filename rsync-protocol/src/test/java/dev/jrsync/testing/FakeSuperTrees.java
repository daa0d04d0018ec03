package dev.jrsync.testing;

import dev.jrsync.fs.LocalStat;
import dev.jrsync.fs.Posix;
import dev.jrsync.fs.StatXattr;
import dev.jrsync.fs.Xattrs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The tree the fake super tests copy, holding what only root may set (a setuid file, a sticky directory, a FIFO,
 * a device node, other owners), and a view of a fake super copy as a user inspects it: each stored file's real
 * kind, mode, owner, size and data, and its {@code user.rsync.%stat} attribute, byte for byte.
 */
public final class FakeSuperTrees {
    /** The owner given to the source tree when the tests run as root. */
    public static final int OWNER = 1234;
    public static final int GROUP = 5678;
    /** The device node, made only when the tests run as root: char device 4,5 (never opened). */
    public static final String DEVICE = "tty45";
    public static final int DEVICE_MAJOR = 4;
    public static final int DEVICE_MINOR = 5;

    private FakeSuperTrees() {
    }

    /**
     * Fills {@code root}: {@code su} (04755), {@code private/secret.txt} in a 0750 directory, {@code shared/}
     * (01777), {@code fifo} (0640), {@code link -> su}, and as root the device {@link #DEVICE} with everything
     * owned by {@link #OWNER}:{@link #GROUP}. Returns the names left out, with why.
     */
    public static List<String> buildPrivileged(Path root) throws IOException {
        Files.createDirectories(root.resolve("private"));
        Files.createDirectories(root.resolve("shared"));
        Files.writeString(root.resolve("su"), "#!/bin/sh\necho set-uid\n");
        Files.writeString(root.resolve("private/secret.txt"), "only for the group\n");
        Posix.mkfifo(root.resolve("fifo"), 0640);
        Posix.symlink("su".getBytes(StandardCharsets.US_ASCII), root.resolve("link"));
        Posix.chmod(root.resolve("private/secret.txt"), 0640);
        Posix.chmod(root.resolve("private"), 0750);
        Posix.chmod(root.resolve("shared"), 01777);
        Posix.chmod(root, 0755);
        List<String> omitted = List.of();
        if (CurrentUser.isRoot()) {
            Posix.mknod(root.resolve(DEVICE), LocalStat.S_IFCHR | 0620, Posix.makedev(DEVICE_MAJOR, DEVICE_MINOR));
            Posix.chmod(root.resolve(DEVICE), 0620); // past the umask
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path p : walk.toList()) {
                    Posix.lchown(p, OWNER, GROUP);
                }
            }
        } else {
            omitted = List.of(DEVICE + ": only root can make a device node");
        }
        // chown cleared the setuid bit
        Posix.chmod(root.resolve("su"), 04755);
        Instant past = Instant.parse("2022-01-02T03:04:05.5Z");
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                Posix.setMtime(p, past.getEpochSecond(), past.getNano());
            }
        }
        return omitted;
    }

    /**
     * Every entry below {@code root} (and "." for {@code root}): "kind+mode uid:gid size data %stat" of the file
     * as stored, where the mode is octal with its type bits, data a short hash of a regular file's bytes, and
     * %stat the attribute's value or "-" when the file has none.
     */
    public static Map<String, String> stored(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                LocalStat st = LocalStat.of(p);
                byte[] x = st.isSymlink() ? null : Xattrs.lget(p, StatXattr.NAME, StatXattr.MAX_LENGTH);
                String rel = p.equals(root) ? "." : root.relativize(p).toString();
                out.put(rel, Integer.toOctalString(st.mode()) + " " + st.uid() + ":" + st.gid() + " " + st.size()
                        + " " + (st.isRegular() ? sha(p) : "-") + " "
                        + (x == null ? "-" : new String(x, StandardCharsets.ISO_8859_1)));
            }
        }
        return out;
    }

    private static String sha(Path p) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
