package dev.jrsync.batch;

import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import dev.jrsync.fs.LocalStat;
import dev.jrsync.fs.OperatorPath;
import dev.jrsync.fs.Posix;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Opens a batch file and its replay script. Their names are the operator's, and are opened as rsync 3.5 opens
 * every such path ({@link OperatorPath}): through root's and this user's symlinks only, so that a symlink
 * someone else planted can neither have a privileged run truncate a file of the planter's choosing nor feed it
 * the planter's bytes as a batch. A batch read must be a regular file: a FIFO or device there would stream
 * whatever its writer likes.
 */
// rsync/batch.c:open_batch_files
public final class BatchFiles {
    private BatchFiles() {}

    /** The batch file, truncated, for writing (a new one is 0600). */
    public static OutputStream create(String name, boolean insecureLinks) {
        return open(name, 0600, insecureLinks, ExitCode.FILE_IO);
    }

    /** The replay script {@code name.sh}, truncated, for writing (a new one is 0700). */
    public static OutputStream createScript(String name, boolean insecureLinks) {
        return open(name + ".sh", 0700, insecureLinks, ExitCode.FILE_SELECT);
    }

    /** The batch to read: standard input for "-", else the regular file {@code name}. */
    public static InputStream read(String name, boolean insecureLinks) {
        if (name.equals("-")) {
            return System.in;
        }
        int fd;
        try {
            fd = OperatorPath.openFile(Path.of(""), name, insecureLinks);
        } catch (IOException e) {
            throw openError(name, e, ExitCode.FILE_IO);
        }
        try {
            LocalStat st = Posix.fstat(fd);
            if (!st.isRegular()) {
                throw new RsyncException(ExitCode.FILE_IO, "Batch file " + quoted(name) + " is not a regular file");
            }
            return Files.newInputStream(OperatorPath.pinned(fd));
        } catch (IOException e) {
            throw openError(name, e, ExitCode.FILE_IO);
        } finally {
            Posix.close(fd);
        }
    }

    private static OutputStream open(String name, int newMode, boolean insecureLinks, int code) {
        try {
            boolean existed = Posix.lstatOrNull(Path.of(name)) != null;
            int fd = OperatorPath.createFile(Path.of(""), name, insecureLinks);
            try {
                Path pinned = OperatorPath.pinned(fd);
                if (!existed) {
                    // through the descriptor's link to exactly the file the walk opened
                    Files.setPosixFilePermissions(pinned, java.nio.file.attribute.PosixFilePermissions.fromString(
                            newMode == 0700 ? "rwx------" : "rw-------"));
                }
                return Files.newOutputStream(pinned, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            } finally {
                Posix.close(fd);
            }
        } catch (IOException e) {
            throw openError(name, e, code);
        }
    }

    private static RsyncException openError(String name, IOException e, int code) {
        return new RsyncException(code, "rsync: Batch file " + quoted(name) + " open error: " + Posix.describe(e));
    }

    private static String quoted(String name) {
        return "\"" + name + "\"";
    }
}
