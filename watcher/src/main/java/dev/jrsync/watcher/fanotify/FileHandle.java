package dev.jrsync.watcher.fanotify;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A directory's {@code struct file_handle} as an event reports it (the type and the opaque bytes), comparable by
 * content so it can key a cache; the filesystem is implied (one mark, one filesystem).
 */
public final class FileHandle {
    private final int type;
    private final byte[] bytes;

    public FileHandle(int type, byte[] bytes) {
        this.type = type;
        this.bytes = bytes.clone();
    }

    public int type() {
        return type;
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FileHandle h && h.type == type && Arrays.equals(h.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return 31 * type + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return type + ":" + HexFormat.of().formatHex(bytes);
    }
}
