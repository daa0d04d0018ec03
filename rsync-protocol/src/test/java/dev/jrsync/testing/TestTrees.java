package dev.jrsync.testing;

import dev.jrsync.core.PathBytes;
import dev.jrsync.fs.Posix;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Builds the varied directory tree the interop tests transfer, and edits files the way the delta tests need.
 * Everything is deterministic: content comes from seeded {@link Random}s and every entry gets an explicit mode
 * and a past mtime with a non-zero nanosecond part, so a transfer that drops nanoseconds, permission bits or
 * symlink times is caught by {@link TreeAssert}.
 */
public final class TestTrees {

    /** 8 MiB of seeded random bytes: large enough for many delta blocks. */
    public static final String BIG_FILE = "data/big-8MiB.bin";
    public static final int BIG_SIZE = 8 * 1024 * 1024;
    /** 300,000 seeded random bytes: a size that is no multiple of any block size. */
    public static final String MEDIUM_FILE = "data/medium-300KB.bin";
    public static final int MEDIUM_SIZE = 300_000;
    /** Named FIFO; only present when {@code mkfifo} is available. */
    public static final String FIFO = "special/fifo";

    /** The first mtime handed out; later entries are an hour and a few nanoseconds apart from each other. */
    private static final Instant BASE_MTIME = Instant.parse("2021-03-04T05:06:07.123456789Z");

    /** Parts of the varied tree a test can leave out, e.g. when the code under test cannot transfer them yet. */
    public enum Omit {
        /** The FIFO ({@link #FIFO}). */
        SPECIALS,
        /** All symlinks (the relative link, the nested relative link, the dangling link). */
        SYMLINKS,
        /** {@link #BIG_FILE} and {@link #MEDIUM_FILE}. */
        LARGE_FILES,
        /** The names with non-ASCII letters (also left out when the JVM cannot encode them in file names). */
        NON_ASCII_NAMES
    }

    private TestTrees() {
    }

    /**
     * Fills {@code root} (created if absent) with the varied tree and returns the relative names created,
     * directories included, in creation order:
     * <pre>
     * empty.txt, small.txt, with space.txt          0644 regular files (one empty)
     * bin/run.sh                                   0755 executable
     * data/big-8MiB.bin, data/medium-300KB.bin     seeded random content
     * deep/a/b/c/leaf.txt                          nested directories
     * empty-dir/                                   empty directory
     * private/ (0700) with secret.txt (0600)
     * perm/group-read.txt (0640), perm/read-only.txt (0444)
     * ünïcödé ñame.txt, 日本語.txt                    non-ASCII names
     * link-to-small -> small.txt                   relative symlink to a file
     * deep/a/up-link -> ../../small.txt            relative symlink climbing directories
     * dangling -> does/not/exist                   dangling symlink
     * special/fifo                                 FIFO (when mkfifo exists)
     * </pre>
     */
    public static List<String> buildVaried(Path root, Omit... omit) {
        Set<Omit> skip = omit.length == 0 ? EnumSet.noneOf(Omit.class) : EnumSet.of(omit[0], omit);
        Builder b = new Builder(root);
        try {
            Files.createDirectories(root);
            b.file("empty.txt", new byte[0], "rw-r--r--");
            b.file("small.txt", "hello from jrsync\n".getBytes(StandardCharsets.UTF_8), "rw-r--r--");
            b.file("with space.txt", "a name with a space\n".getBytes(StandardCharsets.UTF_8), "rw-r--r--");
            b.dir("bin", "rwxr-xr-x");
            b.file("bin/run.sh", "#!/bin/sh\necho run\n".getBytes(StandardCharsets.UTF_8), "rwxr-xr-x");
            if (!skip.contains(Omit.LARGE_FILES)) {
                b.dir("data", "rwxr-xr-x");
                b.file(BIG_FILE, randomBytes(BIG_SIZE, 0xB16L), "rw-r--r--");
                b.file(MEDIUM_FILE, randomBytes(MEDIUM_SIZE, 0x300L), "rw-r--r--");
            }
            b.dir("deep", "rwxr-xr-x");
            b.dir("deep/a", "rwxr-xr-x");
            b.dir("deep/a/b", "rwxr-xr-x");
            b.dir("deep/a/b/c", "rwxr-xr-x");
            b.file("deep/a/b/c/leaf.txt", "leaf\n".getBytes(StandardCharsets.UTF_8), "rw-r--r--");
            b.dir("empty-dir", "rwxr-xr-x");
            b.dir("private", "rwx------");
            b.file("private/secret.txt", "secret\n".getBytes(StandardCharsets.UTF_8), "rw-------");
            b.dir("perm", "rwxr-xr-x");
            b.file("perm/group-read.txt", "group readable\n".getBytes(StandardCharsets.UTF_8), "rw-r-----");
            b.file("perm/read-only.txt", "read only\n".getBytes(StandardCharsets.UTF_8), "r--r--r--");
            if (!skip.contains(Omit.NON_ASCII_NAMES) && fileNamesAreUtf8()) {
                b.file("ünïcödé ñame.txt", "unicode\n".getBytes(StandardCharsets.UTF_8), "rw-r--r--");
                b.file("日本語.txt", "nihongo\n".getBytes(StandardCharsets.UTF_8), "rw-r--r--");
            }
            if (!skip.contains(Omit.SYMLINKS)) {
                b.symlink("link-to-small", "small.txt");
                b.symlink("deep/a/up-link", "../../small.txt");
                b.symlink("dangling", "does/not/exist");
            }
            if (!skip.contains(Omit.SPECIALS)) {
                b.fifo(FIFO);
            }
            b.stampDirectories();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build test tree in " + root, e);
        }
        return List.copyOf(b.created);
    }

