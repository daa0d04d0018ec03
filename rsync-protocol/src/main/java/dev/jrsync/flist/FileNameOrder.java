package dev.jrsync.flist;

import java.util.Arrays;
import java.util.Comparator;

/**
 * The order both ends sort a file list in; file indexes are positions in it
 * (rsync/flist.c:f_name_cmp).
 *
 * <p>Protocol 29 and later: names are compared component by component as unsigned bytes, every
 * directory component as if followed by '/', and within a directory all non-directories come
 * before all subdirectories; the root {@code .} directory comes first. Two entries compare equal
 * only if they have the same name and both are, or both are not, directories. Before protocol 29:
 * plain byte order of the whole path.
 */
public final class FileNameOrder {
    private FileNameOrder() {}

    private static final Comparator<FileEntry> MODERN = FileNameOrder::compareModern;
    private static final Comparator<FileEntry> LEGACY = FileNameOrder::compareLegacy;

    public static Comparator<FileEntry> forProtocol(int protocol) {
        return protocol >= 29 ? MODERN : LEGACY;
    }

    /**
     * The protocol-29 order of entries of one directory, whose names all start with the same {@code prefix}
     * bytes (the directory's name and a '/'): only what follows it is compared.
     */
    public static Comparator<FileEntry> siblings(int prefix) {
        return (a, b) -> compareFrom(null, a.name(), a.isDirectory(), null, b.name(), b.isDirectory(), prefix);
    }

    /**
     * The order of two names of one directory, each a single component, as {@code get_dirlist} sorts a directory
     * read from disk: from protocol 29 files before subdirectories, each kind by bytes; before it plain byte order.
     */
    public static int compareSiblings(int protocol, byte[] a, boolean aDir, byte[] b, boolean bDir) {
        return protocol >= 29 ? compareFrom(null, a, aDir, null, b, bDir, 0) : Arrays.compareUnsigned(a, b);
    }

    /**
     * The protocol-29 rule without building names: entries that share their directory array (siblings read
     * from the wire) differ only in their last component; others are walked part by part.
     */
    private static int compareModern(FileEntry a, FileEntry b) {
        byte[] ad = a.dirPart();
        byte[] bd = b.dirPart();
        if (ad != null && ad == bd) {
            return compareFrom(null, a.basePart(), a.isDirectory(), null, b.basePart(), b.isDirectory(), 0);
        }
        boolean aRoot = a.isRootDot();
        boolean bRoot = b.isRootDot();
        if (aRoot || bRoot) {
            return aRoot == bRoot ? 0 : aRoot ? -1 : 1;
        }
        return compareFrom(ad, a.basePart(), a.isDirectory(), bd, b.basePart(), b.isDirectory(), 0);
    }

    /** Plain byte order; only entries of different directories build their names to compare. */
    private static int compareLegacy(FileEntry a, FileEntry b) {
        return a.dirPart() == b.dirPart()
                ? Arrays.compareUnsigned(a.basePart(), b.basePart())
                : Arrays.compareUnsigned(a.name(), b.name());
    }

    /**
     * Walks two names one component at a time, each given as an optional directory part ({@code ad},
     * {@code bd}, or null) and the rest ({@code ab}, {@code bb}); a component never spans the two, as a '/'
     * joins them. Both names share everything before byte {@code from} of their first part, a component
     * boundary. A component is "file-like" only if it is the last one of a non-directory; file-like sorts
     * first. Equal kinds compare by bytes, directory-like ones with an implied trailing '/'.
     */
    private static int compareFrom(byte[] ad, byte[] ab, boolean aDir, byte[] bd, byte[] bb, boolean bDir, int from) {
        byte[] a = ad != null ? ad : ab;
        byte[] b = bd != null ? bd : bb;
        boolean aInBase = ad == null;
        boolean bInBase = bd == null;
        int ia = from;
        int ib = from;
        while (true) {
            int ea = componentEnd(a, ia);
            int eb = componentEnd(b, ib);
            boolean aDone = aInBase && ea == a.length;
            boolean bDone = bInBase && eb == b.length;
            boolean aFileLike = aDone && !aDir;
            boolean bFileLike = bDone && !bDir;
            if (aFileLike != bFileLike) {
                return aFileLike ? -1 : 1;
            }
            int c = compareComponent(a, ia, ea, b, ib, eb, !aFileLike);
            if (c != 0) {
                return c;
            }
            if (aDone || bDone) {
                // equal so far: the name with nothing after it (a directory) precedes its contents
                return aDone == bDone ? 0 : aDone ? -1 : 1;
            }
            if (ea == a.length) {
                a = ab;
                ia = 0;
                aInBase = true;
            } else {
                ia = ea + 1;
            }
            if (eb == b.length) {
                b = bb;
                ib = 0;
                bInBase = true;
            } else {
                ib = eb + 1;
            }
        }
    }

    /** Bytes [from, to) of each; a directory-like component is compared as if '/' followed it. */
    private static int compareComponent(byte[] a, int fa, int ta, byte[] b, int fb, int tb, boolean slash) {
        int c = Arrays.compareUnsigned(a, fa, ta, b, fb, tb);
        if (c == 0 || !slash) {
            return c;
        }
        int la = ta - fa;
        int lb = tb - fb;
        int common = Math.min(la, lb);
        if (Arrays.mismatch(a, fa, fa + common, b, fb, fb + common) >= 0) {
            return c;
        }
        // one is a prefix of the other: the shorter continues with '/', the longer with its next byte
        return la < lb ? Integer.compare('/', b[fb + common] & 0xFF) : Integer.compare(a[fa + common] & 0xFF, '/');
    }

    private static int componentEnd(byte[] name, int from) {
        int i = from;
        while (i < name.length && name[i] != '/') {
            i++;
        }
        return i;
    }
}
