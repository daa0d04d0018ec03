package dev.jrsync.flist;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One POSIX ACL as {@code -A} sends and compares it ({@code rsync/acls.c}'s {@code rsync_acl}): the permission bits of
 * the owner, owning group, mask and others, each {@link #NO_ENTRY} when absent, and the named users and groups. An
 * access ACL travels condensed ({@link #stripped}): what the file's mode already says is left out. Immutable, so that
 * the entries of a list, the generator and the receiver may share one.
 *
 * @param names named entries, users first, each part by ascending id (rsync's order where ACLs need sorting)
 */
public record RsyncAcl(int userObj, int groupObj, int maskObj, int otherObj, List<Ida> names) {
    /** rsync's {@code NO_ENTRY}: an object entry the ACL does not have. */
    public static final int NO_ENTRY = 0x80;
    /** rsync's {@code NAME_IS_USER}: the bit of a named entry's access that makes it a user's. */
    public static final int NAME_IS_USER = 1 << 31;
    /** No entries at all: a directory without a default ACL. */
    public static final RsyncAcl EMPTY = new RsyncAcl(NO_ENTRY, NO_ENTRY, NO_ENTRY, NO_ENTRY, List.of());

    /** A named entry ({@code id_access}): {@code access} is rwx bits, with {@link #NAME_IS_USER} for a user. */
    public record Ida(int id, int access) {
        public boolean isUser() {
            return (access & NAME_IS_USER) != 0;
        }

        public int perms() {
            return access & ~NAME_IS_USER;
        }
    }

    private static final Comparator<Ida> ORDER = Comparator.comparing((Ida a) -> !a.isUser())
            .thenComparing(Ida::id, Integer::compareUnsigned);

    public RsyncAcl {
        names = List.copyOf(names);
    }

    /** {@code names} put in rsync's order ({@code id_access_sorter}). */
    public static List<Ida> sorted(List<Ida> names) {
        List<Ida> s = new ArrayList<>(names);
        s.sort(ORDER);
        return s;
    }

    /** The ACL a file without one has: its mode's bits ({@code rsync_acl_fake_perms}). */
    public static RsyncAcl ofMode(int mode) {
        return new RsyncAcl(mode >> 6 & 7, mode >> 3 & 7, NO_ENTRY, mode & 7, List.of());
    }

    public boolean hasMask() {
        return maskObj != NO_ENTRY;
    }

    /**
     * An access ACL without what {@code mode} says ({@code rsync_acl_strip_perms}): the owner's and others' bits, the
     * group's when there is no mask or it equals the mode's group bits, and the mask when it equals them too.
     */
    public RsyncAcl stripped(int mode) {
        int groupPerms = mode >> 3 & 7;
        int group = NO_ENTRY;
        int mask = maskObj;
        if (hasMask()) {
            group = groupObj == groupPerms ? NO_ENTRY : groupObj;
            if (!names.isEmpty() && maskObj == groupPerms) {
                mask = NO_ENTRY;
            }
        }
        return new RsyncAcl(NO_ENTRY, group, mask, NO_ENTRY, names);
    }

    /**
     * Whether this full access ACL has the entries a condensed one names, the ones a mode cannot set ({@code
     * rsync_acl_equal_enough}): the same mask presence, the same owning group's bits when masked, the same names.
     */
    public boolean equalEnough(RsyncAcl condensed, int mode) {
        if (hasMask() != condensed.hasMask()) {
            return false;
        }
        if (hasMask()) {
            int want = condensed.groupObj == NO_ENTRY ? mode >> 3 & 7 : condensed.groupObj;
            if (groupObj != want) {
                return false;
            }
        }
        return names.equals(condensed.names);
    }

    /**
     * This ACL as a receiver keeps it ({@code recv_rsync_acl}): named entries need a mask, so one the sender left
     * out is the group bits of {@code mode} for an access ACL, and for a default ACL what its entries and owning
     * group grant.
     */
    public RsyncAcl withMask(boolean isDefault, int mode) {
        if (names.isEmpty() || hasMask()) {
            return this;
        }
        int computed = 0;
        for (Ida ida : names) {
            computed |= ida.access & 0xFF;
        }
        int mask = isDefault ? (computed | groupObj) & ~NO_ENTRY & 0xFF : mode >> 3 & 7;
        return new RsyncAcl(userObj, groupObj, mask, otherObj, names);
    }

    /** The permission bits this default ACL gives a new file ({@code rsync_acl_get_perms}). */
    public int perms() {
        return userObj << 6 | (hasMask() ? maskObj : groupObj) << 3 | otherObj;
    }
}
