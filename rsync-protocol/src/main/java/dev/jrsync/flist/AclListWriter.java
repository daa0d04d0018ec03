package dev.jrsync.flist;

import dev.jrsync.wire.ProtocolOutput;
import java.util.HashMap;
import java.util.Map;

/**
 * The sending half of a file-list entry's ACLs under {@code -A} ({@code rsync/acls.c:send_acl}): the access ACL, and a
 * directory's default ACL, each as the index plus one of an equal ACL sent before, or as 0, a byte of {@code XMIT_*}
 * flags, the object entries present, and the named entries. A named entry's id joins the uid or gid list; with
 * incremental recursion the name of an id not sent before follows it inline. One per connection, since the indices
 * are the connection's.
 */
public final class AclListWriter {
    static final int XMIT_USER_OBJ = 1;
    static final int XMIT_GROUP_OBJ = 1 << 1;
    static final int XMIT_MASK_OBJ = 1 << 2;
    static final int XMIT_OTHER_OBJ = 1 << 3;
    static final int XMIT_NAME_LIST = 1 << 4;
    /** Low bits of a named entry's access on the wire: its name follows; it is a user's. */
    static final int XFLAG_NAME_FOLLOWS = 1;
    static final int XFLAG_NAME_IS_USER = 2;

    /** rsync's {@code access_acl_list} and {@code default_acl_list} on the sender: each ACL sent in full, by index. */
    private final Map<RsyncAcl, Integer> access = new HashMap<>();
    private final Map<RsyncAcl, Integer> defaults = new HashMap<>();
    /** Where the named ids are recorded; null with numeric ids, which names none. */
    private final IdLists ids;
    private final boolean inlineNames;

    public AclListWriter(IdLists ids, boolean numericIds, boolean incRecurse) {
        this.ids = numericIds ? null : ids;
        this.inlineNames = incRecurse;
    }

    /** The ACLs of an entry that is not a symlink; {@code e}'s access ACL is already condensed. */
    public void write(ProtocolOutput out, FileEntry e) {
        write(out, e.acl(), access);
        if (e.isDirectory()) {
            write(out, e.defaultAcl(), defaults);
        }
    }

    private void write(ProtocolOutput out, RsyncAcl acl, Map<RsyncAcl, Integer> sent) {
        Integer ndx = sent.get(acl);
        if (ndx != null) {
            out.writeVarint(ndx + 1);
            return;
        }
        out.writeVarint(0);
        int flags = (acl.userObj() != RsyncAcl.NO_ENTRY ? XMIT_USER_OBJ : 0)
                | (acl.groupObj() != RsyncAcl.NO_ENTRY ? XMIT_GROUP_OBJ : 0)
                | (acl.maskObj() != RsyncAcl.NO_ENTRY ? XMIT_MASK_OBJ : 0)
                | (acl.otherObj() != RsyncAcl.NO_ENTRY ? XMIT_OTHER_OBJ : 0)
                | (acl.names().isEmpty() ? 0 : XMIT_NAME_LIST);
        out.writeByte(flags);
        writeIf(out, flags, XMIT_USER_OBJ, acl.userObj());
        writeIf(out, flags, XMIT_GROUP_OBJ, acl.groupObj());
        writeIf(out, flags, XMIT_MASK_OBJ, acl.maskObj());
        writeIf(out, flags, XMIT_OTHER_OBJ, acl.otherObj());
        if ((flags & XMIT_NAME_LIST) != 0) {
            writeNames(out, acl);
        }
        sent.put(acl, sent.size());
    }

    private static void writeIf(ProtocolOutput out, int flags, int flag, int value) {
        if ((flags & flag) != 0) {
            out.writeVarint(value);
        }
    }

    // rsync/acls.c:send_ida_entries: the access bits go shifted left by two, under the entry's own flags
    private void writeNames(ProtocolOutput out, RsyncAcl acl) {
        out.writeVarint(acl.names().size());
        for (RsyncAcl.Ida ida : acl.names()) {
            int xbits = ida.perms() << 2 | (ida.isUser() ? XFLAG_NAME_IS_USER : 0);
            String name = ids == null ? null : ida.isUser() ? ids.addUid(ida.id()) : ids.addGid(ida.id());
            out.writeVarint(ida.id());
            if (inlineNames && name != null) {
                out.writeVarint(xbits | XFLAG_NAME_FOLLOWS);
                IdLists.writeInlineName(out, name);
            } else {
                out.writeVarint(xbits);
            }
        }
    }
}
