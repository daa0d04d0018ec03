package dev.jrsync.mirror;

import dev.jrsync.client.DaemonAddress;
import dev.jrsync.core.PathBytes;
import dev.jrsync.core.SessionLog;
import dev.jrsync.fs.Posix;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * A mirror's tree index on disk: the {@link TreeSnapshot} of what the target holds, so that a restart sends only
 * what changed while the mirror was down (rsync and lsyncd have nothing like it: both start with the whole tree).
 * It is trusted only while it is exactly the target's state: before anything is sent the index is removed, and
 * it is written again (to a temporary file, synced, renamed over, its directory synced) {@link #SAVE_DELAY_NANOS}
 * later, between batches (at most one save in that time, however many batches go), and at a clean stop. A
 * mirror killed in between finds no index and sends the whole tree. What it cannot know is a target changed by
 * someone else while the mirror was down: that change stays until the path changes in the source (or the index
 * is removed). Without a state directory there is no index: each start sends the whole tree, and the save
 * points do nothing.
 */
final class TreeIndex {
    /** How long the index may lag behind the target while changes go: each save writes the whole tree. */
    static final long SAVE_DELAY_NANOS = TimeUnit.SECONDS.toNanos(3);

    /** The index lists the names of the user's files: a directory made for it is the user's alone. */
    private static final FileAttribute<?> PRIVATE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    private final Path dir;
    private final Path file;
    private final byte[] source;
    private final byte[] destination;
    private final SessionLog log;
    /** The file on disk holds the snapshot's state, the target's. */
    private boolean current;
    /** When the index stopped being current (System.nanoTime): the next save is due {@link #SAVE_DELAY_NANOS} on. */
    private long staleSince;
    private boolean saveFailed;

    private TreeIndex(Path dir, byte[] source, byte[] destination, String transfer, SessionLog log) {
        this.dir = dir;
        this.file = dir == null ? null : dir.resolve(name(source, destination, transfer));
        this.source = source;
        this.destination = destination;
        this.log = log;
        this.staleSince = System.nanoTime();
    }

    /**
     * The index of {@code root} (the source directory) mirrored to {@code destination} (the target directory
     * that mirrors it, as the transfers name it: a daemon's URL or a local path), kept in {@code stateDir}; none
     * when {@code stateDir} is null or empty. {@code transfer} is what decides the target's state besides the tree
     * (the options and filter rules): an index taken with others does not describe the target, so it is another
     * index, and a mirror restarted with other options or rules makes a full pass.
     */
    static TreeIndex of(String stateDir, Path root, String destination, String transfer, SessionLog log) {
        boolean none = stateDir == null || stateDir.isEmpty();
        String target = DaemonAddress.isDaemonArg(destination) ? destination
                : PathBytes.text(PathBytes.path(destination).toAbsolutePath().normalize()) + "/";
        return new TreeIndex(none ? null : PathBytes.path(stateDir).toAbsolutePath(),
                PathBytes.of(root.toAbsolutePath().normalize()), PathBytes.bytes(target), transfer, log);
    }

    /**
     * The index file's name: a hash of the source, the destination and the transfer's options, so that each
     * mirror has its own.
     */
    static String name(byte[] source, byte[] destination, String transfer) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(source);
            sha.update((byte) 0);
            sha.update(destination);
            sha.update((byte) 0);
            sha.update(transfer.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(), 0, 16) + ".index";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    Path file() {
        return file;
    }

    /**
     * The state of the target as the index recorded it, or null, with a line saying why, when there is no
     * sound index of this mirror: the whole tree must go.
     */
    TreeSnapshot restore(Path root) {
        if (file == null) {
            return null;
        }
        ByteBuffer bytes;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (ch.size() > Integer.MAX_VALUE) {
                return fallBack("index " + file + " is corrupt (" + ch.size() + " bytes)");
            }
            bytes = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
        } catch (NoSuchFileException e) {
            log.info("jrsync: watch: no index for " + PathBytes.text(source) + " -> " + PathBytes.text(destination)
                    + " in " + dir + "; full sync");
            return null;
        } catch (IOException e) {
            return fallBack("index " + file + " cannot be read (" + Posix.describe(e) + ")");
        }
        TreeSnapshot snapshot = TreeSnapshot.empty(root);
        return switch (snapshot.load(bytes, source, destination)) {
            case IndexFile.Decoded.Valid v -> {
                current = true;
                log.info("jrsync: watch: index " + file + " (" + v.entries() + " entries, saved "
                        + Instant.ofEpochSecond(0, v.savedAtNanos()) + "); sending what changed since");
                yield snapshot;
            }
            case IndexFile.Decoded.Corrupt c -> fallBack("index " + file + " is corrupt (" + c.why() + ")");
            case IndexFile.Decoded.Mismatch m -> fallBack("index " + file + " is not this mirror's (" + m.why() + ")");
        };
    }

    private TreeSnapshot fallBack(String why) {
        log.error("jrsync: watch: " + why + "; full sync");
        return null;
    }

    /**
     * Something is about to be sent: from here on the index on disk may be older than the target, which a
     * restart must not trust (a file created and sent, then deleted while the mirror was down, would stay on the
     * target), so it goes.
     */
    void changing() {
        if (file == null || !current) {
            return;
        }
        current = false;
        staleSince = System.nanoTime();
        try {
            Files.deleteIfExists(file);
            syncDirectory();
        } catch (IOException e) {
            log.error("jrsync: watch: cannot remove the index " + file + ": " + Posix.describe(e));
        }
    }

    /** When the next save is due (System.nanoTime), or null when the index on disk is current. */
    Long dueNanos() {
        return file == null || current ? null : staleSince + SAVE_DELAY_NANOS;
    }

    /** Saves when the index has been stale for {@link #SAVE_DELAY_NANOS}. */
    void saveIfDue(TreeSnapshot snapshot) {
        if (file != null && !current && System.nanoTime() - staleSince >= SAVE_DELAY_NANOS) {
            save(snapshot);
        }
    }

    /** Writes {@code snapshot}, the target's state, as the index, unless the index on disk already is it. */
    void save(TreeSnapshot snapshot) {
        if (file == null || current) {
            return;
        }
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        IndexFile.Header header = new IndexFile.Header(source, destination, nowNanos());
        try {
            Files.createDirectories(dir, PRIVATE);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                IndexFile.Writer w = new IndexFile.Writer(ch, header);
                snapshot.save(w);
                w.finish();
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory();
            current = true;
            saveFailed = false;
        } catch (IOException e) {
            staleSince = System.nanoTime(); // tried again after the delay, not after every batch
            if (!saveFailed) {
                log.error("jrsync: watch: cannot save the index " + file + ": " + Posix.describe(e)
                        + " (a restart will sync in full)");
            }
            saveFailed = true;
        }
    }

    /** The rename (or removal) survives a crash of the machine only once the directory itself is synced. */
    private void syncDirectory() throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    private static long nowNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

}
