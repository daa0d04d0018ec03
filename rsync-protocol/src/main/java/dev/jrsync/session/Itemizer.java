package dev.jrsync.session;

import dev.jrsync.flist.FileEntry;
import dev.jrsync.wire.ProtocolOutput;

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

    Itemizer(RecvContext ctx) {
        this.o = ctx.o();
        this.out = ctx.conn().out();
        this.protocol = ctx.protocol();
        this.itemLog = ctx.itemLog();
    }

    void itemize(int ndx, FileEntry e, int iflags) {
        itemize(ndx, e, iflags, null);
    }

    /** With the name that follows the flags ({@code ITEM_XNAME_FOLLOWS}): a hard link's leader, or "" for none. */
    void itemize(int ndx, FileEntry e, int iflags, byte[] xname) {
        int significant = iflags & ~(ItemFlags.BASIS_TYPE_FOLLOWS | ItemFlags.XNAME_FOLLOWS);
        // rsync/generator.c:itemize: an unchanged entry goes too at -ii or -vv, for the side that prints to show
        if (significant == 0 && o.itemizeChanges() < 2 && o.verbose() < 2 && (xname == null || xname.length == 0)) {
            return;
        }
        if (protocol >= 29) {
            NdxAttrs.write(out, protocol, ndx, iflags, ItemFlags.FNAMECMP_FNAME, xname);
        } else {
            itemLog.item(e, iflags, false, xname);
        }
    }
}
