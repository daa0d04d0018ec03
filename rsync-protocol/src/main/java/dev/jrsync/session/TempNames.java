package dev.jrsync.session;

import dev.jrsync.core.PathBytes;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/** Where a file is written before it is renamed into place: a temporary name, or the partial directory. */
final class TempNames {
    private TempNames() {}

    /** The partial file for {@code path} under {@code partialDir} (relative to the file's directory). */
    static Path partialPath(Path path, String partialDir) {
        Path pd = Path.of(partialDir);
        Path dir = pd.isAbsolute() ? pd : path.getParent().resolve(pd);
        return dir.resolve(path.getFileName());
    }

    /** A fresh {@code .NAME.XXXXXX} name in {@code dir} for the file {@code name} ({@code rsync/receiver.c:get_tmpname}). */
    static Path tempName(Path dir, Path name) {
        byte[] b = PathBytes.of(name);
        int len = Math.min(b.length, 255 - 8);
        while (len < b.length && len > 0 && (b[len] & 0xC0) == 0x80) {
            len--; // not in the middle of a UTF-8 sequence
        }
        String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        byte[] tmp = new byte[len + 8];
        tmp[0] = '.';
        System.arraycopy(b, 0, tmp, 1, len);
        tmp[len + 1] = '.';
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int i = 0; i < 6; i++) {
            tmp[len + 2 + i] = (byte) chars.charAt(r.nextInt(chars.length()));
        }
        return dir.resolve(PathBytes.path(tmp));
    }
}
