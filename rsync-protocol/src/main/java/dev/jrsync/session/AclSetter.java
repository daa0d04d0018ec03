package dev.jrsync.session;

import dev.jrsync.core.Escaped;
import dev.jrsync.core.SessionLog;
import dev.jrsync.flist.FileEntry;
import dev.jrsync.flist.RsyncAcl;
import dev.jrsync.fs.LocalAcls;
import dev.jrsync.fs.LocalStat;
import dev.jrsync.fs.Posix;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The receiving side's part of {@code -A} ({@code rsync/acls.c:set_acl}, and {@code get_acl} of the destination):
 * whether an entry's ACLs differ from its file's, and setting them. An access ACL is compared only in what its mode
 * cannot say ({@link RsyncAcl#equalEnough}), a directory's default ACL whole. The generator and the receiver share
 * one, so its error count is safe for both.
 */
final class AclSetter {
    private final boolean fakeSuper;
    private final boolean devices;
    private final boolean specials;
    private final SessionLog log;
    private final AtomicInteger ioError = new AtomicInteger();

    AclSetter(boolean fakeSuper, boolean devices, boolean specials, SessionLog log) {
        this.fakeSuper = fakeSuper;
        this.devices = devices;
        this.specials = specials;
        this.log = log;
    }

    int ioError() {
        return ioError.get();
    }

    /**
     * {@code ITEM_REPORT_ACL} when the ACLs of {@code path} (found as {@code st}) are not the entry's for {@code
     * mode} ({@code set_acl} with no file name); a file that cannot be read counts as differing.
     */
    int flags(FileEntry e, Path path, LocalStat st, int mode) {
        if (!applies(e, st)) {
            return 0;
        }
        try {
            return differs(e, path, st, mode) ? ItemFlags.REPORT_ACL : 0;
        } catch (IOException ex) {
            return ItemFlags.REPORT_ACL;
        }
    }

    /**
     * Gives {@code path} the entry's ACLs where they differ ({@code set_acl}), {@code mode} being the permission bits
     * it now has and {@code oldMode} the mode it had before its attributes were set; returns the permission bits it
     * then has, which a safety step of {@link LocalAcls#setAccess} may have narrowed for its mode to be set again.
     */
    int set(FileEntry e, Path path, int oldMode, int mode) {
        int now = mode;
        String type = "ACL_TYPE_ACCESS";
        try {
            int fileMode = oldMode & LocalStat.S_IFMT | mode;
            RsyncAcl acl = e.acl().withMask(false, e.mode());
            if (!LocalAcls.access(path, fileMode, fakeSuper).equalEnough(acl, mode)) {
                now = LocalAcls.setAccess(path, acl, mode, oldMode, fakeSuper) & 07777;
            }
            if (e.isDirectory()) {
                type = "ACL_TYPE_DEFAULT";
                RsyncAcl dflt = e.defaultAcl().withMask(true, 0);
                if (!LocalAcls.defaults(path, fileMode, fakeSuper).equals(dflt)) {
                    LocalAcls.setDefault(path, dflt, fakeSuper);
                }
            }
        } catch (IOException ex) {
            // the generator sets a directory's and an unchanged file's, the receiver a received file's: no role named
            log.error("rsync: set_acl: sys_acl_set_file(" + Posix.withoutFdPaths(Escaped.of(path)) + ", " + type
                    + "): " + Posix.describe(ex));
            ioError.accumulateAndGet(Connection.IOERR_GENERAL, (a, b) -> a | b);
        }
        return now;
    }

    private boolean differs(FileEntry e, Path path, LocalStat st, int mode) throws IOException {
        if (!LocalAcls.access(path, st.mode(), fakeSuper).equalEnough(e.acl().withMask(false, e.mode()), mode)) {
            return true;
        }
        return e.isDirectory()
                && !LocalAcls.defaults(path, st.mode(), fakeSuper).equals(e.defaultAcl().withMask(true, 0));
    }

    /** Whether the entry has ACLs to compare or set on a file found as {@code st}. */
    // rsync/acls.c:get_acl: no ACL for a symlink, nor for a device or special file not kept as one
    boolean applies(FileEntry e, LocalStat st) {
        if (e.isSymlink() || st == null || st.isSymlink()) {
            return false;
        }
        return e.isDevice() ? devices : !e.isSpecial() || specials;
    }
}
