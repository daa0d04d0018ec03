package dev.jrsync.session;

import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import dev.jrsync.flist.DirList;
import dev.jrsync.flist.FileEntry;
import dev.jrsync.flist.FileList;
import dev.jrsync.wire.MaxAlloc;
import dev.jrsync.wire.ProtocolException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The receiving side's file lists under incremental recursion: rsync's chain from {@code first_flist}
 * ({@code rsync/flist.c:flist_new}, {@code flist_free}, {@code rsync/rsync.c:flist_for_ndx}). Each list takes
 * the file indexes after the previous one's, one index apart: the gap ({@code ndx_start - 1}) names the list's
 * parent directory, which the generator itemizes as the list's head. The receiver thread adds lists as they
 * arrive and frees the oldest at each {@code NDX_DONE} the sender echoes; the generator thread reads them in
 * order. A freed list is dropped, so a huge tree costs only the lists in flight and its directories.
 *
 * <p>The sending side keeps the same chain ({@link #forSender}) to find the list an index names and to free
 * each at its {@code NDX_DONE}; it needs no directory list, as it announces sub-lists itself.
 */
public final class FileListChain {

    /** One list: its entries, its first index ({@code ndx_start}) and its parent directory, if any. */
    public static final class Link {
        private final FileList list;
        private final int start;
        private final FileEntry parent;
        /** What the list was charged to the session's {@link MaxAlloc}, given back when it is freed. */
        private final long charged;
        /**
         * Files the generator requested and the receiver has not finished ({@code flist->in_progress}): counted
         * up by the generator, down by the receiver, which so wakes the generator only when a list may end.
         */
        final AtomicInteger inProgress = new AtomicInteger();
        /** Files the receiver sent back for a second try ({@code flist->to_redo}). */
        int toRedo;
        /** The list's place in the chain, the top list's 0 ({@code flist_num} - 1). */
        private final int seq;

        Link(FileList list, int start, FileEntry parent, long charged, int seq) {
            this.list = list;
            this.start = start;
            this.parent = parent;
            this.charged = charged;
            this.seq = seq;
        }

        /** The list's place in the chain: 0 for the top list. */
        public int seq() {
            return seq;
        }

        public FileList list() {
            return list;
        }

        public int start() {
            return start;
        }

        /** The directory whose contents this list holds (the "." of a top list that has one), or null. */
        public FileEntry parent() {
            return parent;
        }

        /** The index the list's parent directory goes by: the one before its entries. */
        public int parentNdx() {
            return start - 1;
        }

        boolean holds(int ndx) {
            return ndx >= start - 1 && ndx < start + list.size();
        }

        /**
         * {@code --progress}'s count of an index of this list among all lists' entries
         * ({@code set_current_file_index}): each earlier list also took one index, before its entries.
         */
        public int position(int ndx) {
            return ndx - seq - 1;
        }

        /** The entry at a file index of this list (its parent at {@link #parentNdx}), null if removed. */
        public FileEntry entry(int ndx) {
            if (ndx == start - 1) {
                return parent;
            }
            return list.get(ndx - start);
        }
    }

    /** What the lists were charged to; null on the sending side, which charges nothing. */
    private final MaxAlloc alloc;
    /** The receiving side's dir_flist; null on the sending side. */
    private final DirList dirs;
    /** Every list in order of arrival; a freed one is null (first_flist is the first non-null). */
    private final List<Link> links = new ArrayList<>();
    private int first;
    private int nextStart = 1; // rsync numbers from 1 under inc_recurse
    private boolean eof;

    /** @param alloc what the lists were charged to as they were read */
    public FileListChain(MaxAlloc alloc) {
        this.alloc = alloc;
        this.dirs = new DirList();
    }

    private FileListChain() {
        this.alloc = null;
        this.dirs = null;
    }

    /** The sending side's chain: nothing charged, no directory list kept. */
    public static FileListChain forSender() {
        return new FileListChain();
    }

    /** The directories of all lists so far, which sub-lists are announced by. */
    public synchronized DirList dirs() {
        return dirs;
    }

    /**
     * Appends the top list. Its parent is its "." when that sorts first ({@code recv_file_list}: a top list
     * without one has no parent and no head to generate).
     */
    public Link addTop(FileList list, long charged) {
        FileEntry parent = null;
        for (int i = 0; i < list.size(); i++) {
            FileEntry e = list.get(i);
            if (e != null) {
                parent = e.isRootDot() ? e : null;
                break;
            }
        }
        return add(list, parent, charged);
    }

    /** Appends a directory's sub-list, numbered after the last list. */
    public synchronized Link add(FileList list, FileEntry parent, long charged) {
        if (eof) {
            throw new ProtocolException("a file list arrived after the end of the file lists");
        }
        Link link = new Link(list, nextStart, parent, charged, links.size());
        // flist_new: ndx_start = prev->ndx_start + prev->used + 1
        long next = (long) nextStart + list.size() + 1;
        if (next > Integer.MAX_VALUE) {
            throw new ProtocolException("file indexes overflow after " + nextStart);
        }
        nextStart = (int) next;
        if (dirs != null) {
            dirs.add(list);
        }
        links.add(link);
        return link;
    }

    /** Entries in every list added so far: each list takes its size plus one index ({@code ndx_start}). */
    public synchronized int entries() {
        return nextStart - 1 - links.size();
    }

    /** The sender's NDX_FLIST_EOF: no list follows. */
    public synchronized void endOfLists() {
        eof = true;
    }

    public synchronized boolean endReached() {
        return eof;
    }

    /** The {@code seq}-th list ever added (0 is the top list), or null if it has not arrived yet. */
    public synchronized Link arrived(int seq) {
        return seq < links.size() ? links.get(seq) : null;
    }

    /** Whether any list is still held ({@code first_flist != NULL}). */
    public synchronized boolean hasLists() {
        return first < links.size();
    }

    /** The oldest list held ({@code first_flist}), or null. */
    public synchronized Link firstHeld() {
        return first < links.size() ? links.get(first) : null;
    }

    /** Drops the oldest list ({@code flist_free(first_flist)}); false if there was none. */
    public synchronized boolean freeFirst() {
        if (first >= links.size()) {
            return false;
        }
        if (alloc != null) {
            alloc.release(links.get(first).charged);
        }
        links.set(first++, null);
        return true;
    }

    /**
     * The held list an index belongs to ({@code flist_for_ndx}); an index outside them is the protocol error
     * rsync exits with (code 2).
     */
    public synchronized Link forNdx(int ndx) {
        int lo = first;
        int hi = links.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Link l = links.get(mid);
            if (ndx < l.start - 1) {
                hi = mid - 1;
            } else if (ndx >= l.start + l.list.size()) {
                lo = mid + 1;
            } else {
                return l;
            }
        }
        int low = first < links.size() ? links.get(first).start - 1 : 0;
        int high = links.isEmpty() ? -1 : links.getLast().start + links.getLast().list.size() - 1;
        throw new RsyncException(ExitCode.PROTOCOL_INCOMPATIBLE,
                "File-list index " + ndx + " not in " + low + " - " + high);
    }
}
