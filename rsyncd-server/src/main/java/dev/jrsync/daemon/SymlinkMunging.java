package dev.jrsync.daemon;

import dev.jrsync.flist.FileEntry;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * {@code munge symlinks} ({@code rsync/flist.c} with {@code SYMLINK_PREFIX}): a munging daemon stores
 * received symlink targets behind {@code /rsyncd-munged/} so they cannot point anywhere usable, and strips
 * the prefix again when it sends them, so clients see the links as they were uploaded.
 */
final class SymlinkMunging {
    private SymlinkMunging() {}

    static final String PREFIX = "/rsyncd-munged/";
    private static final byte[] PREFIX_BYTES = PREFIX.getBytes(StandardCharsets.US_ASCII);

    /** The entry to store for a received one: a symlink's target gets the prefix, everything else is unchanged. */
    static FileEntry munge(FileEntry e) {
        byte[] target = e.linkTarget();
        if (!e.isSymlink() || target == null) {
            return e;
        }
        byte[] munged = new byte[PREFIX_BYTES.length + target.length];
        System.arraycopy(PREFIX_BYTES, 0, munged, 0, PREFIX_BYTES.length);
        System.arraycopy(target, 0, munged, PREFIX_BYTES.length, target.length);
        return withTarget(e, munged);
    }

    /** The entry to send for a scanned one: symlinks lose the munge prefix, everything else is unchanged. */
    static FileEntry unmunge(FileEntry e) {
        byte[] target = e.linkTarget();
        if (!e.isSymlink() || target == null || target.length <= PREFIX_BYTES.length
                || !Arrays.equals(target, 0, PREFIX_BYTES.length, PREFIX_BYTES, 0, PREFIX_BYTES.length)) {
            return e;
        }
        return withTarget(e, Arrays.copyOfRange(target, PREFIX_BYTES.length, target.length));
    }

    static FileEntry withTarget(FileEntry e, byte[] target) {
        return FileEntry.builder(e.name(), e.mode()).size(target.length).mtime(e.mtime(), e.mtimeNsec())
                .atime(e.atime()).owner(e.uid(), e.gid()).linkTarget(target).xattrs(e.xattrs()).localDir(e.localDir()).build();
    }
}
