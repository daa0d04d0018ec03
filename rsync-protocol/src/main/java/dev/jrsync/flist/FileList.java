package dev.jrsync.flist;

import dev.jrsync.wire.ProtocolException;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;

/**
 * A complete (non-incremental) file list in index order: sorted stably by {@link FileNameOrder},
 * so entry {@code i} has file index {@code i}. On the receiving side duplicates are cleaned out
 * as rsync/flist.c:flist_sort_and_clean does; a removed entry keeps its slot so that indexes do
 * not shift, and reads as inactive.
 */
public final class FileList {
    private final FileEntry[] sorted;
    private final BitSet removed = new BitSet();
    /** The removed slots the receiving side refused, as opposed to duplicates. */
    private final BitSet refused = new BitSet();
    private final Comparator<FileEntry> order;
    private final boolean filesBeforeDirs;

    private FileList(List<FileEntry> entries, int protocol) {
        this.sorted = entries.toArray(new FileEntry[0]);
        this.order = FileNameOrder.forProtocol(protocol);
        this.filesBeforeDirs = protocol >= 29;
        if (!inOrder()) {
            Arrays.sort(sorted, order); // TimSort: stable, as rsync's merge sort
        }
    }

    /**
     * Whether the entries arrived sorted, as a sender sends them. Skipping the sort then is more than a
     * pass saved: TimSort is shared by every sort in the JVM, and a daemon sorting other arrays between
     * sessions had its compiled merges thrown away and recompiled (half a CPU second) for each upload.
     */
    private boolean inOrder() {
        for (int i = 1; i < sorted.length; i++) {
            if (order.compare(sorted[i - 1], sorted[i]) > 0) {
                return false;
            }
        }
        return true;
    }

    /** The sender's view: sorted, nothing removed (the receiver may ask for any name it kept). */
    public static FileList forSender(List<FileEntry> entries, int protocol) {
        return new FileList(entries, protocol);
    }

    /** The receiver's view: sorted, then duplicates removed. */
    public static FileList forReceiver(List<FileEntry> entries, int protocol) {
        FileList list = new FileList(entries, protocol);
        list.removeDuplicates();
        return list;
    }

    /**
     * rsync/flist.c:flist_sort_and_clean, receiver side. Equal neighbours are duplicates: a
     * directory beats a non-directory (it may have contents in the list), otherwise the first
     * wins, and a dropped directory's "has contents"/"top" flags are merged into the kept one.
     * From protocol 29 a file and a directory of the same name are not neighbours (files sort
     * first), so each directory also looks back for a same-named non-directory.
     */
    private void removeDuplicates() {
        int prev = 0;
        for (int i = 1; i < sorted.length; i++) {
            FileEntry file = sorted[i];
            int dup;
            if (order.compare(file, sorted[prev]) == 0) {
                dup = prev;
            } else if (filesBeforeDirs && file.isDirectory()) {
                dup = findActive(FileEntry.namedLike(file, FileMode.S_IFREG), prev + 1);
            } else {
                dup = -1;
            }
            if (dup < 0) {
                prev = i;
                continue;
            }
            FileEntry other = sorted[dup];
            if (file.isDirectory() && !other.isDirectory()) {
                removed.set(dup);
                prev = i;
            } else {
                if (file.isDirectory()) {
                    other.setDirFlags(mergedDirFlags(other.dirFlags(), file.dirFlags()));
                }
                removed.set(i);
            }
        }
    }

    /**
     * The kept directory has contents if either had (a content dir lacks NO_CONTENT_DIR), is a top
     * dir if either content dir was one, and stays an implied parent (TOP_DIR|NO_CONTENT_DIR) only
     * if both were.
     */
    static int mergedDirFlags(int kept, int dropped) {
        boolean keptContent = (kept & XmitFlags.NO_CONTENT_DIR) == 0;
        boolean droppedContent = (dropped & XmitFlags.NO_CONTENT_DIR) == 0;
        if (keptContent || droppedContent) {
            boolean top = (keptContent && (kept & XmitFlags.TOP_DIR) != 0)
                    || (droppedContent && (dropped & XmitFlags.TOP_DIR) != 0);
            return top ? XmitFlags.TOP_DIR : 0;
        }
        boolean implied = (kept & XmitFlags.TOP_DIR) != 0 && (dropped & XmitFlags.TOP_DIR) != 0;
        return XmitFlags.NO_CONTENT_DIR | (implied ? XmitFlags.TOP_DIR : 0);
    }

    /** Number of slots, removed ones included; valid indexes are 0 to size() - 1. */
    public int size() {
        return sorted.length;
    }

    /**
     * The entry at a file index, or null if it was removed as a duplicate. An index outside the
     * list came from a confused or hostile peer.
     */
    public FileEntry get(int ndx) {
        if (ndx < 0 || ndx >= sorted.length) {
            throw new ProtocolException("file index " + ndx + " out of range (list has " + sorted.length + " entries)");
        }
        return removed.get(ndx) ? null : sorted[ndx];
    }

    /**
     * Drops an entry the receiving side refuses (a daemon's excluded names): its index stays taken, so
     * the peer's indices keep their meaning, and {@link #get} answers null for it.
     */
    public void remove(int ndx) {
        get(ndx);
        removed.set(ndx);
        refused.set(ndx);
    }

    /** Whether a slot was emptied as a duplicate ({@code flist_sort_and_clean}'s {@code clear_file}). */
    boolean isDuplicate(int ndx) {
        return removed.get(ndx) && !refused.get(ndx);
    }

    /** The entry in a slot, removed or not: incremental recursion still counts a removed directory's place. */
    FileEntry entry(int ndx) {
        get(ndx);
        return sorted[ndx];
    }

    public boolean isActive(int ndx) {
        return ndx >= 0 && ndx < sorted.length && !removed.get(ndx);
    }

    /** The index of the active entry with this name (a non-directory first, then a directory), or -1. */
    public int indexOf(byte[] name) {
        int i = findActive(FileEntry.builder(name, FileMode.S_IFREG).build(), sorted.length);
        return i >= 0 ? i : findActive(FileEntry.builder(name, FileMode.S_IFDIR).build(), sorted.length);
    }

    /** The active entry with this name, or null. */
    public FileEntry find(byte[] name) {
        int i = indexOf(name);
        return i < 0 ? null : sorted[i];
    }

    /** Binary search in slots [0, limit) for an active entry equal to {@code probe} (its name and kind). */
    private int findActive(FileEntry probe, int limit) {
        int lo = 0;
        int hi = limit - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = order.compare(sorted[mid], probe);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return activeAmongEqual(mid, probe, limit);
            }
        }
        return -1;
    }

    /** Equal entries are adjacent; any active one among them will do (duplicates leave only one). */
    private int activeAmongEqual(int hit, FileEntry probe, int limit) {
        for (int i = hit; i >= 0 && order.compare(sorted[i], probe) == 0; i--) {
            if (!removed.get(i)) {
                return i;
            }
        }
        for (int i = hit + 1; i < limit && order.compare(sorted[i], probe) == 0; i++) {
            if (!removed.get(i)) {
                return i;
            }
        }
        return -1;
    }
}
