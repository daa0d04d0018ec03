package dev.jrsync.fs;

import java.nio.file.Path;

/**
 * What the source scanner asks of the filter rules: whether a name is excluded, and the rules in
 * force inside a directory (which may add that directory's per-directory merge file).
 */
public interface ScanFilter {
    /** {@code relPath} is relative to the transfer root, '/'-separated, the name's bytes. */
    boolean excluded(byte[] relPath, boolean isDir);

    /** The rules for the contents of {@code dir} (at {@code relDir}, empty for the root). */
    ScanFilter enter(Path dir, byte[] relDir);

    ScanFilter NONE = new ScanFilter() {
        @Override
        public boolean excluded(byte[] relPath, boolean isDir) {
            return false;
        }

        @Override
        public ScanFilter enter(Path dir, byte[] relDir) {
            return this;
        }
    };
}
