package dev.jrsync.session;

import dev.jrsync.wire.ProtocolException;
import dev.jrsync.wire.ProtocolInput;
import dev.jrsync.wire.ProtocolOutput;

/**
 * The attributes that follow a file index in a transfer request and its echo ({@code rsync/sender.c:
 * write_ndx_and_attrs}, {@code rsync/rsync.c:read_ndx_and_attrs}): item flags from protocol 29, then the
 * basis type and the alternate basis name when the flags say so. Shared by every role that sends or
 * reads them.
 */
public final class NdxAttrs {
    private NdxAttrs() {}

    /** rsync's MAXPATHLEN: an xname is a path. */
    static final int MAX_XNAME = 4096;

    // rsync/sender.c:write_ndx_and_attrs
    static void write(ProtocolOutput out, int protocol, int ndx, int iflags, int basisType, byte[] xname) {
        out.writeNdx(ndx);
        if (protocol < 29) {
            return;
        }
        out.writeShort(iflags);
        if ((iflags & ItemFlags.BASIS_TYPE_FOLLOWS) != 0) {
            out.writeByte(basisType);
        }
        if ((iflags & ItemFlags.XNAME_FOLLOWS) != 0) {
            if (xname.length > 0x7F) {
                out.writeByte(0x80 | (xname.length >>> 8));
            }
            out.writeByte(xname.length);
            out.write(xname);
        }
    }

    /** The alternate basis name ({@code read_vstring}), refused past a path's length; {@code peer} names the writer. */
    static byte[] readXname(ProtocolInput in, String peer) {
        int len = in.readUnsignedByte();
        if ((len & 0x80) != 0) {
            len = ((len & 0x7F) << 8) | in.readUnsignedByte();
        }
        if (len >= MAX_XNAME) {
            throw new ProtocolException("over-long xname from the " + peer + " (" + len + " bytes)");
        }
        return in.readBytes(len);
    }
}
