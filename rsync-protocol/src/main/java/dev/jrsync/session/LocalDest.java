package dev.jrsync.session;

import dev.jrsync.core.Escaped;
import dev.jrsync.core.ExitCode;
import dev.jrsync.core.PathBytes;
import dev.jrsync.core.RsyncException;
import dev.jrsync.fs.OperatorPath;
import dev.jrsync.fs.Posix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A local destination as a command line names it, before the file list is known ({@code rsync/main.c}'s
 * {@code get_local_name} argument): its path, and whether a trailing "/" names it a directory even for one file.
 */
public record LocalDest(Path path, boolean namesDirectory) {
    /**
     * The destination argument as given. A symlink to a directory is that directory: rsync stats the destination,
     * following links, and changes into it. An existing directory is entered as rsync 3.5's {@code change_dir} enters
     * it: through root's and this user's symlinks only, unless {@code insecureLinks}, so that a symlink someone else
     * planted on the way cannot send the files elsewhere; a missing one, its nearest existing parent.
     *
     * @throws RsyncException rsync's "change_dir#1 ... failed" (exit code 3) for a path through someone else's symlink
     */
    public static LocalDest of(String arg, boolean insecureLinks) {
        Path path = PathBytes.path(arg);
        // a missing destination is made in its nearest existing directory, which is entered the same way
        Path entered = path;
        while (entered != null && !Files.isDirectory(entered)) {
            entered = entered.getParent();
        }
        if (entered != null) {
            try {
                Posix.close(OperatorPath.openDirectory(Path.of(""), PathBytes.text(entered), false, insecureLinks));
            } catch (IOException e) {
                throw new RsyncException(ExitCode.FILE_SELECT, "rsync: [Receiver] change_dir#1 \""
                        + Escaped.of(entered.toAbsolutePath()) + "\" failed: " + Posix.describe(e));
            }
        }
        if (Files.isSymbolicLink(path) && Files.isDirectory(path)) {
            try {
                path = path.toRealPath();
            } catch (IOException e) {
                // gone or unreadable since: the transfer reports it where it uses the path
            }
        }
        return new LocalDest(path, arg.endsWith("/"));
    }

    /** A path with no trailing "/": a directory when it is one, or when more than one file goes there. */
    public static LocalDest of(Path path) {
        return new LocalDest(path, false);
    }
}
