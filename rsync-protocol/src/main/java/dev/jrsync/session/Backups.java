package dev.jrsync.session;

import dev.jrsync.core.PathBytes;
import dev.jrsync.options.Options;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** {@code -b}: what a file the transfer replaces or deletes becomes ({@code rsync/backup.c}). */
final class Backups {
    private final Options options;
    private final Path root;
    private final OperatorDirs operatorDirs;

    /**
     * @param root         the destination, which {@code --backup-dir} is relative to
     * @param operatorDirs the session's pinned directories, through which the backup directory is made
     */
    Backups(Options options, Path root, OperatorDirs operatorDirs) {
        this.options = options;
        this.root = root;
        this.operatorDirs = operatorDirs;
    }

    /**
     * Moves {@code p} to its backup name ({@code rsync/backup.c:make_backup}): beside it with the suffix, or
     * below --backup-dir through {@link OperatorDirs}, so a symlink planted there leads nowhere.
     */
    void move(Path p, String rel) throws IOException {
        if (options.backupDir() == null) {
            Files.move(p, p.resolveSibling(PathBytes.path(PathBytes.text(p.getFileName()) + options.backupSuffix())), StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        operatorDirs.intoBackupDir(root, options.backupDir(), rel + options.backupSuffix(),
                target -> Files.move(p, target, StandardCopyOption.REPLACE_EXISTING));
    }

    /** With {@code --inplace} the file is rewritten where it is: the backup is a copy. */
    void copy(Path p, String rel) throws IOException {
        if (options.backupDir() == null) {
            copyForBackup(p, p.resolveSibling(PathBytes.path(PathBytes.text(p.getFileName()) + options.backupSuffix())));
            return;
        }
        operatorDirs.intoBackupDir(root, options.backupDir(), rel + options.backupSuffix(), target -> copyForBackup(p, target));
    }

    private static void copyForBackup(Path p, Path target) throws IOException {
        Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES,
                LinkOption.NOFOLLOW_LINKS);
    }
}
