package dev.jrsync.client;

import dev.jrsync.core.ExitCode;
import dev.jrsync.core.PathBytes;
import dev.jrsync.core.RsyncException;
import dev.jrsync.fs.OperatorPath;
import dev.jrsync.fs.Posix;
import dev.jrsync.options.Options;
import dev.jrsync.options.OptionsBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The names of {@code --files-from} ({@code rsync/flist.c:send_file_list} reading {@code filesfrom_fd}): one a
 * line ({@code --from0}: NUL-ended), lines starting with '#' or ';' left out, a leading "/" or "./" dropped (each
 * is taken relative to the source directory). The file is opened as rsync 3.5 opens it: through root's and this
 * user's symlinks only ({@link OperatorPath}), so a list planted behind someone else's symlink is not read.
 */
final class FilesFromList {
    /** A list longer than this is refused rather than held: names a user lists, not a disk image. */
    private static final int MAX_BYTES = 1 << 30;

    private FilesFromList() {}

    /** {@code options} with {@link Options#filesFrom} read from its {@code --files-from} file, if it names one. */
    static Options resolve(Options options) {
        String file = options.filesFromFile();
        if (file == null || options.filesFrom() != null) {
            return options;
        }
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
        OptionsBuilder b = options.toBuilder();
        b.filesFrom = names(text, options.from0());
        return b.build();
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

    private static List<String> names(byte[] text, boolean from0) {
        List<String> names = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= text.length; i++) {
            boolean end = i == text.length || (from0 ? text[i] == 0 : text[i] == '\n' || text[i] == '\r');
            if (!end) {
                continue;
            }
            String line = PathBytes.text(Arrays.copyOfRange(text, start, i));
            start = i + 1;
            if (line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            line = line.replaceAll("^(/|\\./)+", "");
            if (!line.isEmpty() && !line.equals(".")) {
                names.add(line);
            }
        }
        return names;
    }
}
