package dev.jrsync.flist;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;

/**
 * One file's extended attributes as {@code -X} sends and compares them ({@code rsync/xattrs.c}'s {@code rsync_xa}
 * list): name, value length, and the value itself when it is at most {@link #MAX_FULL_DATUM} bytes, else only its
 * MD5 digest, which the receiving generator compares and asks the full value for when it differs. Each item keeps
 * its number on the sender's side (1-based, in the order sent), by which such a request names it. Immutable, so
 * that the entries of a list, the generator and the receiver may share one set.
 */
public final class XattrSet {
    /** rsync's {@code MAX_FULL_DATUM}: longer values travel as their digest. */
    public static final int MAX_FULL_DATUM = 32;
    /** rsync's {@code xattr_sum_len} from protocol 30 on: an MD5 digest, unseeded. */
    public static final int DIGEST_LENGTH = 16;
    /** No attributes. */
    public static final XattrSet EMPTY = new XattrSet(List.of());

    /**
     * One attribute: {@code datum} is the value when {@code length <= MAX_FULL_DATUM}, else its digest; {@code num}
     * the sender's number for it.
     */
    public record Item(byte[] name, int length, byte[] datum, int num) {
        public boolean abbreviated() {
            return length > MAX_FULL_DATUM;
        }

        /** The same attribute (name, length, and value or digest), whatever its number. */
        public boolean sameAs(Item o) {
            return length == o.length && Arrays.equals(name, o.name) && Arrays.equals(datum, o.datum);
        }
    }

    private final List<Item> items;

    /** {@code items} sorted by name as {@link #compareNames} orders them. */
    public XattrSet(List<Item> items) {
        this.items = List.copyOf(items);
    }

    /** An item of {@code value} named {@code name}: kept whole, or as its digest when long. */
    public static Item item(byte[] name, byte[] value, int num) {
        return new Item(name, value.length, value.length > MAX_FULL_DATUM ? digest(value) : value, num);
    }

    /** rsync's {@code sum_init(xattr_sum_nni, ...)} for protocol 30+: MD5 of the value alone. */
    public static byte[] digest(byte[] value) {
        try {
            return MessageDigest.getInstance("MD5").digest(value);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** rsync's {@code rsync_xal_compare_names}: strcmp, bytes unsigned. */
    public static int compareNames(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }

    public List<Item> items() {
        return items;
    }

    public int size() {
        return items.size();
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    /** The position of the item the sender numbered {@code num}, or -1. */
    public int positionOf(int num) {
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).num() == num) {
                return i;
            }
        }
        return -1;
    }

    /** Whether any value travels as its digest only (only then can a request for it come). */
    public boolean hasAbbreviated() {
        for (Item it : items) {
            if (it.abbreviated()) {
                return true;
            }
        }
        return false;
    }

    /** rsync/xattrs.c:find_matching_xattr's test: the same items in the same order, numbers aside. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof XattrSet other) || other.items.size() != items.size()) {
            return false;
        }
        for (int i = 0; i < items.size(); i++) {
            if (!items.get(i).sameAs(other.items.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = items.size();
        for (Item it : items) {
            h = 31 * h + Arrays.hashCode(it.name());
            h = 31 * h + Arrays.hashCode(it.datum());
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (Item it : items) {
            sb.append(sb.length() > 1 ? ", " : "").append(new String(it.name(), java.nio.charset.StandardCharsets.ISO_8859_1))
                    .append('(').append(it.length()).append(')');
        }
        return sb.append('}').toString();
    }
}
