package dev.jrsync.session;

import dev.jrsync.core.PathBytes;
import dev.jrsync.wire.ProtocolInput;
import dev.jrsync.wire.ProtocolOutput;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The names of a {@code --files-from} list, as its file holds them and as they cross the connection to the sender ({@code rsync/io.c:forward_filesfrom_data},
 * and the sender's {@code read_line} on {@code filesfrom_fd}): the side holding the list sends each name NUL-ended,
 * no empty names, and one more NUL to end it. The receiving side sends it right after the filter list, before the
 * file list comes back. The names go as the list file's reader made them ({@code client.FilesFromList}), comments
 * left out.
 */
public final class FilesFromNames {
    /** A list longer than this is refused rather than held: names a user lists, not a disk image. */
    public static final int MAX_LIST_BYTES = 1 << 30;
    /** rsync reads a listed name into a MAXPATHLEN buffer, dropping what does not fit. */
    static final int MAX_NAME = 4095;

    private FilesFromNames() {}

    /** The bytes that carry {@code names}: each NUL-ended, the empty ones left out, then the NUL that ends them. */
    public static byte[] encode(List<String> names) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String name : names) {
            if (!name.isEmpty()) {
                out.writeBytes(PathBytes.bytes(name));
                out.write(0);
            }
        }
        out.write(0);
        return out.toByteArray();
    }

    /** Sends {@code names} as {@link #encode} makes them, and flushes. */
    public static void send(ProtocolOutput out, List<String> names) {
        out.write(encode(names));
        out.flush();
    }

    /** The names the other side sent, up to the empty one that ends them. */
    public static List<String> receive(ProtocolInput in) {
        List<String> names = new ArrayList<>();
        byte[] name = new byte[MAX_NAME];
        while (true) {
            int len = 0;
            for (int b = in.readUnsignedByte(); b != 0; b = in.readUnsignedByte()) {
                if (len < MAX_NAME) {
                    name[len++] = (byte) b;
                }
            }
            if (len == 0) {
                return names;
            }
            names.add(PathBytes.text(Arrays.copyOf(name, len)));
        }
    }

    /**
     * The names in {@code text}, a list as its file holds it: split at newlines and carriage returns (NULs with
     * {@code from0}), comments and empty names left out, a leading "/" or "./" dropped.
     */
    public static List<String> parse(byte[] text, boolean from0) {
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
            if (!line.isEmpty()) {
                names.add(line);
            }
        }
        return names;
    }
}
