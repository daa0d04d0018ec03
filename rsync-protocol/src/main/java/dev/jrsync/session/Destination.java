package dev.jrsync.session;

import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import dev.jrsync.core.SessionLog;
import dev.jrsync.flist.FileEntry;
import dev.jrsync.flist.FileList;
import dev.jrsync.fs.Posix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Where the files go ({@code rsync/main.c:get_local_name}): a directory, or (one file into a non-directory
 * name) that name itself.
 */
public record Destination(Path root, boolean soloFile, boolean createdRoot) {
    /**
     * Resolves the destination as rsync's {@code get_local_name} does: a single non-directory entry goes to
     * {@code dest} itself unless that is an existing directory; otherwise {@code dest} is a directory, created
     * (one level) when missing.
     */
    // rsync/main.c:get_local_name
    public static Destination prepare(Path dest, FileList flist, boolean dryRun, SessionLog log) {
        boolean isDir = Files.isDirectory(dest);
        if (isSoloFile(dest, flist)) {
            // Absolute, so that a bare "name" still has a parent directory for the temp file.
            return new Destination(dest.toAbsolutePath(), true, false);
        }
        boolean created = false;
        if (!isDir && !dryRun) {
            if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) {
                throw new RsyncException(ExitCode.FILE_SELECT, "rsync: destination \"" + dest + "\" is not a directory");
            }
            try {
                Files.createDirectories(dest);
                created = true;
                log.info("created directory " + dest);
            } catch (IOException e) {
                throw new RsyncException(ExitCode.FILE_IO, "rsync: mkdir \"" + dest + "\" failed: " + Posix.describe(e));
            }
        }
        return new Destination(dest, false, created || (dryRun && !isDir));
    }

    /**
     * A listing's ({@code --list-only}, or no destination given: {@code dest} null): the generator only reports
     * each entry, so nothing is made.
     */
    public static Destination listing(Path dest) {
        return new Destination(dest == null ? Path.of(".") : dest, false, false);
    }

    /** Whether {@link #prepare} takes {@code dest} as the name of the list's one file. */
    public static boolean isSoloFile(Path dest, FileList flist) {
        int active = 0;
        FileEntry only = null;
        for (int i = 0; i < flist.size(); i++) {
            if (flist.get(i) != null) {
                active++;
                only = flist.get(i);
            }
        }
        return active == 1 && !only.isDirectory() && !Files.isDirectory(dest);
    }
}
