package dev.jrsync.api;

import dev.jrsync.core.Escaped;
import dev.jrsync.core.ListedEntry;
import dev.jrsync.flist.FileMode;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a listing ({@code rsync/generator.c:list_file_entry}): what {@code --list-only} prints as a line.
 *
 * @param name       the path under the listing's root as rsync prints it: control characters and bytes that are
 *                   not UTF-8 as {@code \#ooo}; the listed directory itself is {@code "."}
 * @param rawName    the path's bytes as the file list carries them
 * @param kind       what the entry is
 * @param mode       the permission bits, set-id and sticky included ({@code 0755}); the kind is {@link #kind}
 * @param size       the length in bytes (a symlink's: its target's length)
 * @param mtime      the modification time, to the second
 * @param linkTarget a symlink's target as rsync prints it; empty for other kinds, and for symlinks listed
 *                   without {@code links()}
 */
public record ListedFile(String name, byte[] rawName, Kind kind, int mode, long size, Instant mtime,
                         Optional<String> linkTarget) {
    /** The kinds of entry a file list holds, each with its {@code st_mode} type bits. */
    public enum Kind {
        FILE(FileMode.S_IFREG), DIRECTORY(FileMode.S_IFDIR), SYMLINK(FileMode.S_IFLNK),
        CHAR_DEVICE(FileMode.S_IFCHR), BLOCK_DEVICE(FileMode.S_IFBLK), FIFO(FileMode.S_IFIFO),
        SOCKET(FileMode.S_IFSOCK);

        private final int typeBits;

        Kind(int typeBits) {
            this.typeBits = typeBits;
        }

        static Kind of(int mode) {
            for (Kind k : values()) {
                if (FileMode.type(mode) == k.typeBits) {
                    return k;
                }
            }
            return FILE; // rsync lists an unknown type as a file
        }
    }

    public ListedFile {
        rawName = rawName.clone();
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(mtime, "mtime");
        Objects.requireNonNull(linkTarget, "linkTarget");
    }

    static ListedFile of(ListedEntry e) {
        return new ListedFile(Escaped.of(e.name()), e.name(), Kind.of(e.mode()), e.mode() & 07777, e.size(),
                Instant.ofEpochSecond(e.mtime()), Optional.ofNullable(e.linkTarget()).map(Escaped::of));
    }

    /**
     * The line {@code rsync --list-only} prints for the entry ({@code drwxr-xr-x 4,096 2026/12/04 10:00:00 dir}),
     * with {@code -h} given {@code humanReadable} times (0: sizes in plain digits) and the time in this JVM's zone.
     */
    public String line(int humanReadable) {
        return ListedEntry.line(kind.typeBits | mode, size, mtime.getEpochSecond(), name, linkTarget.orElse(null),
                humanReadable);
    }

    /** A copy of the name's bytes. */
    @Override
    public byte[] rawName() {
        return rawName.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ListedFile f && name.equals(f.name) && Arrays.equals(rawName, f.rawName)
                && kind == f.kind && mode == f.mode && size == f.size && mtime.equals(f.mtime)
                && linkTarget.equals(f.linkTarget);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, Arrays.hashCode(rawName), kind, mode, size, mtime, linkTarget);
    }

    @Override
    public String toString() {
        return kind + " " + name + " " + Integer.toOctalString(mode) + " " + size + " " + mtime
                + linkTarget.map(t -> " -> " + t).orElse("");
    }
}
