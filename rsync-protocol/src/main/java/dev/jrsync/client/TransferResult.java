package dev.jrsync.client;

import dev.jrsync.session.TransferStats;

/**
 * What a finished transfer leaves behind for the summary and the exit code.
 *
 * @param ioError rsync's io_error bits from both sides (vanished files, read errors)
 */
public record TransferResult(TransferStats stats, int ioError, long bytesWritten, long bytesRead) {}
