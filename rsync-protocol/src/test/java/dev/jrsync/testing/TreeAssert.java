package dev.jrsync.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.core.Escaped;
import dev.jrsync.core.PathBytes;
import dev.jrsync.fs.Xattrs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Compares two directory trees the way a user would judge an rsync copy: same names, same kinds, same bytes,
 * same permission bits, same mtimes, same symlink targets (and optionally owners). Symlinks are never followed.
 * Failures list the first {@value #MAX_REPORTED} differences, one per line, named by relative path (escaped
 * as rsync prints names, so two names that differ only in bytes that are not UTF-8 stay two).
 */
public final class TreeAssert {

    /** How many differences a failure message lists. */
    public static final int MAX_REPORTED = 25;

    /** Relaxations and extra checks for {@link #assertIdentical}. */
    public enum Option {
        /** Compare mtimes to the nanosecond instead of to the second. */
        NANOSECONDS,
        /** Skip mtimes of all directories (rsync without {@code -t}, or a receiver that touched them). */
        IGNORE_DIR_MTIMES,
        /** Skip only the mtime of the top directory, which a daemon module or a fresh destination may change. */
        IGNORE_ROOT_MTIME,
        /** Skip symlinks' own mtimes. */
        IGNORE_SYMLINK_MTIMES,
        /** Skip all mtimes. */
        IGNORE_MTIMES,
        /** Skip permission bits. */
        IGNORE_PERMISSIONS,
        /** Also compare numeric uid and gid. */
        OWNERSHIP
    }

    /** The kind of a tree entry, from the file-type bits of {@code st_mode}. */
    public enum Kind { FILE, DIRECTORY, SYMLINK, FIFO, SOCKET, CHAR_DEVICE, BLOCK_DEVICE, UNKNOWN }

    private static final int S_IFMT = 0170000;

    /** What is compared about one entry; content hashes are computed only when sizes already agree. */
    private record Entry(Path path, Kind kind, long size, int permissions, FileTime mtime, int uid, int gid,
                         long rdev, String linkTarget) {
    }

    private TreeAssert() {
    }

    /** Fails with a list of differences unless {@code actual} is identical to {@code expected}. */
    public static void assertIdentical(Path expected, Path actual, Option... options) {
        List<String> diffs = differences(expected, actual, options);
        if (!diffs.isEmpty()) {
            StringBuilder msg = new StringBuilder();
            msg.append("trees differ: ").append(diffs.size()).append(" difference(s)\n  expected: ")
                    .append(expected).append("\n  actual:   ").append(actual).append('\n');
            diffs.stream().limit(MAX_REPORTED).forEach(d -> msg.append("  - ").append(d).append('\n'));
            if (diffs.size() > MAX_REPORTED) {
                msg.append("  ... and ").append(diffs.size() - MAX_REPORTED).append(" more\n");
            }
            throw new AssertionError(msg.toString());
        }
    }

    /** Every difference between the trees, in name order; empty when identical under {@code options}. */
    public static List<String> differences(Path expected, Path actual, Option... options) {
        Set<Option> opts = options.length == 0 ? EnumSet.noneOf(Option.class) : EnumSet.of(options[0], options);
        Map<String, Entry> exp = scan(expected);
        Map<String, Entry> act = scan(actual);
        List<String> diffs = new ArrayList<>();
        Set<String> names = new TreeSet<>(exp.keySet());
        names.addAll(act.keySet());
        for (String name : names) {
            Entry e = exp.get(name);
            Entry a = act.get(name);
            if (a == null) {
                diffs.add(name + ": missing (expected " + describe(e) + ")");
            } else if (e == null) {
                diffs.add(name + ": unexpected " + describe(a));
            } else {
                compare(name, e, a, opts, diffs);
            }
        }
        return diffs;
    }

    /**
     * {@link #differences} of trees that may be changing under the walk (a live mirror's): an entry gone while it
     * was read makes one difference, not a failure.
     */
    public static List<String> differencesWhileChanging(Path expected, Path actual, Option... options) {
        try {
            return differences(expected, actual, options);
        } catch (UncheckedIOException e) {
            return List.of("changing during the comparison: " + e.getMessage());
        }
    }

