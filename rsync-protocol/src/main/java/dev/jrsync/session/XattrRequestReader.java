package dev.jrsync.session;

import dev.jrsync.flist.FileEntry;
import dev.jrsync.flist.XattrSet;
import dev.jrsync.wire.ProtocolException;
import dev.jrsync.wire.ProtocolInput;

/**
 * The item numbers of a {@code -X} request or answer as sender and receiver read them ({@code
 * rsync/xattrs.c:recv_xattr_request}): differences from the previous number, ended by 0, each naming a long value
 * of the entry's set; anything else ends the session.
 */
final class XattrRequestReader {
    private final XattrSet set;
    private final FileEntry e;
    private final String who;
    private int num;

    XattrRequestReader(FileEntry e, String who) {
        this.set = e.xattrs();
        this.e = e;
        this.who = who;
    }

    /** The position in the entry's set of the next value named, or -1 at the end. */
    int next(ProtocolInput in) {
        int rel = in.readVarint();
        if (rel == 0) {
            return -1;
        }
        try {
            num = Math.addExact(num, rel);
        } catch (ArithmeticException ex) {
            throw new ProtocolException("xattr rel_pos accumulation overflow [" + who + "]");
        }
        int at = set.positionOf(num);
        if (at < 0 || !set.items().get(at).abbreviated()) {
            throw new ProtocolException("[" + who + "] could not find xattr #" + num + " for " + e.displayName());
        }
        return at;
    }
}
