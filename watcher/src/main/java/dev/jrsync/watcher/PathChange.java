package dev.jrsync.watcher;

import java.nio.file.Path;

/**
 * One path-level change below the watched root, relative to it. {@code from} is set only for {@link Kind#MOVED}.
 * {@link Kind#RESCAN_NEEDED} (path is the empty path) means events were lost (kernel queue overflow): the consumer
 * must compare the whole tree.
 */
public record PathChange(Kind kind, Path path, Path from, boolean directory) {
    public enum Kind {
        CREATED,
        /**
         * Written to, the file possibly still open (IN_MODIFY): lets a consumer sync a file that is written
         * continuously; MODIFIED follows when it is closed.
         */
        WRITTEN,
        /** Written and closed: the content is complete. */
        MODIFIED,
        ATTRIBUTES,
        DELETED,
        MOVED,
        RESCAN_NEEDED
    }

    public static PathChange of(Kind kind, Path path, boolean directory) {
        return new PathChange(kind, path, null, directory);
    }
}
