package dev.jrsync.session;

import dev.jrsync.core.PathBytes;
import dev.jrsync.core.SessionLog;
import dev.jrsync.delta.Patcher;
import dev.jrsync.delta.SumHead;
import dev.jrsync.delta.token.TokenReader;
import dev.jrsync.flist.FileEntry;
import dev.jrsync.flist.SafeNames;
import dev.jrsync.fs.OutFile;
import dev.jrsync.fs.Posix;
import dev.jrsync.wire.ProtocolInput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One requested file's data ({@code rsync/receiver.c:receive_data} and the per-file half of {@code recv_files}):
 * the basis the generator chose opened, a temporary {@code .NAME.XXXXXX} created beside the file (or the file
 * itself rewritten with {@code --inplace}), the sender's tokens applied into it, and the whole-file checksum's
 * verdict: finished, requested again, or given up.
 */
final class ReceiveData {
    private final RecvContext ctx;
    private final Connection conn;
    private final RecvOptions o;
    private final DestPaths paths;
    private final Backups backups;
    private final GeneratorInbox inbox;
    private final FinishTransfer finish;
    private final TransferStats stats;
    private final SessionLog log;
    private final ProtocolInput in;
    private int ioError;

    ReceiveData(RecvContext ctx, GeneratorInbox inbox, FinishTransfer finish) {
        this.ctx = ctx;
        this.conn = ctx.conn();
        this.o = ctx.o();
        this.paths = ctx.paths();
        this.backups = ctx.backups();
        this.inbox = inbox;
        this.finish = finish;
        this.stats = ctx.stats();
        this.log = conn.log();
        this.in = conn.in();
    }

    /** I/O error bits of files that could not be written or failed verification twice. */
    int ioError() {
        return ioError;
    }

