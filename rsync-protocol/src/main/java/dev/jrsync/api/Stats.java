package dev.jrsync.api;

/**
 * The figures rsync prints with {@code --stats} ({@code rsync/main.c:output_summary}).
 *
 * @param files            regular files in the file list
 * @param directories      directories in the file list
 * @param symlinks         symbolic links in the file list
 * @param createdFiles     entries of any kind the destination did not have
 * @param deletedFiles     entries of any kind {@code --delete} removed
 * @param transferredFiles regular files whose data was sent
 * @param totalSize        bytes in the file list's regular files and links
 * @param transferredSize  bytes in the files that were sent
 * @param literalBytes     bytes sent as data
 * @param matchedBytes     bytes the receiver took from its basis file
 * @param fileListBytes    bytes of the encoded file list
 * @param bytesSent        bytes this side wrote to the connection
 * @param bytesReceived    bytes this side read from it
 */
public record Stats(long files, long directories, long symlinks, long createdFiles, long deletedFiles,
                    long transferredFiles, long totalSize, long transferredSize, long literalBytes, long matchedBytes,
                    long fileListBytes, long bytesSent, long bytesReceived) {
    /** A transfer that never started. */
    public static final Stats NONE = new Stats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
