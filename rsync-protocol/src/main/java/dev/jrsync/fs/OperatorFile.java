package dev.jrsync.fs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The contents of a file an administrator named (a daemon's {@code secrets file} or {@code motd file}),
 * opened through {@link OperatorPath} so that nobody else's symlink is followed on the way, with the owner
 * and mode of the very file read: a check on them cannot be steered to another file between check and read
 * ({@code rsync/authenticate.c:check_secret} and {@code clientserver.c:exchange_protocols} open them with
 * {@code open_no_attacker_symlinks} and check them with {@code do_fstat}).
 */
public final class OperatorFile {
    private OperatorFile() {}

    public record Contents(byte[] bytes, LocalStat stat) {
        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** At most {@code maxBytes} of regular file {@code name} (relative to the working directory unless absolute). */
    public static Contents read(String name, int maxBytes) throws IOException {
        int fd = OperatorPath.openFile(Path.of(""), name, false);
        try {
            LocalStat st = Posix.fstat(fd);
            if (!st.isRegular()) {
                // a FIFO would block the reader for as long as its writer likes
                throw new FileSystemException(name, null, "not a regular file");
            }
            try (InputStream in = Files.newInputStream(OperatorPath.pinned(fd))) {
                return new Contents(in.readNBytes(maxBytes), st);
            }
        } finally {
            Posix.close(fd);
        }
    }
}
