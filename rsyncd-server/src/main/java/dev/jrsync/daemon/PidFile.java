package dev.jrsync.daemon;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The daemon's {@code pid file} ({@code rsync/clientserver.c:create_pid_file}), held open and locked for the
 * daemon's lifetime so that a second daemon given the same file refuses to start. The lock is a POSIX record
 * lock on the first bytes (the JDK's {@link FileChannel#tryLock} is {@code fcntl(F_SETLK)} on Linux), the
 * same lock stock rsync takes, so a jrsync daemon and a stock one exclude each other too.
 */
public final class PidFile implements AutoCloseable {
    /** The bytes rsync's lock_range covers. */
    private static final long LOCK_LENGTH = 4;

    /** Why the pid file could not be taken, in rsync's wording: "failed to lock pid file X: reason". */
    public static final class Failure extends Exception {
        Failure(String what, Path file, String reason) {
            super("failed to " + what + " pid file " + file + ": " + reason);
        }
    }

    private final Path file;
    private final FileChannel channel;

    private PidFile(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /** Creates or opens {@code file} (never through a symlink), locks it and writes {@code pid} into it. */
    public static PidFile create(Path file, long pid) throws Failure {
        FileChannel ch;
        try {
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                // rsync removes whatever non-file sits at the name rather than write through it.
                Files.delete(file);
            }
            ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.CREATE, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new Failure("create", file, reason(e));
        }
        try {
            FileLock lock;
            try {
                lock = ch.tryLock(0, LOCK_LENGTH, false);
            } catch (OverlappingFileLockException e) {
                lock = null; // this JVM holds it already: another daemon in the same process
            }
            if (lock == null) {
                throw new Failure("lock", file, "Resource temporarily unavailable");
            }
            BasicFileAttributes now = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!now.isRegularFile()) {
                throw new Failure("avoid file overwrite race for", file, "not a regular file");
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((pid + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            ch.force(false);
            return new PidFile(file, ch);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new Failure("write", file, reason(e));
        } catch (Failure e) {
            closeQuietly(ch);
            throw e;
        }
    }

    /** Removes the file and drops the lock, as rsync's exit cleanup does. */
    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // best effort on the way out
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }

    /** strerror's text where the JDK has one, without the path (rsync's line names the file once). */
    private static String reason(IOException e) {
        return e instanceof java.nio.file.NoSuchFileException ? "No such file or directory"
                : e instanceof java.nio.file.AccessDeniedException ? "Permission denied"
                : e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
                : String.valueOf(e.getMessage());
    }
}
