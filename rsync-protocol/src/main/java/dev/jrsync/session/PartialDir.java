package dev.jrsync.session;

import dev.jrsync.core.PathBytes;
import dev.jrsync.flist.FileEntry;
import dev.jrsync.flist.SafeNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where {@code --partial-dir} (or {@code --delay-updates}' own) keeps a file's partial or staged copy ({@code
 * rsync/util1.c:partial_dir_fname} and {@code handle_partial_dir}). A relative one lies beside each file and is
 * reached through the session's {@link PathResolver} like the file itself, so a daemon's stays in its module and
 * follows no symlink on the way. An absolute one is a single directory opened as the other operator directories
 * are ({@link OperatorDirs}), and is the user's to keep. A relative one that climbs ("..") or beside a lone file is
 * taken as the plain path, as rsync does; a daemon never passes one on (it sanitizes them first).
 */
final class PartialDir {
    /** A partial file and the directory that holds it ({@code dir} null when it is not the session's to remove). */
    record Place(Path file, Path dir) {}

    private final String dir;
    private final DestPaths paths;
    private final OperatorDirs operatorDirs;
    /** Whether names resolve through {@link #paths}' resolver: a relative dir without "..", not beside a lone file. */
    private final boolean resolved;

    PartialDir(String dir, DestPaths paths, OperatorDirs operatorDirs) {
        String clean = dir.startsWith("/") ? dir : String.join("/",
                java.util.Arrays.stream(dir.split("/")).filter(c -> !c.isEmpty() && !c.equals(".")).toList());
        this.dir = clean.isEmpty() ? dir : clean;
        this.paths = paths;
        this.operatorDirs = operatorDirs;
        this.resolved = !clean.isEmpty() && !dir.startsWith("/") && SafeNames.isSafeRelative(PathBytes.bytes(clean))
                && !paths.destination().soloFile();
    }

    /**
     * The partial file of {@code e}, whose destination is {@code target}; with {@code create} its directory is made
     * when missing, one component at a time beneath the last.
     */
    Place of(FileEntry e, Path target, boolean create) throws IOException {
        if (dir.startsWith("/")) {
            return new Place(operatorDirs.pin(paths.destination().root(), dir, create).resolve(target.getFileName()),
                    null);
        }
        if (!resolved) {
            Path file = TempNames.partialPath(target, dir);
            if (create) {
                Files.createDirectories(file.getParent());
            }
            return new Place(file, file.getParent());
        }
        String name = PathBytes.text(paths.nameInDestDir(e));
        int slash = name.lastIndexOf('/');
        String partialDir = (slash < 0 ? "" : name.substring(0, slash + 1)) + dir;
        Path root = paths.destination().root();
        if (create) {
            for (int s = partialDir.indexOf('/', slash + 1); ; s = partialDir.indexOf('/', s + 1)) {
                Path step = paths.resolver().resolve(root, PathBytes.bytes(s < 0 ? partialDir : partialDir.substring(0, s)));
                if (DestPaths.lstat(step) == null) {
                    Files.createDirectory(step);
                }
                if (s < 0) {
                    break;
                }
            }
        }
        return new Place(paths.resolver().resolve(root, PathBytes.bytes(partialDir + "/" + name.substring(slash + 1))),
                paths.resolver().resolve(root, PathBytes.bytes(partialDir)));
    }
}
