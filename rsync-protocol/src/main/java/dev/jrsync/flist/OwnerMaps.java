package dev.jrsync.flist;

/**
 * A receiver's {@code --usermap} and {@code --groupmap} (or {@code --chown}), parsed against this machine's names
 * ({@code rsync/flist.c:recv_file_list}, which parses them before the first list).
 */
public record OwnerMaps(IdMap users, IdMap groups) {
    /** No maps: ids are mapped by name only. */
    public static final OwnerMaps NONE = new OwnerMaps(IdMap.NONE, IdMap.NONE);

    /** The maps of {@code usermap} and {@code groupmap} (each null for none); see {@link IdMap#parse}. */
    public static OwnerMaps parse(String usermap, String groupmap, IdNames local) {
        return usermap == null && groupmap == null ? NONE
                : new OwnerMaps(IdMap.parse(usermap, true, local), IdMap.parse(groupmap, false, local));
    }

    /**
     * Maps the owners of entries listed on this machine (a local copy's receiving half, where the names are this
     * machine's own): each id its first matching rule gives, else unchanged.
     */
    public void apply(Iterable<FileEntry> entries, IdNames names, boolean uids, boolean gids) {
        if (this == NONE) {
            return;
        }
        for (FileEntry e : entries) {
            int uid = uids ? users.map(e.uid(), names.userName(e.uid())).orElse(e.uid()) : e.uid();
            int gid = gids ? groups.map(e.gid(), names.groupName(e.gid())).orElse(e.gid()) : e.gid();
            e.setOwner(uid, gid);
        }
    }
}
