package dev.jrsync.api;

import java.time.Duration;
import java.util.Objects;

/**
 * The figures rsync prints with {@code --stats} ({@code rsync/main.c:output_summary}).
 *
 * @param listed            the file list's entries, by kind
 * @param created           entries the destination did not have, by kind
 * @param deleted           entries {@code --delete} removed, by kind
 * @param transferredFiles  regular files whose data was sent
 * @param totalSize         bytes in the file list's regular files and links
 * @param transferredSize   bytes in the files that were sent
 * @param literalBytes      bytes sent as data
 * @param matchedBytes      bytes the receiver took from its basis file
 * @param fileListBytes     bytes of the encoded file list
 * @param fileListBuildTime time spent building the file list (on the sending side)
 * @param fileListSendTime  time spent sending it
 * @param bytesSent         bytes this side wrote to the connection
 * @param bytesReceived     bytes this side read from it
 */
public record Stats(Counts listed, Counts created, Counts deleted, long transferredFiles, long totalSize,
                    long transferredSize, long literalBytes, long matchedBytes, long fileListBytes,
                    Duration fileListBuildTime, Duration fileListSendTime, long bytesSent, long bytesReceived) {
    /** A transfer that never started. */
    public static final Stats NONE = new Stats(Counts.NONE, Counts.NONE, Counts.NONE, 0, 0, 0, 0, 0, 0, Duration.ZERO,
            Duration.ZERO, 0, 0);

    public Stats {
        Objects.requireNonNull(listed, "listed");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(deleted, "deleted");
        Objects.requireNonNull(fileListBuildTime, "fileListBuildTime");
        Objects.requireNonNull(fileListSendTime, "fileListSendTime");
    }

    /**
     * File-list entries by kind, as {@code --stats} counts them ({@code reg}, {@code dir}, {@code link},
     * {@code dev}, {@code special}).
     */
    public record Counts(long regular, long directories, long symlinks, long devices, long specials) {
        static final Counts NONE = new Counts(0, 0, 0, 0, 0);

        /** Entries of every kind. */
        public long total() {
            return regular + directories + symlinks + devices + specials;
        }
    }
}