    /**
     * The comparison a user would make of a copy made with {@code -a}: nanosecond mtimes, {@code extra}, and
     * owners when the tests run as root (only root can give files away).
     */
    public static Option[] exact(Option... extra) {
        EnumSet<Option> options = EnumSet.of(Option.NANOSECONDS);
        options.addAll(List.of(extra));
        if (CurrentUser.isRoot()) {
            options.add(Option.OWNERSHIP);
        }
        return options.toArray(Option[]::new);
    }

    /** How many regular files the tree under {@code root} holds (symlinks to files not counted). */
    public static long regularFiles(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).count();
        }
    }

    /** Fails when a temporary file ({@code .NAME.XXXXXX}, as rsync and jrsync name them) is left under {@code root}. */
    public static void assertNoTempFiles(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            List<Path> temps = s.filter(p -> p.getFileName().toString().matches("\\..*\\.[A-Za-z0-9]{6}")).toList();
            assertTrue(temps.isEmpty(), () -> "temp files left: " + temps);
        }
    }

    /** Whether {@code a} and {@code b} (symlinks not followed) are one file: hard links of each other. */
    public static boolean sameInode(Path a, Path b) {
        try {
            return Files.getAttribute(a, "unix:ino", LinkOption.NOFOLLOW_LINKS)
                    .equals(Files.getAttribute(b, "unix:ino", LinkOption.NOFOLLOW_LINKS))
                    && Files.getAttribute(a, "unix:dev", LinkOption.NOFOLLOW_LINKS)
                    .equals(Files.getAttribute(b, "unix:dev", LinkOption.NOFOLLOW_LINKS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The tree's hard-link structure as a user sees it with {@code ls -i}: the sets of names (relative, sorted)
     * that share an inode, for every inode with more than one name in the tree.
     */
    public static Set<Set<String>> hardLinkGroups(Path root) {
        Map<Object, Set<String>> byInode = new TreeMap<>(Comparator.comparing(Object::toString));
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    Object inode = List.of(Files.getAttribute(p, "unix:dev", LinkOption.NOFOLLOW_LINKS),
                            Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS));
                    byInode.computeIfAbsent(inode, k -> new TreeSet<>()).add(root.relativize(p).toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<Set<String>> groups = new TreeSet<>(Comparator.comparing(Object::toString));
        byInode.values().stream().filter(g -> g.size() > 1).forEach(groups::add);
        return groups;
    }

    /**
     * Every entry's {@code user.*} extended attributes, as {@code getfattr -d -e hex} would show them: relative name
     * (the root is "."), then attribute name (bytes as Latin-1) to the value in hex.
     */
    public static Map<String, Map<String, String>> userXattrs(Path root) {
        Map<String, Map<String, String>> all = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Map<String, String> attrs = new TreeMap<>();
                for (byte[] name : Xattrs.llist(p)) {
                    String shown = new String(name, java.nio.charset.StandardCharsets.ISO_8859_1);
                    if (shown.startsWith("user.")) {
                        attrs.put(shown, HexFormat.of().formatHex(Xattrs.lget(p, name)));
                    }
                }
                String rel = root.relativize(p).toString();
                all.put(rel.isEmpty() ? "." : rel, attrs);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all;
    }

    /**
     * The access time in whole seconds of every entry {@code -U} keeps, by relative name: all but directories and
     * symlinks (reading a link moves its atime). Read it before {@link #assertIdentical}, which reads the files.
     */
    public static Map<String, Long> atimes(Path root) {
        Map<String, Long> all = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (!a.isDirectory() && !a.isSymbolicLink()) {
                    all.put(relative(root, p), a.lastAccessTime().to(java.util.concurrent.TimeUnit.SECONDS));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all;
    }

    /** The kind of {@code path} itself (symlinks not followed). */
    public static Kind kindOf(Path path) {
        try {
            return kind((Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void compare(String name, Entry e, Entry a, Set<Option> opts, List<String> diffs) {
        if (e.kind() != a.kind()) {
            diffs.add(name + ": kind " + a.kind() + ", expected " + e.kind());
            return;
        }
        switch (e.kind()) {
            case FILE -> {
                if (e.size() != a.size()) {
                    diffs.add(name + ": size " + a.size() + ", expected " + e.size());
                } else {
                    String he = sha256(e.path());
                    String ha = sha256(a.path());
                    if (!he.equals(ha)) {
                        diffs.add(name + ": content differs (same size " + e.size() + "; sha256 " + ha
                                + ", expected " + he + ")");
                    }
                }
            }
            case SYMLINK -> {
                if (!e.linkTarget().equals(a.linkTarget())) {
                    diffs.add(name + ": symlink target '" + a.linkTarget() + "', expected '" + e.linkTarget() + "'");
                }
            }
            case CHAR_DEVICE, BLOCK_DEVICE -> {
                if (e.rdev() != a.rdev()) {
                    diffs.add(name + ": device number " + Long.toHexString(a.rdev()) + ", expected "
                            + Long.toHexString(e.rdev()));
                }
            }
            default -> {
                // directories, FIFOs and sockets have no content to compare
            }
        }
        // Symlink permission bits are always 0777 on Linux and cannot be set, so they carry no information.
        if (!opts.contains(Option.IGNORE_PERMISSIONS) && e.kind() != Kind.SYMLINK
                && e.permissions() != a.permissions()) {
            diffs.add(name + ": permissions " + octal(a.permissions()) + ", expected " + octal(e.permissions()));
        }
        if (comparesMtime(name, e.kind(), opts)) {
            boolean nanos = opts.contains(Option.NANOSECONDS);
            boolean same = nanos ? e.mtime().equals(a.mtime())
                    : e.mtime().toInstant().getEpochSecond() == a.mtime().toInstant().getEpochSecond();
            if (!same) {
                diffs.add(name + ": mtime " + a.mtime().toInstant() + ", expected " + e.mtime().toInstant()
                        + (nanos ? " (nanosecond comparison)" : ""));
            }
        }
        if (opts.contains(Option.OWNERSHIP) && (e.uid() != a.uid() || e.gid() != a.gid())) {
            diffs.add(name + ": owner " + a.uid() + ":" + a.gid() + ", expected " + e.uid() + ":" + e.gid());
        }
    }

    private static boolean comparesMtime(String name, Kind kind, Set<Option> opts) {
        if (opts.contains(Option.IGNORE_MTIMES)) {
            return false;
        }
        if (kind == Kind.DIRECTORY && opts.contains(Option.IGNORE_DIR_MTIMES)) {
            return false;
        }
        if (name.equals(".") && opts.contains(Option.IGNORE_ROOT_MTIME)) {
            return false;
        }
        return kind != Kind.SYMLINK || !opts.contains(Option.IGNORE_SYMLINK_MTIMES);
    }

    /** Walks {@code root} without following symlinks; the root itself is entry ".". */
    private static Map<String, Entry> scan(Path root) {
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            throw new AssertionError("not a directory: " + root);
        }
        Map<String, Entry> entries = new TreeMap<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    entries.put(relative(root, dir), entry(dir));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    entries.put(relative(root, file), entry(file));
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot walk " + root, e);
        }
        return entries;
    }

    /** The name relative to the root, escaped byte for byte: {@code toString()} would fold names that are not UTF-8. */
    private static String relative(Path root, Path p) {
        String rel = Escaped.of(PathBytes.of(root.relativize(p)));
        return rel.isEmpty() ? "." : rel;
    }

    private static Entry entry(Path p) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,rdev,size,lastModifiedTime",
                LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        Kind kind = kind(mode);
        return new Entry(p, kind, (Long) a.get("size"), mode & 07777, (FileTime) a.get("lastModifiedTime"),
                (Integer) a.get("uid"), (Integer) a.get("gid"), (Long) a.get("rdev"),
                kind == Kind.SYMLINK ? Escaped.of(PathBytes.of(Files.readSymbolicLink(p))) : "");
    }

    private static Kind kind(int mode) {
        return switch (mode & S_IFMT) {
            case 0100000 -> Kind.FILE;
            case 0040000 -> Kind.DIRECTORY;
            case 0120000 -> Kind.SYMLINK;
            case 0010000 -> Kind.FIFO;
            case 0140000 -> Kind.SOCKET;
            case 0020000 -> Kind.CHAR_DEVICE;
            case 0060000 -> Kind.BLOCK_DEVICE;
            default -> Kind.UNKNOWN;
        };
    }

    private static String describe(Entry e) {
        return switch (e.kind()) {
            case FILE -> "file of " + e.size() + " bytes";
            case SYMLINK -> "symlink -> " + e.linkTarget();
            default -> e.kind().toString().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        };
    }

    private static String octal(int perms) {
        return String.format("%04o", perms);
    }

    private static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
