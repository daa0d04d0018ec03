package dev.jrsync.session;

import dev.jrsync.delta.SumHead;
import dev.jrsync.wire.MaxAlloc;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The files the generator asked the sender for, by index, until the receiver takes each request to check the
 * sender's reply against it. rsync's receiver trusts its own generator's choices through shared globals; here the
 * table is the one thing the two roles read in common, so data is accepted only for what was asked, against the
 * basis chosen.
 */
final class RequestTable {
    /** What the generator asked the sender for; the receiver accepts data only for these. */
    record Request(int ndx, Path target, Path basis, int basisType, byte[] xname, SumHead head,
                   boolean redo, boolean existed, boolean append) {
        /**
         * About what the request holds on the heap until it is answered (the record, its map entry, the paths
         * as bytes and as text): a peer that reads none of them decides how many are outstanding.
         */
        long heapBytes() {
            return 200 + 2L * target.toString().length() + (basis == null ? 0 : 2L * basis.toString().length())
                    + (xname == null ? 0 : 16 + xname.length);
        }
    }

    private final Map<Integer, Request> requests = new ConcurrentHashMap<>();
    private final MaxAlloc alloc;

    RequestTable(MaxAlloc alloc) {
        this.alloc = alloc;
    }

    /**
     * Records a request until the receiver takes it, charged to the session's allowance: under incremental
     * recursion a pushing client that sends lists and reads nothing would otherwise have the generator hold
     * hundreds of thousands of them beside the lists (a hostile client drove a 512 MiB daemon out of heap).
     */
    void record(Request r) {
        alloc.grow(0, r.heapBytes(), "generator", "pending file requests");
        Request replaced = requests.put(r.ndx(), r);
        if (replaced != null) {
            alloc.release(replaced.heapBytes());
        }
    }

    /**
     * The request made for {@code ndx} in the current pass, or null; each request is answered once (a second
     * reply for the same file is refused as unrequested).
     */
    Request take(int ndx) {
        Request r = requests.remove(ndx);
        if (r != null) {
            alloc.release(r.heapBytes());
        }
        return r;
    }
}
