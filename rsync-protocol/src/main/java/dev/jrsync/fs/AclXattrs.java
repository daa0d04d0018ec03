package dev.jrsync.fs;

import dev.jrsync.flist.RsyncAcl;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The two byte forms an ACL is kept in ({@code rsync/lib/sysacls.c} and {@code rsync/acls.c}'s fake-super branches):
 * the kernel's {@code system.posix_acl_access}/{@code _default} value, a little-endian version 2 then one (tag, bits,
 * id) record of 8 bytes per entry in the kernel's order; and fake super's {@code user.rsync.%aacl}/{@code %dacl},
 * the four object entries as little-endian 32-bit words ({@link RsyncAcl#NO_ENTRY} for an absent one) then an
 * (id, access) pair of words per named entry. Pure functions over bytes.
 */
public final class AclXattrs {
    private AclXattrs() {}

    private static final int VERSION = 2;
    private static final int USER_OBJ = 0x01;
    private static final int USER = 0x02;
    private static final int GROUP_OBJ = 0x04;
    private static final int GROUP = 0x08;
    private static final int MASK = 0x10;
    private static final int OTHER = 0x20;
    private static final int UNDEFINED_ID = -1;

    /** The ACL a kernel value holds ({@code unpack_smb_acl}); a first duplicate object entry wins, unknown tags are skipped. */
    public static RsyncAcl decodeKernel(byte[] value) throws IOException {
        if (value.length < 4 || (value.length - 4) % 8 != 0) {
            throw new IOException("Invalid argument (an ACL of " + value.length + " bytes)");
        }
        ByteBuffer b = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt() != VERSION) {
            throw new IOException("Invalid argument (an ACL of unknown version)");
        }
        int user = RsyncAcl.NO_ENTRY;
        int group = RsyncAcl.NO_ENTRY;
        int mask = RsyncAcl.NO_ENTRY;
        int other = RsyncAcl.NO_ENTRY;
        List<RsyncAcl.Ida> names = new ArrayList<>();
        while (b.hasRemaining()) {
            int tag = b.getShort() & 0xFFFF;
            int perm = b.getShort() & 7;
            int id = b.getInt();
            switch (tag) {
                case USER_OBJ -> user = user == RsyncAcl.NO_ENTRY ? perm : user;
                case GROUP_OBJ -> group = group == RsyncAcl.NO_ENTRY ? perm : group;
                case MASK -> mask = mask == RsyncAcl.NO_ENTRY ? perm : mask;
                case OTHER -> other = other == RsyncAcl.NO_ENTRY ? perm : other;
                case USER -> names.add(new RsyncAcl.Ida(id, perm | RsyncAcl.NAME_IS_USER));
                case GROUP -> names.add(new RsyncAcl.Ida(id, perm));
                default -> { }
            }
        }
        return new RsyncAcl(user, group, mask, other, RsyncAcl.sorted(names));
    }

    /**
     * The kernel value of a full ACL ({@code pack_smb_acl}): owner, named users, owning group, named groups, the mask
     * when there is one, others. An absent object entry goes as no bits.
     */
    public static byte[] encodeKernel(RsyncAcl acl) {
        List<RsyncAcl.Ida> names = RsyncAcl.sorted(acl.names());
        int count = 3 + names.size() + (acl.hasMask() ? 1 : 0);
        ByteBuffer b = ByteBuffer.allocate(4 + 8 * count).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(VERSION);
        put(b, USER_OBJ, acl.userObj(), UNDEFINED_ID);
        for (RsyncAcl.Ida ida : names) {
            if (ida.isUser()) {
                put(b, USER, ida.perms(), ida.id());
            }
        }
        put(b, GROUP_OBJ, acl.groupObj(), UNDEFINED_ID);
        for (RsyncAcl.Ida ida : names) {
            if (!ida.isUser()) {
                put(b, GROUP, ida.perms(), ida.id());
            }
        }
        if (acl.hasMask()) {
            put(b, MASK, acl.maskObj(), UNDEFINED_ID);
        }
        put(b, OTHER, acl.otherObj(), UNDEFINED_ID);
        return b.array();
    }

    private static void put(ByteBuffer b, int tag, int perm, int id) {
        b.putShort((short) tag);
        b.putShort((short) (perm & ~RsyncAcl.NO_ENTRY & 7));
        b.putInt(id);
    }

    /**
     * The ACL fake super stored ({@code get_rsync_acl} with {@code am_root < 0}): an owner, group or others entry
     * stored absent is the mode's; null when the value is not one such record.
     */
    public static RsyncAcl decodeFake(byte[] value, int mode) {
        if (value.length < 16 || (value.length - 16) % 8 != 0) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
        int user = b.getInt() & 0xFF;
        int group = b.getInt() & 0xFF;
        int mask = b.getInt() & 0xFF;
        int other = b.getInt() & 0xFF;
        List<RsyncAcl.Ida> names = new ArrayList<>();
        while (b.hasRemaining()) {
            names.add(new RsyncAcl.Ida(b.getInt(), b.getInt()));
        }
        return new RsyncAcl(user == RsyncAcl.NO_ENTRY ? mode >> 6 & 7 : user,
                group == RsyncAcl.NO_ENTRY ? mode >> 3 & 7 : group, mask,
                other == RsyncAcl.NO_ENTRY ? mode & 7 : other, names);
    }

    /** What fake super stores for an ACL as received ({@code set_rsync_acl} with {@code am_root < 0}). */
    public static byte[] encodeFake(RsyncAcl acl) {
        ByteBuffer b = ByteBuffer.allocate(16 + 8 * acl.names().size()).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(acl.userObj()).putInt(acl.groupObj()).putInt(acl.maskObj()).putInt(acl.otherObj());
        for (RsyncAcl.Ida ida : acl.names()) {
            b.putInt(ida.id()).putInt(ida.access());
        }
        return b.array();
    }
}
