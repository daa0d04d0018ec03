package dev.jrsync.session;

import dev.jrsync.flist.FileEntry;
import dev.jrsync.wire.ProtocolOutput;

/**
 * How the generator tells an entry it settled itself ({@code rsync/generator.c:itemize}): from protocol 29 on as
 * the index and flags to the sender, which echoes them to whoever prints; before that printed here.
 */
final class Itemizer {
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
        int significant = iflags & ~(ItemFlags.BASIS_TYPE_FOLLOWS | ItemFlags.XNAME_FOLLOWS);
        if (significant == 0 && o.itemizeChanges() < 2) {
            return;
        }
        if (protocol >= 29) {
            NdxAttrs.write(out, protocol, ndx, iflags, ItemFlags.FNAMECMP_FNAME, null);
        } else {
            itemLog.item(e, iflags, false);
        }
    }
}
