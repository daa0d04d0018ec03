package dev.jrsync.flist;

import dev.jrsync.wire.ProtocolException;
import dev.jrsync.wire.ProtocolInput;
import java.util.ArrayList;
import java.util.List;

/**
 * The receiving half of a file-list entry's ACLs under {@code -A} ({@code rsync/acls.c:receive_acl} and {@code
 * recv_rsync_acl}): an index into the ACLs of its type read before, or a new ACL. Only what the sender sent is held:
 * the count of named entries is checked against rsync's wire limit and read entry by entry, never allocated as
 * announced, and the ACLs kept are charged to the input's {@link dev.jrsync.wire.MaxAlloc}, as the file list is. A
 * named entry keeps the sender's id (names read inline join the id lists); the receiver maps them once the names are
 * known ({@link IdLists#mapOwners}).
 */
public final class AclListReader {
    /** rsync's {@code MAX_WIRE_ACL_COUNT}. */
    static final int MAX_COUNT = 65536;
    /** rsync's {@code SMB_ACL_VALID_OBJ_BITS} and {@code SMB_ACL_VALID_NAME_BITS} on Linux. */
    private static final int VALID_BITS = 7;
    /** What an ACL and each named entry cost besides nothing else (objects, headers, references). */
    private static final int ACL_OVERHEAD = 64;
    private static final int IDA_OVERHEAD = 32;

    private final List<RsyncAcl> access = new ArrayList<>();
    private final List<RsyncAcl> defaults = new ArrayList<>();
    /** Not under fake super ({@code am_root >= 0}): permission bits beyond rwx are refused. */
    private final boolean checkBits;
    private final FileListOptions options;
    private final IdLists inlineNames;
    /** What the ACLs kept were charged to the input's allocation budget. */
    private long held;

    AclListReader(FileListOptions options, IdLists inlineNames, boolean fakeSuper) {
        this.options = options;
        this.inlineNames = inlineNames;
        this.checkBits = !fakeSuper;
    }

    /** A reader on its own, names read inline kept in a list of its own: for tests and fuzzing. */
    public static AclListReader standalone(FileListOptions options, boolean fakeSuper) {
        return new AclListReader(options, IdLists.forInlineNames(), fakeSuper);
    }

    /**
     * The access ACL of an entry that is not a symlink, as sent: the mask a named entry needs is added where it is
     * used ({@link RsyncAcl#withMask}), so that a local copy, whose receiver takes the sender's entries, has the same.
     */
    public RsyncAcl readAccess(ProtocolInput in) {
        return read(in, access, false);
    }

    /** A directory's default ACL, after its access ACL. */
    public RsyncAcl readDefault(ProtocolInput in) {
        return read(in, defaults, true);
    }

    private RsyncAcl read(ProtocolInput in, List<RsyncAcl> table, boolean isDefault) {
        int ndx = in.readVarint();
        if (ndx < 0 || ndx > table.size()) {
            throw new ProtocolException("recv_acl_index: " + (isDefault ? "ACL_TYPE_DEFAULT" : "ACL_TYPE_ACCESS")
                    + " ACL index " + ndx + " > " + table.size());
        }
        if (ndx != 0) {
            return table.get(ndx - 1);
        }
        int flags = in.readUnsignedByte();
        int user = (flags & AclListWriter.XMIT_USER_OBJ) != 0 ? objAccess(in) : RsyncAcl.NO_ENTRY;
        int group = (flags & AclListWriter.XMIT_GROUP_OBJ) != 0 ? objAccess(in) : RsyncAcl.NO_ENTRY;
        int mask = (flags & AclListWriter.XMIT_MASK_OBJ) != 0 ? objAccess(in) : RsyncAcl.NO_ENTRY;
        int other = (flags & AclListWriter.XMIT_OTHER_OBJ) != 0 ? objAccess(in) : RsyncAcl.NO_ENTRY;
        List<RsyncAcl.Ida> names = (flags & AclListWriter.XMIT_NAME_LIST) != 0 ? readNames(in) : List.of();
        RsyncAcl acl = new RsyncAcl(user, group, mask, other, names);
        long grown = held + ACL_OVERHEAD + (long) IDA_OVERHEAD * names.size();
        in.maxAlloc().grow(held, grown, "receiver", "ACL lists");
        held = grown;
        table.add(acl);
        return acl;
    }

    // rsync keeps an object entry in a byte
    private int objAccess(ProtocolInput in) {
        int access = in.readVarint();
        if (checkBits && (access & ~VALID_BITS) != 0) {
            throw valueError(access);
        }
        return access & 0xFF;
    }

    // rsync/acls.c:recv_ida_entries
    private List<RsyncAcl.Ida> readNames(ProtocolInput in) {
        int count = in.readVarint();
        if (count < 0 || count > MAX_COUNT) {
            throw new ProtocolException("wire value ACL count out of range: " + count + " not in [0," + MAX_COUNT
                    + "] [receiver]");
        }
        List<RsyncAcl.Ida> names = new ArrayList<>(Math.min(count, 16));
        for (int i = 0; i < count; i++) {
            int id = in.readVarint();
            int xbits = in.readVarint();
            int access = xbits >>> 2;
            if (checkBits && (access & ~VALID_BITS) != 0) {
                throw valueError(access);
            }
            boolean user = (xbits & AclListWriter.XFLAG_NAME_IS_USER) != 0;
            if ((xbits & AclListWriter.XFLAG_NAME_FOLLOWS) != 0) {
                if (user) {
                    inlineNames.readUserName(in, id, options);
                } else {
                    inlineNames.readGroupName(in, id, options);
                }
            }
            names.add(new RsyncAcl.Ida(id, user ? access | RsyncAcl.NAME_IS_USER : access));
        }
        return names;
    }

    private static ProtocolException valueError(int access) {
        return new ProtocolException("recv_acl_access: value out of range: " + Integer.toHexString(access));
    }
}
