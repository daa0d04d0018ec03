package dev.jrsync.fs;

import dev.jrsync.checksum.ChecksumType;

/**
 * What the source scanner includes and records.
 *
 * @param recursive {@code -r}
 * @param dirs {@code -d}: directories named on the command line are sent without their contents
 * @param links {@code -l}: symlinks are sent as symlinks (otherwise skipped as non-regular)
 * @param devices {@code --devices}
 * @param specials {@code --specials}
 * @param oneFileSystem {@code -x}: do not cross into other filesystems while recursing
 * @param fileChecksum the {@code --checksum} file-list sum to compute for regular files, or null
 */
public record ScanOptions(boolean recursive, boolean dirs, boolean links, boolean devices, boolean specials,
                          boolean oneFileSystem, ChecksumType fileChecksum) {
}
