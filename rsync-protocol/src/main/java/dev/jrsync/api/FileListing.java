package dev.jrsync.api;

import java.util.List;

/**
 * What {@link Rsync#list} found: the entries in the order rsync lists them, and how the listing ended (a source
 * that could not be read gives exit code 23 and the entries that could).
 *
 * @param files   the entries, the listed directory itself first when it is one
 * @param outcome the exit code and error, as for a transfer; its stats count the file list
 */
public record FileListing(List<ListedFile> files, TransferOutcome outcome) {
    public FileListing {
        files = List.copyOf(files);
    }
}
