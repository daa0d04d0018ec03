package dev.jrsync.session;

import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What the receiver tells the generator: rsync's receiver writes MSG_REDO, MSG_DONE and (under incremental
 * recursion) MSG_SUCCESS / MSG_NO_SEND into its pipe to the generator, which reads them in {@code
 * rsync/io.c:read_a_msg}. The receiver only posts; the generator only takes, so neither waits for the other's
 * lock.
 */
final class GeneratorInbox {
    enum Kind { DONE, REDO, WAKE, LINKABLE }

    record Note(Kind kind, int ndx) {}

    private static final Note DONE = new Note(Kind.DONE, -1);
    private static final Note WAKE = new Note(Kind.WAKE, -1);
    private static final long WAIT_SLICE_MS = 200;

    private final LinkedBlockingQueue<Note> notes = new LinkedBlockingQueue<>();
    private volatile Thread receiver;

    /** The thread that posts: when it has ended with nothing left to read, no note will come. */
    void postingFrom(Thread receiver) {
        this.receiver = receiver;
    }

    /** MSG_REDO: the file failed its whole-file check and is to be requested again. */
    void redo(int ndx) {
        notes.add(new Note(Kind.REDO, ndx));
    }

    /**
     * A received file with other names ({@code -H}) is in place, so they may be linked to it: rsync's receiver
     * sends MSG_SUCCESS for it, which the generator's reader puts on its {@code hlink_list}.
     */
    void linkable(int ndx) {
        notes.add(new Note(Kind.LINKABLE, ndx));
    }

    /** MSG_DONE: the receiver finished a phase. */
    void phaseDone() {
        notes.add(DONE);
    }

    /**
     * Incremental recursion: the receiver is done with a requested file of {@code list}, written or not (its
     * MSG_SUCCESS or MSG_NO_SEND), so the list may end once its other files are done too.
     */
    void finished(FileListChain.Link list) {
        if (list.inProgress.decrementAndGet() == 0) {
            notes.add(WAKE); // its list may end now; a wake-up per file would cost a context switch each
        }
    }

    /** Incremental recursion: a list, or the end of the lists, was added to the chain. */
    void newList() {
        notes.add(WAKE);
    }

    /** The next note if one is waiting, else null. */
    Note poll() {
        return notes.poll();
    }

    /**
     * The next note, waiting for it ({@code rsync/io.c:wait_for_receiver}); the receiver's end with nothing
     * posted is an error, as the generator would otherwise wait for good.
     */
    Note take() {
        while (true) {
            Note m;
            try {
                m = notes.poll(WAIT_SLICE_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RsyncException(ExitCode.SIGNAL, "generator interrupted");
            }
            if (m != null) {
                return m;
            }
            Thread r = receiver;
            if (r != null && !r.isAlive() && notes.isEmpty()) {
                throw new RsyncException(ExitCode.IPC, "the receiver ended before the generator was done");
            }
        }
    }
}
