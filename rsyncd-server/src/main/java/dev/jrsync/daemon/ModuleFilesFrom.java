package dev.jrsync.daemon;

import dev.jrsync.core.Escaped;
import dev.jrsync.core.PathBytes;
import dev.jrsync.core.SessionLog;
import dev.jrsync.fs.Posix;
import dev.jrsync.fs.SourceScanner;
import dev.jrsync.session.FilesFromNames;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A daemon's {@code --files-from} ({@code rsync/options.c:parse_arguments} opening it in the module, {@code
 * flist.c:send_file_list} reading it): a list file named by the client is read inside the module, its path
 * resolved as a path argument is (no symlink on the way leads out, {@link ModulePaths}); and each listed name is
 * held to the module the same way before the scanner follows it.
 */
final class ModuleFilesFrom {
    private ModuleFilesFrom() {}

    /**
     * The names in list file {@code file}, a path in the module (a leading '/' is the module's root); one the
     * module's rules exclude, or none at all, rejects the options as rsync's daemon does.
     */
    static List<String> read(ModulePaths paths, ModuleFilter filter, String file, boolean from0)
            throws ModulePaths.Refused {
        String inner = ServerReceiver.sanitized(file, "");
        if (inner.isEmpty() || filter.refusesUpload(PathBytes.bytes(inner), false)) {
            throw new ModulePaths.Refused("Your options have been rejected by the server.");
        }
        Path list = paths.resolve(inner, true);
        try (InputStream in = Files.newInputStream(list, LinkOption.NOFOLLOW_LINKS)) {
            return FilesFromNames.parse(in.readNBytes(FilesFromNames.MAX_LIST_BYTES), from0);
        } catch (IOException e) {
            throw new ModulePaths.Refused("failed to open files-from file " + file + ": " + Posix.describe(e));
        }
    }

    /**
     * {@code names} without those that lead out of the module below source directory {@code sourceInner} (its
     * path in the module), each left out with an error on {@code log}.
     */
    static List<String> confined(List<String> names, ModulePaths paths, String sourceInner, SessionLog log) {
        List<String> kept = new ArrayList<>(names.size());
        String prefix = sourceInner.isEmpty() || sourceInner.endsWith("/") ? sourceInner : sourceInner + "/";
        for (String name : names) {
            String path = SourceScanner.sanitized(name).replace("/./", "/");
            try {
                paths.resolve(prefix + path, false);
                kept.add(name);
            } catch (ModulePaths.Refused e) {
                log.error("rsync: [sender] " + Escaped.of(name) + ": " + e.getMessage());
            }
        }
        return kept;
    }
}
