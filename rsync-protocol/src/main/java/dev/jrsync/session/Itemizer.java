package dev.jrsync.session;

import dev.jrsync.core.SessionLog;
import dev.jrsync.flist.FileEntry;
import dev.jrsync.fs.Posix;
import dev.jrsync.wire.ProtocolOutput;
import java.io.IOException;
import java.nio.file.Path;

/**
 * How the generator tells an entry it settled itself ({@code rsync/generator.c:itemize}): from protocol 29 on as
 * the index and flags to the sender, which echoes them to whoever prints; before that printed here.
 */
final class Itemizer {
    /** The empty name that follows {@code ITEM_XNAME_FOLLOWS} for a link found in place: "hf", with no "=> name". */
    static final byte[] NO_XNAME = new byte[0];

    private final RecvOptions o;
    private final ProtocolOutput out;
    private final int protocol;
    private final ItemLog itemLog;
    private final DestPaths paths;
    private final SessionLog log;
    /** {@code -X}: null without it. */
    private final XattrGenerator xattrs;

    Itemizer(RecvContext ctx) {
        this.o = ctx.o();
        this.out = ctx.conn().out();
        this.protocol = ctx.protocol();
        this.itemLog = ctx.itemLog();
        this.paths = ctx.paths();
        this.log = ctx.conn().log();
        this.xattrs = o.xattrs() == null ? null : new XattrGenerator(o.xattrs(), !o.doXfers(), ctx.params().xattrOptim());
    }

    /**
     * rsync/generator.c:itemize's {@code xattr_diff} for an entry about to be transferred: {@code ITEM_REPORT_XATTR}
     * when its attributes differ from those of {@code local} (null for a new file).
     */
    int xattrFlags(FileEntry e, Path local) {
        if (xattrs == null) {
            return 0;
        }
        try {
            return xattrs.diff(e, local);
        } catch (IOException ex) {
            log.error("rsync: get_xattr_names: llistxattr(\"" + local + "\") failed: " + Posix.describe(ex));
            return 0;
        }
    }

    /** rsync/generator.c:unchanged_attrs' {@code xattrs_differ}: false without {@code -X}. */
    boolean xattrsDiffer(FileEntry e, Path local) {
        try {
            return xattrs != null && xattrs.differs(e, local);
        } catch (IOException ex) {
            return true;
        }
    }

    /** rsync/generator.c:gen_entry_copy_xattrs: under {@code -X}, {@code to} made from {@code from} takes its attributes. */
    void copyXattrs(Path from, Path to) {
        if (xattrs == null) {
            return;
        }
        try {
            xattrs.copy(from, to);
        } catch (IOException ex) {
            log.error("rsync: copy_xattrs: \"" + to + "\": " + Posix.describe(ex));
        }
    }

    /** What follows a transfer request's flags under {@code -X}: the long values to send. */
    void xattrRequest(FileEntry e, int iflags) {
        if (xattrs != null) {
            xattrs.request(out, e, iflags);
        }
    }

    void itemize(int ndx, FileEntry e, int iflags) {
        itemize(ndx, e, iflags, null);
    }

    /** With the name that follows the flags ({@code ITEM_XNAME_FOLLOWS}): a hard link's leader, or "" for none. */
    void itemize(int ndx, FileEntry e, int iflags, byte[] xname) {
        if (xattrs != null) {
            iflags |= settleXattrs(e, iflags);
        }
        int significant = iflags & ~(ItemFlags.BASIS_TYPE_FOLLOWS | ItemFlags.XNAME_FOLLOWS);
        // rsync/generator.c:itemize: an unchanged entry goes too at -ii or -vv, for the side that prints to show
        if (significant == 0 && o.itemizeChanges() < 2 && o.verbose() < 2 && (xname == null || xname.length == 0)) {
            return;
        }
        if (protocol >= 29) {
            NdxAttrs.write(out, protocol, ndx, iflags, ItemFlags.FNAMECMP_FNAME, xname);
            xattrRequest(e, iflags);
        } else {
            itemLog.item(e, iflags, false, xname);
        }
    }

    /**
     * An entry settled here: its attributes compared with its file's (a new one has none) and, when they differ,
     * set as far as the generator can ({@code set_file_attrs}' {@code set_xattr}); the receiver sets the long values
     * the sender sends for it.
     */
    private int settleXattrs(FileEntry e, int iflags) {
        Path path = null;
        try {
            path = paths.pathOf(e);
            int flag = xattrs.diff(e, (iflags & ItemFlags.IS_NEW) != 0 ? null : path);
            if (flag != 0 && !o.dryRun() && DestPaths.lstat(path) != null) {
                xattrs.set(path, e);
            }
            return flag;
        } catch (IOException ex) {
            log.error("rsync: rsync_xal_set: \"" + path + "\": " + Posix.describe(ex));
            return 0;
        }
    }
}
