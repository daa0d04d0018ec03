package dev.jrsync.session;

import dev.jrsync.core.Escaped;
import dev.jrsync.core.ExitCode;
import dev.jrsync.core.PathBytes;
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
     * Resolves the destination as rsync's {@code get_local_name} does: a single non-directory entry goes to the
     * destination itself unless that is an existing directory or is named as one (a trailing "/"); otherwise the
     * destination is a directory, created (one level, or with {@code --mkpath} its missing parents too) when
     * missing. With {@code verbose} it says what it created, as rsync's {@code -v} does.
     */
    // rsync/main.c:get_local_name
    public static Destination prepare(LocalDest named, boolean mkpath, FileList flist, boolean dryRun,
                                      boolean verbose, SessionLog log) {
        Path dest = named.path();
        if (Files.isDirectory(dest)) {
            return new Destination(dest, false, false);
        }
        int total = activeEntries(flist);
        boolean oneFile = total == 1 && !onlyEntry(flist).isDirectory();
        if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) {
            if (oneFile) {
                return new Destination(dest.toAbsolutePath(), true, false);
            }
            throw new RsyncException(ExitCode.FILE_SELECT, total > 1
                    ? "ERROR: destination must be a directory when copying more than 1 file"
                    : "ERROR: cannot overwrite non-directory with a directory");
        }
        String shown = PathBytes.text(dest);
        Path parent = dest.toAbsolutePath().getParent();
        if (mkpath && (dest.getNameCount() > 1 || named.namesDirectory() || total > 1)) {
            // rsync/util1.c:make_path: the parents, and the destination itself unless it names the one file
            Path upTo = total > 1 || named.namesDirectory() ? dest.toAbsolutePath() : parent;
            int missing = 0;
            for (Path p = upTo; p != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS); p = p.getParent()) {
                missing++;
            }
            try {
                if (!dryRun) {
                    Files.createDirectories(upTo);
                }
            } catch (IOException e) {
                throw new RsyncException(ExitCode.FILE_IO, "rsync: mkdir \"" + Escaped.of(shown) + "\" failed: "
                        + Posix.describe(e));
            }
            // a dry run says what it would make, as rsync's make_path counts without making
            if (missing > 0 && verbose) {
                String forName = named.namesDirectory() || total > 1 ? shown : PathBytes.text(dest.getParent());
                log.info("created " + missing + " director" + (missing == 1 ? "y" : "ies") + " for " + forName);
            }
            if (Files.isDirectory(dest)) {
                return new Destination(dest, false, true);
            }
        }
        if (oneFile && !named.namesDirectory()) {
            // Absolute, so that a bare "name" still has a parent directory for the temp file.
            return new Destination(dest.toAbsolutePath(), true, false);
        }
        if (!dryRun) {
            try {
                Files.createDirectory(dest);
            } catch (IOException e) {
                throw new RsyncException(ExitCode.FILE_IO, "rsync: mkdir \"" + Escaped.of(shown) + "\" failed: "
                        + Posix.describe(e));
            }
        }
        if (verbose) {
            log.info("created directory " + Escaped.of(shown));
        }
        return new Destination(dest, false, true);
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
        return activeEntries(flist) == 1 && !onlyEntry(flist).isDirectory() && !Files.isDirectory(dest);
    }

    private static int activeEntries(FileList flist) {
        int active = 0;
        for (int i = 0; i < flist.size(); i++) {
            if (flist.get(i) != null) {
                active++;
            }
        }
        return active;
    }

    /** The last entry still in the list: its only one, when there is one. */
    private static FileEntry onlyEntry(FileList flist) {
        FileEntry only = null;
        for (int i = 0; i < flist.size(); i++) {
            if (flist.get(i) != null) {
                only = flist.get(i);
            }
        }
        return only;
    }
}
