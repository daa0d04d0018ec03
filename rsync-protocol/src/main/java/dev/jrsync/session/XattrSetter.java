package dev.jrsync.session;

import dev.jrsync.flist.XattrRules;
import dev.jrsync.flist.XattrSet;
import dev.jrsync.fs.LocalStat;
import dev.jrsync.fs.Xattrs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Gives a file the sender's extended attributes ({@code rsync/xattrs.c:rsync_xal_set}): each value set, a value
 * known only by its digest taken from the basis file when its copy there matches, and the names the sender does
 * not have (of those this side may remove) removed.
 */
final class XattrSetter {
    /** Where a value the list carries only as a digest is found, if this side has it. */
    interface FullValues {
        /** The value of {@code item}, or null when this side has not got it. */
        byte[] of(XattrSet set, XattrSet.Item item);

        /** A value found in a basis file, which the receiver keeps for the next file with this set. */
        default void found(XattrSet set, XattrSet.Item item, byte[] value) {}
    }

    /** Nothing but what a basis file holds: the generator's view ({@code am_generator}). */
    static final FullValues NONE = (set, item) -> null;

    private final XattrRules rules;

    XattrSetter(XattrRules rules) {
        this.rules = rules;
    }

    /**
     * Sets {@code want} on {@code path}; {@code basis} (may be {@code path} itself, or null) is where an abbreviated
     * value is looked for when {@code values} lacks it. Returns the items that could not be set that way ({@code
     * still_abbrev}): the generator leaves them for the receiver, which reports them.
     */
    int apply(Path path, XattrSet want, Path basis, FullValues values) throws IOException {
        // rsync/xattrs.c:set_xattr: not root, a file without its owner's write bit gets it for the while
        LocalStat st = rules.amRoot() == 0 ? DestPaths.lstat(path) : null;
        boolean opened = st != null && !st.isSymlink() && (st.mode() & 0200) == 0 && openToOwner(path, st);
        try {
            return applyAll(path, want, basis, values);
        } finally {
            if (opened) {
                AttrSetter.setMode(path, st.mode() & 07777);
            }
        }
    }

    private static boolean openToOwner(Path path, LocalStat st) {
        try {
            AttrSetter.setMode(path, (st.mode() & 07777) | 0200);
            return true;
        } catch (IOException e) {
            return false; // not its owner: the attribute calls say why
        }
    }

    private int applyAll(Path path, XattrSet want, Path basis, FullValues values) throws IOException {
        int missing = 0;
        for (XattrSet.Item it : want.items()) {
            byte[] value = it.abbreviated() ? values.of(want, it) : it.datum();
            if (value == null) {
                byte[] local = basis == null ? null : Xattrs.lget(basis, it.name());
                if (local == null || local.length != it.length() || !Arrays.equals(XattrSet.digest(local), it.datum())) {
                    missing++;
                    continue;
                }
                values.found(want, it, local);
                if (basis.equals(path)) {
                    continue; // already there
                }
                value = local;
            }
            Xattrs.lset(path, it.name(), value);
        }
        for (byte[] name : Xattrs.llist(path)) {
            if (rules.removable(name) && !has(want, name)) {
                Xattrs.lremove(path, name);
            }
        }
        return missing;
    }

    private static boolean has(XattrSet set, byte[] name) {
        for (XattrSet.Item it : set.items()) {
            if (Arrays.equals(it.name(), name)) {
                return true;
            }
        }
        return false;
    }
}
