package dev.jrsync.session;

import dev.jrsync.flist.FileEntry;
import dev.jrsync.flist.XattrRules;
import dev.jrsync.flist.XattrSet;
import dev.jrsync.fs.LocalXattrs;
import dev.jrsync.fs.Xattrs;
import dev.jrsync.wire.ProtocolOutput;
import java.io.IOException;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The generator's part of {@code -X} ({@code rsync/xattrs.c:xattr_diff} and {@code send_xattr_request} with no
 * file name): whether an entry's attributes differ from its file's, which long values to ask the sender for, and
 * setting what it can itself. A long value is asked for once per set: after that the receiver has it (sent, or
 * found equal in a basis file), so each item of a set goes from abbreviated to done, through to-do when asked.
 */
final class XattrGenerator {
    private static final byte ABBREV = 0;
    private static final byte DONE = 1;
    private static final byte TODO = 2;

    private final XattrRules rules;
    private final boolean doXfers;
    private final boolean optim;
    private final XattrSetter setter;
    /** rsync's per-item {@code XSTATE_*}, by set, for the sets that have a long value. */
    private final Map<XattrSet, byte[]> states = new IdentityHashMap<>();

    XattrGenerator(XattrRules rules, boolean dryRun, boolean optim) {
        this.rules = rules;
        this.doXfers = !dryRun;
        this.optim = optim;
        this.setter = new XattrSetter(rules);
    }

    /**
     * {@code ITEM_REPORT_XATTR} when the entry's attributes are not those of {@code local} (null: a new file, which
     * has none), each long value that differs marked to be asked for ({@code xattr_diff} with {@code find_all}).
     */
    int diff(FileEntry e, Path local) throws IOException {
        return diff(e, local, true);
    }

    /** Whether the entry's attributes differ from those of {@code local}, marking nothing ({@code find_all} 0). */
    boolean differs(FileEntry e, Path local) throws IOException {
        return diff(e, local, false) != 0;
    }

    private int diff(FileEntry e, Path local, boolean findAll) throws IOException {
        XattrSet want = e.xattrs();
        List<XattrSet.Item> have = local == null ? List.of() : LocalXattrs.get(local, rules, false).items();
        boolean equal = want.size() == have.size();
        int r = 0;
        List<XattrSet.Item> items = want.items();
        for (int i = 0; i < items.size(); i++) {
            XattrSet.Item s = items.get(i);
            int cmp = -1;
            while (r < have.size() && (cmp = XattrSet.compareNames(s.name(), have.get(r).name())) > 0) {
                r++; // a name only this side has
                equal = false;
            }
            if (r >= have.size()) {
                cmp = -1;
            }
            boolean same = cmp == 0 && s.sameAs(have.get(r));
            if (!same) {
                equal = false;
                if (findAll && s.abbreviated()) {
                    byte[] st = statesOf(want);
                    if (st[i] == ABBREV) {
                        st[i] = TODO;
                    }
                }
            }
            if (cmp == 0) {
                r++;
            }
        }
        return equal && r == have.size() ? 0 : ItemFlags.REPORT_XATTR;
    }

    private byte[] statesOf(XattrSet set) {
        return states.computeIfAbsent(set, k -> new byte[k.size()]);
    }

    /**
     * What follows an item's flags to the sender ({@code send_xattr_request(NULL, ...)}): with its attributes
     * changed, the numbers of the long values to send, as differences, ended by a 0 byte. An item that goes without
     * (only transferred, or a hard link made here under {@code want_xattr_optim}) just marks its set's values done.
     */
    void request(ProtocolOutput out, FileEntry e, int iflags) {
        if (!doXfers || (iflags & (ItemFlags.REPORT_XATTR | ItemFlags.TRANSFER)) == 0) {
            return;
        }
        boolean send = (iflags & ItemFlags.REPORT_XATTR) != 0 && !optimized(iflags, optim);
        XattrSet set = e.xattrs();
        if (set.hasAbbreviated()) {
            byte[] st = statesOf(set);
            int prior = 0;
            for (int i = 0; i < set.size(); i++) {
                XattrSet.Item it = set.items().get(i);
                if (!it.abbreviated() || st[i] == DONE) {
                    continue;
                }
                boolean asked = st[i] == TODO;
                st[i] = DONE;
                if (asked && send) {
                    out.writeVarint(it.num() - prior);
                    prior = it.num();
                }
            }
        }
        if (send) {
            out.writeByte(0);
        }
    }

    /** Whether a request follows an item with these flags (rsync's condition, on every side that reads one). */
    static boolean requestFollows(int iflags, boolean dryRun, boolean optim) {
        return !dryRun && (iflags & ItemFlags.REPORT_XATTR) != 0 && !optimized(iflags, optim);
    }

    private static boolean optimized(int iflags, boolean optim) {
        int both = ItemFlags.XNAME_FOLLOWS | ItemFlags.LOCAL_CHANGE;
        return optim && (iflags & both) == both;
    }

    /**
     * rsync/xattrs.c:copy_xattrs: a file copied or made from a basis directory's copy takes that copy's attributes,
     * those this side reads, before it is compared and set.
     */
    void copy(Path from, Path to) throws IOException {
        for (XattrSet.Item it : LocalXattrs.get(from, rules, false).items()) {
            byte[] value = it.abbreviated() ? Xattrs.lget(from, it.name()) : it.datum();
            if (value != null) {
                Xattrs.lset(to, it.name(), value);
            }
        }
    }

    /** The generator's {@code set_xattr} on a file it settles itself: what it can set without the sender's values. */
    void set(Path path, FileEntry e) throws IOException {
        if (doXfers) {
            setter.apply(path, e.xattrs(), path, XattrSetter.NONE);
        }
    }
}