    /**
     * Rebuilds one requested file from the sender's delta and, once its whole-file checksum holds, hands it to
     * {@link FinishTransfer}. Returns whether the file is to be requested again (its first try failed
     * verification); the generator has then been told.
     */
    // rsync/receiver.c:recv_files (one file) + receive_data
    boolean receive(int ndx, FileEntry e, RequestTable.Request req, SumHead head, TokenReader tokens,
                    Patcher patcher) {
        // named again, beneath the destination as before: the pinned directory the request named may have been
        // let go since (more directories were in flight than stay open), and its descriptor's number reused
        Path target = req.target();
        Path basisPath = req.basis();
        String problem = null;
        try {
            target = paths.pathOf(e);
            if (req.target().equals(basisPath)) {
                basisPath = target;
            }
        } catch (SafeNames.UnsafePathException ex) {
            problem = ex.getMessage();
        }
        FileChannel basis = null;
        OutFile outCh = null;
        Path tmp = null;
        if (problem == null) {
            try {
                if (basisPath != null && head.count() > 0 && !req.append()) {
                    basis = FileChannel.open(basisPath, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
                }
                if (o.inplace()) {
                    if (backups.enabled() && req.existed() && !req.redo()) {
                        backups.copy(target, PathBytes.text(paths.nameInDestDir(e)));
                    }
                    outCh = OutFile.update(target);
                } else {
                    Path dir = target.getParent();
                    if (o.tempDir() != null) {
                        dir = ctx.tempDir();
                    }
                    for (int attempt = 0; outCh == null; attempt++) {
                        tmp = TempNames.tempName(dir, target.getFileName());
                        try {
                            // created 0600 (rsync's mkstemp mode): no chmod before the data
                            outCh = OutFile.createNew(tmp, 0600);
                        } catch (java.nio.file.FileAlreadyExistsException ex) {
                            if (attempt > 100) {
                                throw ex;
                            }
                        }
                    }
                }
            } catch (IOException ex) {
                problem = "open \"" + e.displayName() + "\" failed: " + Posix.describe(ex);
                closeQuietly(basis);
                closeQuietly(outCh);
                basis = null;
                outCh = null;
                FinishTransfer.deleteQuietly(tmp);
                tmp = null;
            }
        }
        boolean preallocated = false;
        if (outCh != null && o.preallocate() && e.size() > 0 && !req.append()) {
            try {
                outCh.preallocate(e.size());
                preallocated = true;
            } catch (IOException ex) {
                // a warning, as rsync's: the data still goes where it would have gone
                log.error("rsync: do_fallocate \"" + e.displayName() + "\" failed: " + Posix.describe(ex));
            }
        }
        // a file whose blocks exist (rewritten in place, or preallocated) gets its zero runs as punched holes
        Sink sink = outCh == null ? null : new Sink(outCh, o.sparse(), o.inplace() || preallocated);
        Patcher.Result r;
        boolean completed = false;
        try {
            if (req.append() && sink != null) {
                // rsync/receiver.c:receive_data with append_mode: keep the prefix, write after it
                sink.pos = head.basisLength();
                if (o.appendMode() > 1) {
                    try (FileChannel kept = outChannelForRead(target)) {
                        patcher.digestPrefix(kept, head.basisLength());
                    }
                }
            }
            r = patcher.receive(tokens, head, sink == null ? null : basis, sink, in);
            if (sink != null) {
                sink.finish(o.inplace() || preallocated);
            }
            completed = true;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        } finally {
            closeQuietly(basis);
            closeQuietly(outCh);
            if (!completed && tmp != null) {
                // The session is failing mid-file: keep the partial data only when asked to.
                if (o.keepPartial() && sink != null && sink.written > 0) {
                    finish.keepPartial(e, tmp, target);
                } else {
                    FinishTransfer.deleteQuietly(tmp);
                }
            }
        }
        if (problem != null || sink.error != null) {
            FinishTransfer.deleteQuietly(tmp);
            log.error("rsync: " + (problem != null ? problem : "write failed on \"" + e.displayName() + "\": "
                    + Posix.describe(sink.error)));
            ioError |= Connection.IOERR_GENERAL;
            return false;
        }
        stats.literalData += r.literalBytes();
        stats.matchedData += r.matchedBytes();
        if (!r.verified()) {
            if (!req.redo()) {
                FinishTransfer.deleteQuietly(tmp);
                if (o.verbose() > 1) {
                    log.info("WARNING: " + e.displayName() + " failed verification -- update discarded (will try again).");
                }
                inbox.redo(ndx);
                return true;
            } else {
                log.error("ERROR: " + e.displayName() + " failed verification -- update discarded.");
                ioError |= Connection.IOERR_GENERAL;
                if (o.keepPartial() && tmp != null) {
                    finish.keepPartial(e, tmp, target);
                } else {
                    FinishTransfer.deleteQuietly(tmp);
                }
            }
            return false;
        }
        try {
            finish.finish(e, req, tmp, target);
            if (e.hardLinkGroup() >= 0) {
                inbox.linkable(ndx);
            }
            if (o.removeSourceFiles()) {
                // rsync/io.c:send_msg_success: the sender may now remove its copy
                conn.sendInt(dev.jrsync.wire.MsgCode.SUCCESS, ndx);
            }
        } catch (IOException ex) {
            FinishTransfer.deleteQuietly(tmp);
            log.error("rsync: finishing \"" + e.displayName() + "\" failed: " + Posix.describe(ex));
            ioError |= Connection.IOERR_GENERAL;
        }
        return false;
    }

    private static FileChannel outChannelForRead(Path target) throws IOException {
        return FileChannel.open(target, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    }

    private static void closeQuietly(OutFile f) {
        if (f != null) {
            f.close();
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing left to save
            }
        }
    }

    /**
     * Where rebuilt data goes: positional writes and, with {@code --sparse}, runs of zeros of 1 KiB pieces as holes
     * (skipped in a new file, punched where blocks exist), as {@code rsync/fileio.c:write_sparse} finds them within
     * each write; the first write error is remembered (the rest of the delta is still drained so the stream stays
     * in step).
     */
    private static final class Sink implements WritableByteChannel {
        /** rsync's {@code SPARSE_WRITE_SIZE}: the granule of a zero run. */
        private static final int PIECE = 1024;
        private final OutFile file;
        private final boolean sparse;
        private final boolean punch;
        private long pos;
        /** Where the data actually written ends: a file ending in a hole is extended to {@code pos}. */
        private long end;
        /** Where the run of zeros not punched yet began, or -1: runs span writes, holes need whole blocks. */
        private long holeStart = -1;
        long written;
        IOException error;

        Sink(OutFile file, boolean sparse, boolean punch) {
            this.file = file;
            this.sparse = sparse;
            this.punch = punch;
        }

        @Override
        public int write(ByteBuffer src) {
            int n = src.remaining();
            if (error == null) {
                byte[] a;
                int off;
                if (src.hasArray()) {
                    a = src.array();
                    off = src.arrayOffset() + src.position();
                } else {
                    a = new byte[n];
                    src.duplicate().get(a);
                    off = 0;
                }
                try {
                    if (sparse) {
                        writeSparse(a, off, n);
                    } else {
                        file.write(a, off, n, pos);
                        end = Math.max(end, pos + n);
                    }
                } catch (IOException ex) {
                    error = ex;
                }
            }
            src.position(src.limit());
            pos += n;
            written += n;
            return n;
        }

        private void writeSparse(byte[] a, int off, int n) throws IOException {
            int i = 0;
            while (i < n) {
                int start = i;
                boolean zero = allZero(a, off + i, Math.min(PIECE, n - i));
                while (i < n && allZero(a, off + i, Math.min(PIECE, n - i)) == zero) {
                    i += Math.min(PIECE, n - i);
                }
                if (!zero) {
                    punchPending(pos + start);
                    file.write(a, off + start, i - start, pos + start);
                    end = Math.max(end, pos + i);
                } else if (punch && holeStart < 0) {
                    holeStart = pos + start;
                }
            }
        }

        private void punchPending(long upTo) throws IOException {
            if (holeStart >= 0) {
                file.punchHole(holeStart, upTo - holeStart);
                holeStart = -1;
            }
        }

        void finish(boolean truncate) {
            if (error != null) {
                return;
            }
            try {
                punchPending(pos);
                if (truncate) {
                    file.truncate(pos);
                } else if (sparse && pos > end) {
                    file.write(new byte[1], 0, 1, pos - 1);
                }
            } catch (IOException ex) {
                error = ex;
            }
        }

        private static boolean allZero(byte[] a, int off, int len) {
            for (int i = off; i < off + len; i++) {
                if (a[i] != 0) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

}
