package dev.jrsync.session;

import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import dev.jrsync.delta.SumHead;
import dev.jrsync.wire.MaxAlloc;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.BooleanSupplier;

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

    /** Sorted, so that {@link #takeBelow} finds the oldest unanswered requests at once. */
    private final ConcurrentSkipListMap<Integer, Request> requests = new ConcurrentSkipListMap<>();
    private final MaxAlloc alloc;
    /** The highest index the generator has gone past (requested or not): {@link #awaitDecision}. */
    private int decidedThrough = -1;

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
        synchronized (this) {
            notifyAll(); // a --read-batch receiver may be waiting for a resend's request
        }
    }

    /** The generator has gone past {@code ndx}: what it did not request by now, it does not want. */
    synchronized void decided(int ndx) {
        if (ndx > decidedThrough) {
            decidedThrough = ndx;
            notifyAll();
        }
    }

    /** The generator has gone through its whole list. */
    void decidedAll() {
        decided(Integer.MAX_VALUE);
    }

    /**
     * {@code --read-batch}: the recorded stream brings every file its writer sent, wanted here or not, so the
     * receiver waits until the generator has decided about {@code ndx} and takes its request, or null
     * ({@code rsync/receiver.c:gen_wants_ndx}, which reads the generator's choices from a pipe).
     */
    Request awaitDecision(int ndx) {
        awaitUntil(() -> decidedThrough >= ndx);
        return take(ndx);
    }

    /** {@code --read-batch}, phase 1: waits for the request the generator makes for a resend of {@code ndx}. */
    Request awaitRequest(int ndx) {
        awaitUntil(() -> requests.containsKey(ndx));
        return take(ndx);
    }

    private synchronized void awaitUntil(BooleanSupplier done) {
        while (!done.getAsBoolean()) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RsyncException(ExitCode.SIGNAL, "interrupted");
            }
        }
    }

    /** Requests still unanswered for indexes below {@code ndx}, taken out of the table. */
    List<Request> takeBelow(int ndx) {
        List<Request> left = new ArrayList<>();
        Map.Entry<Integer, Request> first;
        while ((first = requests.firstEntry()) != null && first.getKey() < ndx) {
            Request r = take(first.getKey());
            if (r != null) {
                left.add(r);
            }
        }
        return left;
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
