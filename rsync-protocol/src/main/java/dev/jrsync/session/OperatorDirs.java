package dev.jrsync.session;

import dev.jrsync.core.PathBytes;
import dev.jrsync.fs.BeneathOpener;
import dev.jrsync.fs.OperatorPath;
import dev.jrsync.fs.Posix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The directories a receiver's options name beside the destination ({@code --temp-dir}, {@code --backup-dir},
 * {@code --compare-dest}/{@code --copy-dest}/{@code --link-dest}), each opened once per session through
 * {@link OperatorPath} (only root's and this user's symlinks are followed, as rsync 3.5 does) and then held by
 * descriptor: swapping one of them, or a parent, for someone else's symlink while the transfer runs leads
 * nowhere. Below the backup directory, where the files' own directories are made, no symlink is followed at all.
 */
// rsync/syscall.c:operator_path_resolve, as backup.c:make_backup and receiver.c:get_tmpname use it
final class OperatorDirs implements AutoCloseable {
    /** Something done with the path a backup goes to. */
    @FunctionalInterface
    interface BackupAction {
        void into(Path target) throws IOException;
    }

    private final BeneathOpener opener = new BeneathOpener(true);
    /** Descriptors by anchor and option value. */
    private final Map<String, Integer> fds = new HashMap<>();
    /** {@code --confine-root}: where every directory opened here must really lie; null for anywhere. */
    private final Path confineRoot;
    /** {@code --insecure-links}: anyone's symlinks are followed. */
    private final boolean insecureLinks;
    private boolean closed;

    /**
     * @param confineRoot   {@code --confine-root}, or null
     * @param insecureLinks {@code --insecure-links}
     */
    OperatorDirs(String confineRoot, boolean insecureLinks) {
        this.confineRoot = confineRoot == null ? null : PathBytes.path(confineRoot).normalize();
        this.insecureLinks = insecureLinks;
    }

    /**
     * Directory {@code dir} (relative to {@code anchor} unless absolute) as a path the JDK and {@link Posix}
     * reach through the held descriptor; with {@code create} its missing components are made.
     */
    Path pin(Path anchor, String dir, boolean create) throws IOException {
        return OperatorPath.pinned(fd(anchor, dir, create));
    }

    private synchronized int fd(Path anchor, String dir, boolean create) throws IOException {
        if (closed) {
            throw new IOException("the transfer is over");
        }
        String key = anchor + "\0" + dir;
        Integer fd = fds.get(key);
        if (fd == null) {
            fd = OperatorPath.openDirectory(anchor, dir, create, insecureLinks);
            // the descriptor is what is used: where it really leads is what counts, whatever the path said. Read
            // as the kernel names it, not resolved again: a directory held open but since removed (an rrsync pin
            // the transfer replaced) reads "DIR (deleted)", still below the root it was in
            if (confineRoot != null && !PathBytes.path(Posix.readlink(OperatorPath.pinned(fd)))
                    .startsWith(confineRoot.toRealPath())) {
                Posix.close(fd);
                throw new IOException("\"" + dir + "\" resolves outside the --confine-root directory " + confineRoot);
            }
            fds.put(key, fd);
        }
        return fd;
    }

    /**
     * Runs {@code action} on {@code rel} below the backup directory {@code backupDir} (made if missing, relative
     * to {@code anchor} unless absolute). The parents of {@code rel} are made as needed, one at a time and each
     * beneath the last, so that none can be a symlink.
     */
    void intoBackupDir(Path anchor, String backupDir, String rel, BackupAction action) throws IOException {
        int rootFd = fd(anchor, backupDir, true);
        int slash = rel.lastIndexOf('/');
        int fd = rootFd;
        try {
            if (slash > 0) {
                for (String part : rel.substring(0, slash).split("/")) {
                    int next;
                    try {
                        next = opener.openBeneath(fd, PathBytes.bytes(part));
                    } catch (BeneathOpener.OpenFailure e) {
                        if (!e.missing()) {
                            throw e;
                        }
                        Files.createDirectory(Posix.below(fd, PathBytes.bytes(part)));
                        next = opener.openBeneath(fd, PathBytes.bytes(part));
                    }
                    if (fd != rootFd) {
                        Posix.close(fd);
                    }
                    fd = next;
                }
            }
            action.into(Posix.below(fd, PathBytes.bytes(rel.substring(slash + 1))));
        } finally {
            if (fd != rootFd) {
                Posix.close(fd);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        fds.values().forEach(Posix::close);
        fds.clear();
    }
}
