package dev.jrsync.flist;

import dev.jrsync.wire.ProtocolException;
import dev.jrsync.wire.ProtocolInput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The receiving half of a file-list entry's attributes under {@code -X} ({@code rsync/xattrs.c:receive_xattr}):
 * an index into the sets read before, or a new set, whose names this side would not keep are dropped (or, under
 * fake super, disguised) as it reads them. Only what the sender sent is held: the count and lengths are checked
 * against rsync's wire limits and read item by item, never allocated as announced; a value past {@link
 * XattrSet#MAX_FULL_DATUM} bytes comes as its digest, so no item costs more than its name and 32 bytes. The sets
 * kept are charged to the input's {@link dev.jrsync.wire.MaxAlloc}, as the file list is: a daemon's memory budget
 * bounds them too.
 */
public final class XattrListReader {
    /** rsync's {@code MAX_WIRE_XATTR_COUNT}. */
    static final int MAX_COUNT = 65536;
    /** rsync's {@code MAX_WIRE_XATTR_NAMELEN}, the NUL included. */
    static final int MAX_NAME = 4096;
    /** rsync's {@code MAX_XATTR_VALUE_BYTES}. */
    public static final int MAX_VALUE = 128 << 20;
    /** rsync's {@code MAX_XATTR_LIST_BYTES}: the lengths one set announces, added up. */
    static final long MAX_LIST = 512L << 20;

    private final XattrRules rules;
    /** What a set and each of its items cost besides their bytes (objects, headers, references). */
    private static final int SET_OVERHEAD = 64;
    private static final int ITEM_OVERHEAD = 80;

    /** rsync's {@code rsync_xal_l} on the receiver: every set read in full, in the order read. */
    private final List<XattrSet> table = new ArrayList<>();
    /** What {@link #table} was charged to the input's allocation budget. */
    private long held;

    public XattrListReader(XattrRules rules) {
        this.rules = rules;
    }

    public XattrSet read(ProtocolInput in, String entryName) {
        int ndx = in.readVarint();
        if (ndx < 0 || ndx > table.size()) {
            throw new ProtocolException("receive_xattr: xa index " + ndx + " out of range for " + entryName);
        }
        if (ndx != 0) {
            return table.get(ndx - 1);
        }
        int count = in.readVarint();
        if (count < 0 || count > MAX_COUNT) {
            throw new ProtocolException("xattr count " + count + " out of range for " + entryName);
        }
        List<XattrSet.Item> items = new ArrayList<>();
        long total = 0;
        for (int num = 1; num <= count; num++) {
            int nameLength = in.readVarint();
            int length = in.readVarint();
            if (nameLength < 1 || nameLength > MAX_NAME) {
                throw new ProtocolException("xattr name_len " + nameLength + " out of range for " + entryName);
            }
            if (length < 0 || length > MAX_VALUE) {
                throw new ProtocolException("xattr datum_len exceeds per-value limit [receiver] (" + length + " for "
                        + entryName + ")");
            }
            total += nameLength + (long) length;
            if (total > MAX_LIST) {
                throw new ProtocolException("xattr list exceeds per-file limit [receiver] (" + entryName + ")");
            }
            byte[] wire = in.readBytes(nameLength);
            int nul = indexOfNul(wire);
            if (nul != nameLength - 1) {
                throw new ProtocolException("Invalid xattr name received (" + (nul < 0 ? "missing trailing \\0"
                        : "NUL inside the name") + ") for " + entryName);
            }
            byte[] datum = in.readBytes(length > XattrSet.MAX_FULL_DATUM ? XattrSet.DIGEST_LENGTH : length);
            byte[] name = rules.received(Arrays.copyOf(wire, nul));
            if (name == null) {
                continue;
            }
            items.add(new XattrSet.Item(name, length, datum, num));
        }
        // sorted as this side compares them: a disguised name grew a prefix, and a fake-super sender's names
        // lost theirs after it sorted them
        items.sort((a, b) -> XattrSet.compareNames(a.name(), b.name()));
        long cost = SET_OVERHEAD;
        for (XattrSet.Item it : items) {
            cost += ITEM_OVERHEAD + it.name().length + it.datum().length;
        }
        in.maxAlloc().grow(held, held + cost, "receiver", "xattr sets");
        held += cost;
        XattrSet set = items.isEmpty() ? XattrSet.EMPTY : new XattrSet(items);
        table.add(set);
        return set;
    }

    private static int indexOfNul(byte[] b) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }
}
