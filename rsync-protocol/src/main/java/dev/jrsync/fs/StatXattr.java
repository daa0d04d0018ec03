package dev.jrsync.fs;

import java.nio.charset.StandardCharsets;

/**
 * The value of the {@code user.rsync.%stat} attribute that fake super keeps on a file in place of what only
 * root could set: the whole mode (type, setuid, setgid and sticky bits included), the device numbers and the
 * owner ({@code rsync/xattrs.c}: written by {@code set_stat_xattr} as {@code "%o %u,%u %u:%u"}, read back by
 * {@code get_stat_xattr} with {@code sscanf("%o %d,%d %d:%d")}). A pure codec: no file is touched here.
 *
 * @param mode the mode in octal on the wire, file type bits included ({@code to_wire_mode} is the identity on
 *             Linux)
 */
public record StatXattr(int mode, int rdevMajor, int rdevMinor, int uid, int gid) {
    /** rsync's {@code XSTAT_ATTR} on Linux: {@code RSYNC_PREFIX "%stat"}, in the user namespace. */
    public static final String NAME = "user.rsync.%stat";
    /** rsync reads the value into a 256-byte buffer less the NUL it adds. */
    public static final int MAX_LENGTH = 255;

    /** Thrown for a value {@code get_stat_xattr} cannot parse (rsync stops with "Corrupt ... xattr"). */
    public static final class CorruptException extends IllegalArgumentException {
        public CorruptException(String value) {
            super(value);
        }
    }

    /** The attribute's bytes, exactly as {@code set_stat_xattr}'s {@code snprintf} makes them, without a NUL. */
    public byte[] encode() {
        String s = Integer.toOctalString(mode) + " " + Integer.toUnsignedString(rdevMajor) + ","
                + Integer.toUnsignedString(rdevMinor) + " " + Integer.toUnsignedString(uid) + ":"
                + Integer.toUnsignedString(gid);
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Parses a value as {@code sscanf("%o %d,%d %d:%d")} does: blanks before each number and where the format
     * has a space, an optional sign, the separators exactly, anything after the fifth number ignored.
     */
    public static StatXattr decode(byte[] value) {
        Scanf s = new Scanf(value);
        int mode = s.number(8);
        s.blanks();
        int major = s.number(10);
        s.literal(',');
        int minor = s.number(10);
        s.blanks();
        int uid = s.number(10);
        s.literal(':');
        int gid = s.number(10);
        return new StatXattr(mode, major, minor, uid, gid);
    }

    /** Just enough of {@code sscanf} for this one format. */
    private static final class Scanf {
        private final byte[] b;
        private int i;

        Scanf(byte[] b) {
            this.b = b;
        }

        void blanks() {
            while (i < b.length && isSpace(b[i])) {
                i++;
            }
        }

        void literal(char c) {
            if (i >= b.length || b[i] != c) {
                throw corrupt();
            }
            i++;
        }

        /** {@code %o} or {@code %d}: like {@code strtol}, wrapping to 32 bits as the C conversion does. */
        int number(int radix) {
            blanks();
            boolean negative = false;
            if (i < b.length && (b[i] == '+' || b[i] == '-')) {
                negative = b[i] == '-';
                i++;
            }
            int start = i;
            long v = 0;
            while (i < b.length && Character.digit(b[i], radix) >= 0) {
                v = v * radix + Character.digit(b[i], radix);
                if (v > 0xFFFF_FFFFL) {
                    v = 0xFFFF_FFFFL; // strtoul's saturation; no real value gets here
                }
                i++;
            }
            if (i == start) {
                throw corrupt();
            }
            return (int) (negative ? -v : v);
        }

        private CorruptException corrupt() {
            return new CorruptException(new String(b, StandardCharsets.ISO_8859_1));
        }

        private static boolean isSpace(byte c) {
            return c == ' ' || (c >= '\t' && c <= '\r');
        }
    }
}
