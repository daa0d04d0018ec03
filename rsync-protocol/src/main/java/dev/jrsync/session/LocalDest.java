package dev.jrsync.session;

import dev.jrsync.core.PathBytes;
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
     * following links, and changes into it.
     */
    public static LocalDest of(String arg) {
        Path path = PathBytes.path(arg);
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
