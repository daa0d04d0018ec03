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

    private static final Comparator<FileEntry> MODERN =
            (a, b) -> compare(a.name(), a.isDirectory(), b.name(), b.isDirectory());
    private static final Comparator<FileEntry> LEGACY = (a, b) -> Arrays.compareUnsigned(a.name(), b.name());

    public static Comparator<FileEntry> forProtocol(int protocol) {
        return protocol >= 29 ? MODERN : LEGACY;
    }

    /**
     * The protocol-29 rule without allocating: walk both names one component at a time. A
     * component is "file-like" only if it is the last one of a non-directory; file-like sorts
     * first. Equal kinds compare by bytes, directory-like ones with an implied trailing '/'.
     */
    static int compare(byte[] a, boolean aDir, byte[] b, boolean bDir) {
        boolean aRoot = aDir && isDot(a);
        boolean bRoot = bDir && isDot(b);
        if (aRoot || bRoot) {
            return aRoot == bRoot ? 0 : aRoot ? -1 : 1;
        }
        return compareFrom(a, aDir, b, bDir, 0);
    }

    /**
     * The protocol-29 order of entries of one directory, whose names all start with the same {@code prefix}
     * bytes (the directory's name and a '/'): only what follows it is compared.
     */
    public static Comparator<FileEntry> siblings(int prefix) {
        return (a, b) -> compareFrom(a.name(), a.isDirectory(), b.name(), b.isDirectory(), prefix);
    }

    /** {@link #compare} from byte {@code from} on, a component boundary both names share everything before. */
    private static int compareFrom(byte[] a, boolean aDir, byte[] b, boolean bDir, int from) {
        int ia = from;
        int ib = from;
        while (true) {
            int ea = componentEnd(a, ia);
            int eb = componentEnd(b, ib);
            boolean aFileLike = ea == a.length && !aDir;
            boolean bFileLike = eb == b.length && !bDir;
            if (aFileLike != bFileLike) {
                return aFileLike ? -1 : 1;
            }
            int c = compareComponent(a, ia, ea, b, ib, eb, !aFileLike);
            if (c != 0) {
                return c;
            }
            boolean aDone = ea == a.length;
            boolean bDone = eb == b.length;
            if (aDone || bDone) {
                // equal so far: the name with nothing after it (a directory) precedes its contents
                return aDone == bDone ? 0 : aDone ? -1 : 1;
            }
            ia = ea + 1;
            ib = eb + 1;
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

    private static boolean isDot(byte[] name) {
        return name.length == 1 && name[0] == '.';
    }
}
