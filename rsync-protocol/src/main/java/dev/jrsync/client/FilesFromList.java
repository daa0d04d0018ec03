package dev.jrsync.client;

import dev.jrsync.core.ExitCode;
import dev.jrsync.core.PathBytes;
import dev.jrsync.core.RsyncException;
import dev.jrsync.fs.OperatorPath;
import dev.jrsync.fs.Posix;
import dev.jrsync.fs.ScanFilter;
import dev.jrsync.fs.SourceScanner;
import dev.jrsync.options.Options;
import dev.jrsync.options.OptionsBuilder;
import dev.jrsync.session.FilesFromNames;
import dev.jrsync.wire.ProtocolInput;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The names of {@code --files-from} ({@code rsync/flist.c:send_file_list} reading {@code filesfrom_fd}): one a
 * line ({@code --from0}: NUL-ended), lines starting with '#' or ';' left out, a leading "/" or "./" dropped (each
 * is taken relative to the source directory). The file is opened as rsync 3.5 opens it: through root's and this
 * user's symlinks only ({@link OperatorPath}), so a list planted behind someone else's symlink is not read.
 */
final class FilesFromList {
    /** A list longer than this is refused rather than held: names a user lists, not a disk image. */
    private static final int MAX_BYTES = FilesFromNames.MAX_LIST_BYTES;

    private FilesFromList() {}

    /**
     * {@code options} with {@link Options#filesFrom} read from its {@code --files-from} file, if it names one here:
     * not a list on the other side ({@code host:path}), nor a server's "-", which is the connection
     * ({@link dev.jrsync.session.FilesFromNames}).
     */
    static Options resolve(Options options) {
        String file = options.filesFromFile();
        if (file == null || options.filesFrom() != null || options.remoteFilesFrom() != null
                || (options.server() && file.equals("-"))) {
            return options;
        }
        OptionsBuilder b = options.toBuilder();
        b.filesFrom = FilesFromNames.parse(text(options), options.from0());
        return b.build();
    }

    /** The bytes of the local {@code --files-from} file ("-": standard input). */
    static byte[] text(Options options) {
        String file = options.filesFromFile();
        byte[] text;
        try {
            text = file.equals("-") ? System.in.readNBytes(MAX_BYTES) : read(file, options.insecureLinks());
        } catch (IOException e) {
            throw new RsyncException(ExitCode.FILE_IO, "rsync: failed to open files-from file " + file + ": "
                    + Posix.describe(e));
        }
        if (text.length == MAX_BYTES) {
            throw new RsyncException(ExitCode.FILE_IO, "rsync: files-from file " + file + " is too long");
        }
        return text;
    }

    /**
     * Adds the sender's sources to {@code scanner}: with {@code --files-from}, the listed names below the one
     * source directory, those not read here read from {@code connection} (a server's "-", a client's
     * {@code host:path}); otherwise the sources themselves (or a list given as {@link Options#filesFrom} alone,
     * the mirror's changed paths).
     */
    static void addSources(SourceScanner scanner, Options options, List<String> sources, ScanFilter filter,
                           ProtocolInput connection) {
        if (options.filesFromFile() == null) {
            scanner.addSources(sources, options.filesFrom(), filter);
            return;
        }
        if (sources.size() != 1) {
            throw new RsyncException(ExitCode.SYNTAX, "rsync: --files-from needs exactly one source directory");
        }
        if (options.filesFrom() == null && connection == null) {
            throw new RsyncException(ExitCode.SYNTAX, "rsync: --files-from=" + options.filesFromFile()
                    + " names a list on a remote host, and this transfer has none");
        }
        List<String> listed = options.filesFrom() != null ? options.filesFrom()
                : FilesFromNames.receive(connection);
        scanner.addFilesFrom(PathBytes.path(sources.getFirst()), listed, filter, options.missingArgs());
    }

    /** A pipe too ({@code --files-from=<(find ...)}): only its name must not be someone else's symlink. */
    private static byte[] read(String file, boolean insecureLinks) throws IOException {
        int fd = OperatorPath.openFile(Path.of(""), file, insecureLinks);
        try (InputStream in = Files.newInputStream(OperatorPath.pinned(fd))) {
            return in.readNBytes(MAX_BYTES);
        } finally {
            Posix.close(fd);
        }
    }
}
