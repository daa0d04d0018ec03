package dev.jrsync.fs;

import dev.jrsync.flist.RsyncAcl;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A file's POSIX ACLs as {@code -A} reads and sets them ({@code rsync/acls.c:get_rsync_acl} and {@code
 * set_rsync_acl}), through the kernel's {@code system.posix_acl_*} attributes of the path itself, so no library is
 * needed and a {@link Posix#below} path keeps its last component unfollowed; under fake super through rsync's
 * {@code user.rsync.%aacl} and {@code %dacl} instead. A file system without ACLs reads as the mode's.
 */
public final class LocalAcls {
    private LocalAcls() {}

    static final String ACCESS = "system.posix_acl_access";
    static final String DEFAULT = "system.posix_acl_default";
    public static final String FAKE_ACCESS = "user.rsync.%aacl";
    public static final String FAKE_DEFAULT = "user.rsync.%dacl";

    /** The full access ACL of {@code path}, whose mode is {@code mode}; under fake super as stored, or none. */
    public static RsyncAcl access(Path path, int mode, boolean fakeSuper) throws IOException {
        if (fakeSuper) {
            return fake(path, FAKE_ACCESS, mode);
        }
        byte[] value = Xattrs.lget(path, ACCESS, Xattrs.MAX_VALUE);
        return value == null ? RsyncAcl.ofMode(mode) : AclXattrs.decodeKernel(value);
    }

    /** The default ACL of directory {@code path}; {@link RsyncAcl#EMPTY} for none. */
    public static RsyncAcl defaults(Path path, int mode, boolean fakeSuper) throws IOException {
        if (fakeSuper) {
            return fake(path, FAKE_DEFAULT, mode);
        }
        byte[] value = Xattrs.lget(path, DEFAULT, Xattrs.MAX_VALUE);
        return value == null ? RsyncAcl.EMPTY : AclXattrs.decodeKernel(value);
    }

    /**
     * The permission bits a file made in directory {@code dir} gets ({@code rsync/acls.c:default_perms_for_dir}): its
     * default ACL's, where it has one, else all less {@code umask}. A directory that cannot be read says nothing.
     */
    public static int defaultPermsForDir(Path dir, int umask) {
        try {
            // the directory itself, also where dir is a descriptor link (Posix#below), which lgetxattr would not follow
            byte[] value = Xattrs.lget(dir.resolve("."), DEFAULT, Xattrs.MAX_VALUE);
            if (value != null) {
                RsyncAcl acl = AclXattrs.decodeKernel(value);
                if (acl.userObj() != RsyncAcl.NO_ENTRY) {
                    return acl.perms();
                }
            }
        } catch (IOException e) {
            // rsync warns and falls back on the umask; a directory it cannot read is reported where it is used
        }
        return 0777 & ~umask;
    }

    private static RsyncAcl fake(Path path, String name, int mode) throws IOException {
        byte[] value = Xattrs.lget(path, name, Xattrs.MAX_VALUE);
        if (value == null) {
            return RsyncAcl.EMPTY;
        }
        RsyncAcl acl = AclXattrs.decodeFake(value, mode);
        if (acl == null) {
            throw new IOException("Invalid argument (" + name + " of " + value.length + " bytes)");
        }
        return acl;
    }

    /**
     * Gives {@code path} the access ACL {@code received} (condensed, as it travelled) for the mode it is to have
     * ({@code change_sacl_perms}: the owner's, others' and, where the sender left them out, the group's and mask's
     * bits are the mode's). A directory gaining its sticky bit, or a file losing a set-id bit, gets no access for
     * group and others until its mode is set. Returns the permission bits the file now has.
     */
    public static int setAccess(Path path, RsyncAcl received, int mode, int oldMode, boolean fakeSuper)
            throws IOException {
        if (fakeSuper) {
            Xattrs.lset(path, FAKE_ACCESS, AclXattrs.encodeFake(received));
            return oldMode;
        }
        boolean dir = (oldMode & LocalStat.S_IFMT) == LocalStat.S_IFDIR;
        int safe = mode;
        if (dir ? (mode & 01000) != 0 && (oldMode & 01000) == 0
                : (oldMode & 04000) != 0 && (mode & 04000) == 0 || (oldMode & 02000) != 0 && (mode & 02000) == 0) {
            safe &= ~0077;
        }
        int groupBits = safe >> 3 & 7;
        RsyncAcl full = new RsyncAcl(safe >> 6 & 7,
                received.groupObj() == RsyncAcl.NO_ENTRY ? groupBits : received.groupObj(),
                received.hasMask() ? groupBits : RsyncAcl.NO_ENTRY, safe & 7, received.names());
        Xattrs.lset(path, ACCESS, AclXattrs.encodeKernel(full));
        return oldMode & ~0777 | safe & 0777;
    }

    /** Gives directory {@code path} the default ACL {@code received}; one without an owner entry removes it. */
    public static void setDefault(Path path, RsyncAcl received, boolean fakeSuper) throws IOException {
        String name = fakeSuper ? FAKE_DEFAULT : DEFAULT;
        if (received.userObj() == RsyncAcl.NO_ENTRY) {
            if (Xattrs.lget(path, name, Xattrs.MAX_VALUE) != null) {
                Xattrs.lremove(path, name);
            }
        } else {
            Xattrs.lset(path, name, fakeSuper ? AclXattrs.encodeFake(received) : AclXattrs.encodeKernel(received));
        }
    }
}
