package dev.jrsync.flist;

import java.util.Arrays;
import java.util.function.Predicate;

/**
 * Which attribute names {@code -X} reads, sends, keeps and removes on Linux ({@code rsync/xattrs.c}'s namespace
 * tests): a sender lists all but {@code system.*}; a receiver not root keeps only {@code user.*}, except under fake
 * super, which keeps another namespace's names below {@code user.rsync.}; rsync's own {@code user.rsync.%} names
 * (fake super's {@code %stat}) travel only with {@code -XX}. Filter rules with the 'x' modifier, when there are any,
 * take the place of the namespace tests ({@code saw_xattr_filter}).
 *
 * @param level    rsync's {@code preserve_xattrs}: 1 for {@code -X}, 2 for {@code -XX}
 * @param amRoot   rsync's {@code am_root} on this side: 1 root, 0 not, -1 fake super
 * @param excluded the names this side's 'x' filter rules exclude; null when it has none
 */
public record XattrRules(int level, int amRoot, Predicate<byte[]> excluded) {
    private static final byte[] USER = ascii("user.");
    private static final byte[] SYSTEM = ascii("system.");
    /** rsync's {@code RSYNC_PREFIX} on Linux. */
    private static final byte[] RSYNC = ascii("user.rsync.");
    private static final byte[][] FAKE_SUPER_NAMES = {ascii("stat"), ascii("aacl"), ascii("dacl")};
    private static final byte[] STAT = ascii("user.rsync.%stat");

    /** Without 'x' filter rules. */
    public XattrRules(int level, int amRoot) {
        this(level, amRoot, null);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static boolean hasPrefix(byte[] name, byte[] prefix) {
        return name.length >= prefix.length && Arrays.equals(name, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** A {@code user.rsync.%...} name: rsync's own, for fake super. */
    private static boolean isRsyncOwn(byte[] name) {
        return name.length > RSYNC.length && name[RSYNC.length] == '%' && hasPrefix(name, RSYNC);
    }

    /**
     * Whether a name found on disk is read ({@code rsync_xal_get}): by a sender all but {@code system.*} and, without
     * -XX, rsync's own names; by a receiver only {@code user.*} unless root (fake super counts as root here, as in
     * rsync), and under fake super never the names it keeps a file's real attributes in.
     */
    public boolean reads(byte[] name, boolean sender) {
        if (excluded != null) {
            if (excluded.test(name)) {
                return false;
            }
        } else if (!sender && amRoot == 0 ? !hasPrefix(name, USER) : hasPrefix(name, SYSTEM)) {
            return false;
        }
        if (isRsyncOwn(name)) {
            if (sender && level < 2) {
                return false;
            }
            if (amRoot < 0) {
                for (byte[] own : FAKE_SUPER_NAMES) {
                    if (Arrays.equals(name, RSYNC.length + 1, name.length, own, 0, own.length)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** The name a sender puts on the wire ({@code send_xattr}): fake super gives back a disguised namespace. */
    public byte[] wireName(byte[] name) {
        if (amRoot < 0 && name.length > RSYNC.length && name[RSYNC.length] != '%' && hasPrefix(name, RSYNC)) {
            return Arrays.copyOfRange(name, RSYNC.length, name.length);
        }
        return name;
    }

    /**
     * The name a receiver keeps for one from the wire, or null when it drops it ({@code receive_xattr}): not root,
     * only {@code user.*}; fake super disguises the others below {@code user.rsync.}; rsync's own names only with
     * -XX.
     */
    public byte[] received(byte[] name) {
        if (excluded != null && excluded.test(name)) {
            return null;
        }
        byte[] kept = name;
        if (amRoot <= 0 && !hasPrefix(name, USER)) {
            if (amRoot == 0 && excluded == null) {
                return null;
            }
            kept = new byte[RSYNC.length + name.length];
            System.arraycopy(RSYNC, 0, kept, 0, RSYNC.length);
            System.arraycopy(name, 0, kept, RSYNC.length, name.length);
        }
        if (level < 2 && isRsyncOwn(kept)) {
            return null;
        }
        return kept;
    }

    /**
     * Whether a name on a receiver's file is one it may remove as extraneous ({@code rsync_xal_set}): only {@code
     * user.*} unless root, never {@code system.*}, and never fake super's {@code %stat}.
     */
    public boolean removable(byte[] name) {
        if (excluded != null) {
            if (excluded.test(name)) {
                return false;
            }
        } else if (amRoot <= 0 ? !hasPrefix(name, USER) : hasPrefix(name, SYSTEM)) {
            return false;
        }
        return !(amRoot < 0 && Arrays.equals(name, STAT));
    }
}
