package dev.jrsync.session;

import dev.jrsync.flist.SafeNames;
import java.nio.file.Path;

/**
 * Turns a file-list name into the local path both roles write through. The default is
 * {@link SafeNames#resolve}; a daemon plugs in one that pins each parent directory with an open
 * descriptor, so a symlink swapped in after the check cannot redirect the write.
 */
@FunctionalInterface
public interface PathResolver {
    Path resolve(Path root, byte[] name) throws SafeNames.UnsafePathException;
}
