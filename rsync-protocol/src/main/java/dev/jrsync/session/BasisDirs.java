package dev.jrsync.session;

import dev.jrsync.core.Escaped;
import dev.jrsync.core.PathBytes;
import dev.jrsync.core.SessionLog;
import dev.jrsync.flist.SafeNames;
import dev.jrsync.fs.Posix;
import dev.jrsync.options.AltDest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The receiver's alternate basis directories ({@code rsync/options.c}: {@code basis_dir[]} and
 * {@code alt_dest_type}): where the generator looks for a file the destination lacks, and (for
 * {@code --compare-dest} and {@code --link-dest}) for an identical copy of one it has. Each directory resolves
 * names through its own {@link PathResolver}, so a daemon confines them to the module as it does the
 * destination.
 */
public final class BasisDirs {
    /** One directory: its path and how a file-list name is turned into a path below it. */
    public record Dir(Path root, PathResolver resolver) {}

    /** No alternate basis directories. */
    public static final BasisDirs NONE = new BasisDirs(null, List.of());

    private final AltDest type;
    private final List<Dir> dirs;

    public BasisDirs(AltDest type, List<Dir> dirs) {
        if (dirs.size() > AltDest.MAX_DIRS) {
            throw new IllegalArgumentException("at most " + AltDest.MAX_DIRS + " basis directories");
        }
        this.type = type;
        this.dirs = List.copyOf(dirs);
    }

    /**
     * A client's or local copy's directories: relative ones below the destination directory, each opened as
     * rsync 3.5 opens an operator's path (only root's and this user's symlinks followed, a {@code ../backup}
     * beside the destination is the usual case) and held by {@code pins} until the session ends. A missing or
     * refused one is warned about and left out: there is nothing in it to find.
     */
    // rsync/main.c:check_alt_basis_dirs
    static BasisDirs local(AltDest type, List<String> basisDirs, Path destDir, SessionLog log, OperatorDirs pins) {
        if (basisDirs.isEmpty()) {
            return NONE;
        }
        List<Dir> dirs = new ArrayList<>();
        // rsync/main.c (dry_run > 1): a dry run does not make the destination, so a relative basis directory is
        // taken from its parent, less one leading "../"
        boolean unmade = !Files.isDirectory(destDir) && destDir.getParent() != null;
        for (String given : basisDirs) {
            String dir = given.length() > 1 && given.endsWith("/") ? given.substring(0, given.length() - 1) : given;
            Path anchor = destDir;
            if (unmade && !dir.startsWith("/")) {
                anchor = destDir.getParent();
                dir = dir.startsWith("../") ? dir.substring(3) : dir.equals("..") ? "." : dir;
            }
            Path p = anchor.resolve(PathBytes.path(dir));
            try {
                dirs.add(new Dir(pins.pin(anchor, dir, false), SafeNames::resolve));
            } catch (IOException e) {
                log.error(type.option() + (!Files.exists(p) ? " arg does not exist: " + Escaped.of(p)
                        : !Files.isDirectory(p) ? " arg is not a dir: " + Escaped.of(p)
                        : " arg " + Escaped.of(p) + ": " + Posix.describe(e)));
            }
        }
        return new BasisDirs(type, dirs);
    }

    public AltDest type() {
        return type;
    }

    public int size() {
        return dirs.size();
    }

    public boolean isEmpty() {
        return dirs.isEmpty();
    }

    /** The path of file-list name {@code name} in directory {@code j}. */
    Path resolve(int j, byte[] name) throws SafeNames.UnsafePathException {
        Dir d = dirs.get(j);
        return d.resolver().resolve(d.root(), name);
    }
}
