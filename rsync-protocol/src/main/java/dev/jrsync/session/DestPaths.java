package dev.jrsync.session;

import dev.jrsync.core.PathBytes;
import dev.jrsync.flist.FileEntry;
import dev.jrsync.flist.SafeNames;
import dev.jrsync.fs.FakeSuper;
import dev.jrsync.fs.LocalStat;
import dev.jrsync.fs.Posix;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The destination's names as both roles see them: a file-list name resolved below the destination (through the
 * session's {@link PathResolver}, so a daemon's writes stay in its module) and stat'ed as {@code
 * rsync/flist.c:link_stat} does, fake super's stored attributes over the real ones.
 */
final class DestPaths {
    private final Destination dest;
    private final PathResolver resolver;
    private final boolean fakeSuper;

    DestPaths(Destination dest, PathResolver resolver, boolean fakeSuper) {
        this.dest = dest;
        this.resolver = resolver;
        this.fakeSuper = fakeSuper;
    }

    Destination destination() {
        return dest;
    }

    PathResolver resolver() {
        return resolver;
    }

    /** The local path for an entry, after the name checks of the resolver. */
    Path pathOf(FileEntry e) throws SafeNames.UnsafePathException {
        if (dest.soloFile()) {
            return dest.root();
        }
        return resolver.resolve(dest.root(), e.name());
    }

    /**
     * The entry's path by name, as messages show it: {@link #pathOf} may be one through a pinned directory
     * ({@code /proc/self/fd/N/leaf}), which tells a user nothing.
     */
    Path shownPath(FileEntry e) {
        return dest.soloFile() ? dest.root() : PathBytes.resolve(dest.root(), e.name());
    }

    /** The entry's name below the destination directory: a lone file's is the name it is copied to. */
    byte[] nameInDestDir(FileEntry e) {
        return dest.soloFile() ? PathBytes.of(dest.root().getFileName()) : e.name();
    }

    /** What a destination name is taken to be: its {@code lstat}, with fake super's stored attributes over it. */
    LocalStat destStat(Path p) {
        if (!fakeSuper) {
            return lstat(p);
        }
        try {
            return FakeSuper.lstat(p);
        } catch (IOException ex) {
            return null;
        }
    }

    /** A destination symlink's target; with fake super, what its stand-in file holds. */
    byte[] readlink(Path p) throws IOException {
        return fakeSuper ? FakeSuper.readlink(p, false) : Posix.readlink(p);
    }

    /** {@code lstat}, null when nothing (readable) is there. */
    static LocalStat lstat(Path p) {
        try {
            return LocalStat.ofOrNull(p);
        } catch (IOException ex) {
            return null;
        }
    }
}
