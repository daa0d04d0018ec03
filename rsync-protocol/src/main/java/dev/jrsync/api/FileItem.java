package dev.jrsync.api;

import java.util.Objects;
import java.util.Optional;

/**
 * One file, directory or link the transfer looked at and reported ({@code rsync/log.c:log_item}), whatever the
 * verbosity; rsync prints a line for it when {@code -v} or {@code -i} asks for one.
 *
 * @param name        the path under the transfer's root, as rsync prints it ({@code %n}); a directory ends in "/"
 * @param changes     rsync's itemized change string ({@code %i}), such as {@code >f+++++++++} for a new file
 *                    sent or {@code .d..t......} for a directory whose time was set
 * @param transferred whether the file's data went over the wire (or was copied, locally)
 * @param significant whether anything changed that rsync's {@code -i} reports ({@code SIGNIFICANT_ITEM_FLAGS});
 *                    false for an item {@code -ii} alone shows
 * @param localChange whether the change was made on the receiving side alone ({@code ITEM_LOCAL_CHANGE}: a
 *                    hard link, a basis copied from {@code --copy-dest})
 * @param linkTarget  a symlink's target as rsync prints it; empty for anything else
 * @param hardLinkTo  with {@code -H}, the earlier name of the same file this one was hard-linked to, as rsync
 *                    prints it after {@code " => "}; empty for anything else
 * @param operation   "send" when this side sent the file, "recv" when it received it (rsync's {@code %o})
 * @param path        the name with the directory it was sent from, as rsync's {@code %f} shows it; for a file
 *                    received, the name
 * @param mode        the file's type and permission bits ({@code st_mode})
 * @param size        its length in bytes
 * @param mtime       its modification time, in seconds since the epoch
 * @param uid         its owner's id, as the file list carries it
 * @param gid         its group's id, as the file list carries it
 * @param bytes       what its data took on the wire, as rsync's {@code %b} shows it, for an item reported once its
 *                    data moved (a format with {@code %b}, {@code %c} or {@code %C}); 0 otherwise
 * @param checksum    its whole-file checksum in hex, as rsync's {@code %C} shows it: the file list's ({@code -c}),
 *                    else the transfer's for an item reported once its data moved; empty otherwise
 */
public record FileItem(String name, String changes, boolean transferred, boolean significant, boolean localChange,
                       Optional<String> linkTarget, Optional<String> hardLinkTo, String operation, String path, int mode, long size,
                       long mtime, int uid, int gid, long bytes, Optional<String> checksum) {
    public FileItem {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(changes, "changes");
        Objects.requireNonNull(linkTarget, "linkTarget");
        Objects.requireNonNull(hardLinkTo, "hardLinkTo");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(checksum, "checksum");
    }

    /** Whether the item is a directory. */
    public boolean directory() {
        return name.endsWith("/");
    }
}