    /**
     * Fills {@code root} (created if absent) with names that are Latin-1, not UTF-8, and returns them as rsync
     * prints them ({@code caf\\#351}). The two files differ only in one byte of their names, so a side that
     * decodes names (each becomes {@code caf\uFFFD}) writes one over the other:
     * <pre>
     * caf\xe9, caf\xe8                   two files with different contents
     * d\xe9j\xe0/na\xefve                 a file in a Latin-1 directory
     * lien\xe9 -> caf\xe9                a symlink, named and pointing in Latin-1
     * </pre>
     */
    public static List<String> buildLatin1Names(Path root) {
        try {
            Files.createDirectories(root);
            Files.writeString(root.resolve(latin1("caf\u00e9")), "e acute, in Latin-1\n");
            Files.writeString(root.resolve(latin1("caf\u00e8")), "e grave: another file, another size\n");
            Path dir = Files.createDirectory(root.resolve(latin1("d\u00e9j\u00e0")));
            Files.writeString(dir.resolve(latin1("na\u00efve")), "inside a Latin-1 directory\n");
            Files.createSymbolicLink(root.resolve(latin1("lien\u00e9")), latin1("caf\u00e9"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build Latin-1 names in " + root, e);
        }
        return List.of("caf\\#350", "caf\\#351", "d\\#351j\\#340", "d\\#351j\\#340/na\\#357ve", "lien\\#351");
    }

    /** A relative path whose bytes are {@code name} in Latin-1 (the JDK would encode a String as UTF-8). */
    public static Path latin1(String name) {
        return PathBytes.path(name.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Writes {@code size} bytes from {@code new Random(seed)} to {@code file}. */
    public static void writeRandom(Path file, int size, long seed) {
        try {
            Files.write(file, randomBytes(size, seed));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code size} bytes from {@code new Random(seed)}: the same bytes on every JDK (Random's algorithm is fixed). */
    public static byte[] randomBytes(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    /**
     * Makes {@code count} small edits (1 to 16 bytes each) at seeded positions spread over {@code file}, keeping
     * its size: the delta algorithm should then send only the blocks around each edit. Every edited byte really
     * changes, and the mtime moves to now (at least one second past the old one) so rsync's size+mtime quick
     * check cannot skip the file. Returns the edited offsets, in edit order.
     */
    public static List<Long> editInPlace(Path file, long seed, int count) {
        Random random = new Random(seed);
        List<Long> offsets = new ArrayList<>();
        try {
            FileTime before = Files.getLastModifiedTime(file);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                long size = ch.size();
                if (size == 0) {
                    throw new IllegalArgumentException("cannot edit an empty file in place: " + file);
                }
                for (int i = 0; i < count; i++) {
                    int len = (int) Math.min(size, 1 + random.nextInt(16));
                    long offset = random.nextLong(size - len + 1);
                    ByteBuffer buf = ByteBuffer.allocate(len);
                    ch.read(buf, offset);
                    for (int j = 0; j < len; j++) {
                        // XOR with a non-zero value so the byte is guaranteed to differ.
                        buf.put(j, (byte) (buf.get(j) ^ (1 + random.nextInt(255))));
                    }
                    buf.rewind();
                    ch.write(buf, offset);
                    offsets.add(offset);
                }
            }
            touchAfter(file, before);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot edit " + file, e);
        }
        return offsets;
    }

    /**
     * Inserts {@code count} seeded random bytes at a seeded offset within the first 4 KiB of {@code file}
     * (at most its length): every later block shifts, which only the rolling checksum can still match.
     * Returns the insertion offset. Moves the mtime forward like {@link #editInPlace}.
     */
    public static long insertNearStart(Path file, long seed, int count) {
        Random random = new Random(seed);
        try {
            FileTime before = Files.getLastModifiedTime(file);
            byte[] old = Files.readAllBytes(file);
            int offset = random.nextInt(Math.min(old.length, 4096) + 1);
            byte[] inserted = new byte[count];
            random.nextBytes(inserted);
            try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.TRUNCATE_EXISTING)) {
                out.write(old, 0, offset);
                out.write(inserted);
                out.write(old, offset, old.length - offset);
            }
            touchAfter(file, before);
            return offset;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot insert into " + file, e);
        }
    }

    /**
     * Sets {@code path}'s mtime (not following symlinks) to {@code time}. Returns false when the platform cannot
     * set a symlink's own time.
     */
    public static boolean setMtime(Path path, Instant time) {
        try {
            // Not through Files: the JDK opens the path to set its times, which blocks on a FIFO.
            Posix.setMtime(path, time.getEpochSecond(), time.getNano());
            return true;
        } catch (IOException e) {
            if (Files.isSymbolicLink(path)) {
                return false;
            }
            throw new UncheckedIOException("cannot set mtime of " + path, e);
        }
    }

    /** Whether the JVM maps file names through UTF-8 (it does not under a POSIX/C locale). */
    private static boolean fileNamesAreUtf8() {
        String jnu = System.getProperty("sun.jnu.encoding", "");
        return Charset.isSupported(jnu) && Charset.forName(jnu).equals(StandardCharsets.UTF_8);
    }

    private static void touchAfter(Path file, FileTime before) throws IOException {
        Instant now = Instant.now();
        Instant floor = before.toInstant().plusSeconds(1);
        Files.setLastModifiedTime(file, FileTime.from(now.isAfter(floor) ? now : floor));
    }

    /** Creates entries with explicit modes and distinct past mtimes, remembering what it made. */
    private static final class Builder {
        private final Path root;
        private final List<String> created = new ArrayList<>();
        private final List<String> dirs = new ArrayList<>();
        private int serial;

        Builder(Path root) {
            this.root = root;
        }

        void file(String name, byte[] content, String perms) throws IOException {
            Path p = root.resolve(name);
            Files.write(p, content);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
            setMtime(p, nextMtime());
            created.add(name);
        }

        void dir(String name, String perms) throws IOException {
            Path p = root.resolve(name);
            Files.createDirectory(p);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
            dirs.add(name);
            created.add(name);
        }

        void symlink(String name, String target) throws IOException {
            Path p = root.resolve(name);
            Files.createSymbolicLink(p, Path.of(target));
            setMtime(p, nextMtime());
            created.add(name);
        }

        /** Java has no mkfifo; test code may shell out. Without mkfifo the tree simply has no special file. */
        void fifo(String name) throws IOException {
            Path p = root.resolve(name);
            Path parent = p.getParent();
            String parentName = root.relativize(parent).toString();
            dir(parentName, "rwxr-xr-x");
            ProcessResult r;
            try {
                r = Processes.run(new ProcessBuilder("mkfifo", "-m", "0644", p.toString()), Duration.ofSeconds(10));
            } catch (UncheckedIOException e) {
                return;
            }
            if (r.exitCode() != 0) {
                return;
            }
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
            setMtime(p, nextMtime());
            created.add(name);
        }

        /** Directory mtimes go last, deepest first, since creating children changes the parent's mtime. */
        void stampDirectories() throws IOException {
            List<String> deepestFirst = new ArrayList<>(dirs);
            deepestFirst.sort(Comparator.comparingInt((String d) -> d.split("/").length).reversed());
            for (String d : deepestFirst) {
                setMtime(root.resolve(d), nextMtime());
            }
            setMtime(root, nextMtime());
        }

        private Instant nextMtime() {
            int n = serial++;
            return BASE_MTIME.plus(Duration.ofHours(n)).plusNanos(1000L * n);
        }
    }
}
