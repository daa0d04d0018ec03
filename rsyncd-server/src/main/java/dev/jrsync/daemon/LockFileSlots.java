package dev.jrsync.daemon;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import java.util.HashMap;

/**
 * {@code max connections} counted in a module's {@code lock file} ({@code rsync/connection.c:claim_connection},
 * {@code util1.c:lock_range}): slot {@code i} is a lock on bytes {@code 4i..4i+3}, so daemons that share the
 * file (a JVM per connection in inetd mode, or a stock rsyncd) share the limit. The locks are fcntl locks,
 * which a process loses on closing any descriptor of the file, so each file is held open by one channel for
 * the daemon's life; two sessions of this JVM on one slot are told apart by the JDK's own lock table.
 */
final class LockFileSlots implements AutoCloseable {
    private static final int SLOT_BYTES = 4;

    private final Map<Path, FileChannel> files = new HashMap<>();

    /**
     * Locks a free slot of the {@code max} in {@code lockFile} (created 0600 when missing; a symlink is not
     * followed); null when all are taken. Closing the lock frees the slot.
     */
    synchronized FileLock claim(Path lockFile, int max) throws IOException {
        FileChannel channel = files.get(lockFile);
        if (channel == null) {
            channel = FileChannel.open(lockFile, Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.CREATE, LinkOption.NOFOLLOW_LINKS),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            files.put(lockFile, channel);
        }
        for (int i = 0; i < max; i++) {
            try {
                FileLock lock = channel.tryLock((long) i * SLOT_BYTES, SLOT_BYTES, false);
                if (lock != null) {
                    return lock;
                }
            } catch (OverlappingFileLockException e) {
                // another session of this daemon holds the slot
            }
        }
        return null;
    }

    @Override
    public synchronized void close() {
        for (FileChannel c : files.values()) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing releases what is left; nothing to report
            }
        }
        files.clear();
    }
}
