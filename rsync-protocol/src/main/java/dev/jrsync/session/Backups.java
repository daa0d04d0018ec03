package dev.jrsync.session;

import dev.jrsync.core.PathBytes;
import dev.jrsync.core.SessionLog;
import dev.jrsync.fs.LocalStat;
import dev.jrsync.fs.SymlinkSafety;
import dev.jrsync.options.Options;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** {@code -b}: what a file the transfer replaces or deletes becomes ({@code rsync/backup.c}). */
final class Backups {
    private final boolean enabled;
    private final String dir;
    private final String suffix;
    private final Path root;
    private final OperatorDirs operatorDirs;
    /** Where each backup made is told ({@code --info=backup}); null for silence. */
    private final SessionLog tell;
    /** {@code --safe-links} with {@code -l}: a symlink leading out of the transfer is not kept. */
    private final boolean safeLinks;

    /**
     * @param enabled      {@code -b}, or implied by {@code --backup-dir}
     * @param dir          {@code --backup-dir}; null for backups beside the file
     * @param suffix       the backup suffix in force
     * @param root         the destination, which {@code --backup-dir} is relative to
     * @param operatorDirs the session's pinned directories, through which the backup directory is made
     * @param tell         where "backed up" lines go, or null
     * @param safeLinks    {@code --safe-links} with {@code -l}
     */
    private Backups(boolean enabled, String dir, String suffix, Path root, OperatorDirs operatorDirs, SessionLog tell,
                    boolean safeLinks) {
        this.enabled = enabled;
        this.dir = dir;
        this.suffix = suffix;
        this.root = root;
        this.operatorDirs = operatorDirs;
        this.tell = tell;
        this.safeLinks = safeLinks;
    }

    static Backups of(Options o, Path root, OperatorDirs operatorDirs, SessionLog log) {
        return new Backups(o.makeBackups(), o.backupDir(), o.backupSuffix(), root, operatorDirs,
                o.backupInfo() > 0 ? log : null, o.safeLinks() && o.links());
    }

    /** The backup name of {@code rel} as rsync's messages show it. */
    String nameOf(String rel) {
        return (dir != null ? dir + "/" : "") + rel + suffix;
    }

    /**
     * Whether {@code rel} is a backup itself, which a deletion removes rather than backs up again as "x~~"
     * ({@code rsync/delete.c:delete_item}'s {@code is_backup_file}): only beside the files, without a backup dir.
     */
    boolean isBackup(String rel) {
        return dir == null && !suffix.isEmpty() && rel.endsWith(suffix) && rel.length() > suffix.length();
    }

    /** Whether files replaced or deleted are kept as backups. */
    boolean enabled() {
        return enabled;
    }

    /**
     * Moves {@code p} to its backup name ({@code rsync/backup.c:make_backup}): beside it with the suffix, or
     * below --backup-dir through {@link OperatorDirs}, so a symlink planted there leads nowhere.
     */
    void move(Path p, String rel) throws IOException {
        if (dir == null) {
            Files.move(p, p.resolveSibling(PathBytes.path(PathBytes.text(p.getFileName()) + suffix)),
                    StandardCopyOption.REPLACE_EXISTING);
        } else {
            operatorDirs.intoBackupDir(root, dir, rel + suffix,
                    target -> Files.move(p, target, StandardCopyOption.REPLACE_EXISTING));
        }
        told(rel);
    }

    // rsync/backup.c:make_backup's INFO_GTE(BACKUP, 1) line
    private void told(String rel) {
        if (tell != null) {
            tell.info("backed up " + rel + " to " + nameOf(rel));
        }
    }

    /**
     * Puts {@code p}, found as {@code st} (anything but a directory), out of the way of a deletion or of an item of
     * another type: moved to its backup name, except a symlink that leads out of the transfer under
     * {@code --safe-links}, which is removed ({@code rsync/backup.c:make_backup_inner} keeps no unsafe link).
     */
    void keepOrRemove(Path p, String rel, LocalStat st) throws IOException {
        if (st.isSymlink() && safeLinks
                && SymlinkSafety.unsafe(PathBytes.of(Files.readSymbolicLink(p)), PathBytes.bytes(rel))) {
            Files.delete(p);
            return;
        }
        move(p, rel);
    }

    /** With {@code --inplace} the file is rewritten where it is: the backup is a copy. */
    void copy(Path p, String rel) throws IOException {
        if (dir == null) {
            copyForBackup(p, p.resolveSibling(PathBytes.path(PathBytes.text(p.getFileName()) + suffix)));
        } else {
            operatorDirs.intoBackupDir(root, dir, rel + suffix, target -> copyForBackup(p, target));
        }
        told(rel);
    }

    private static void copyForBackup(Path p, Path target) throws IOException {
        Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES,
                LinkOption.NOFOLLOW_LINKS);
    }
}
