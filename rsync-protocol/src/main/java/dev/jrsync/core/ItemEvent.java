package dev.jrsync.core;

/**
 * One item a role reports ({@code rsync/log.c:log_item} and {@code maybe_log_item}), whatever the verbosity: the
 * printing layer decides from {@code -v}/{@code -i} whether it makes a line, and a library's listener gets it whole.
 *
 * @param name        the path under the transfer's root as rsync prints it ({@code %n}, escaped); a directory's ends
 *                    in "/"
 * @param changes     the eleven-letter {@code %i} string, e.g. {@code >f+++++++++}
 * @param transferred whether the file's data moved (such an item always makes a line with {@code -v})
 * @param significant whether anything worth a line changed ({@code SIGNIFICANT_ITEM_FLAGS})
 * @param localChange a change made on the receiving side alone ({@code ITEM_LOCAL_CHANGE}: a copied basis, a link)
 * @param linkTarget  a symlink's target as printed, escaped; null for anything else
 * @param hardLinkTo  the name this entry was hard-linked to ({@code -H}, rsync's {@code " => "} in {@code %L}),
 *                    escaped; null for anything else
 * @param operation   {@code %o}: "send" from a sender, "recv" from a receiver
 * @param path        the name with the directory it was sent from ({@code %f}), or as {@code name} for a receiver
 * @param mode        the entry's {@code st_mode}
 * @param size        its length ({@code %l})
 * @param mtime       its modification time, in seconds ({@code %M})
 * @param uid         its owner ({@code %U})
 * @param gid         its group ({@code %G})
 * @param bytes       what its data took on the wire ({@code %b}), for an item reported once its data moved; else 0
 * @param checksum    its whole-file checksum in hex ({@code %C}): the list's ({@code -c}), else the transfer's for an
 *                    item reported once its data moved; else null
 */
public record ItemEvent(String name, String changes, boolean transferred, boolean significant, boolean localChange,
                        String linkTarget, String hardLinkTo, String operation, String path, int mode, long size, long mtime, int uid,
                        int gid, long bytes, String checksum) {
    public boolean directory() {
        return name.endsWith("/");
    }
}
