package dev.jrsync.session;

/**
 * Compatibility flags the server sends after the argument list (protocol 30+), and the client-info
 * letters ({@code -e.xxx}) that ask for them ({@code rsync/compat.c:setup_protocol}).
 */
public final class CompatFlags {
    private CompatFlags() {}

    public static final int INC_RECURSE = 0x001;
    public static final int SYMLINK_TIMES = 0x002;
    public static final int SYMLINK_ICONV = 0x004;
    public static final int SAFE_FLIST = 0x008;
    public static final int AVOID_XATTR_OPTIM = 0x010;
    public static final int CHKSUM_SEED_FIX = 0x020;
    public static final int INPLACE_PARTIAL_DIR = 0x040;
    public static final int VARINT_FLIST_FLAGS = 0x080;
    public static final int ID0_NAMES = 0x100;

    /**
     * The flags a server grants for a client-info string, incremental recursion aside (its grant depends on the
     * options, see {@link ProtocolSetup#server}). We never grant symlink times or iconv: jrsync implements neither.
     */
    public static int forClientInfo(String clientInfo) {
        int flags = 0;
        if (clientInfo.indexOf('f') >= 0) {
            flags |= SAFE_FLIST;
        }
        if (clientInfo.indexOf('x') >= 0) {
            flags |= AVOID_XATTR_OPTIM;
        }
        if (clientInfo.indexOf('C') >= 0) {
            flags |= CHKSUM_SEED_FIX;
        }
        if (clientInfo.indexOf('I') >= 0) {
            flags |= INPLACE_PARTIAL_DIR;
        }
        if (clientInfo.indexOf('v') >= 0) {
            flags |= VARINT_FLIST_FLAGS;
        }
        if (clientInfo.indexOf('u') >= 0) {
            flags |= ID0_NAMES;
        }
        return flags;
    }
}
