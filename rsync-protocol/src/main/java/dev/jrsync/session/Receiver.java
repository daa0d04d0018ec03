package dev.jrsync.session;

import dev.jrsync.core.Escaped;
import dev.jrsync.core.ExitCode;
import dev.jrsync.core.PathBytes;
import dev.jrsync.core.RsyncException;
import dev.jrsync.core.SessionLog;
import dev.jrsync.delta.Patcher;
import dev.jrsync.delta.SumHead;
import dev.jrsync.delta.token.TokenCodecs;
import dev.jrsync.delta.token.TokenReader;
import dev.jrsync.flist.FileEntry;
import dev.jrsync.flist.FileList;
import dev.jrsync.flist.SafeNames;
import dev.jrsync.fs.LocalStat;
import dev.jrsync.fs.OutFile;
import dev.jrsync.fs.Posix;
import dev.jrsync.options.Options;
import dev.jrsync.wire.AllocationRefused;
import dev.jrsync.wire.NdxCodec;
import dev.jrsync.wire.ProtocolException;
import dev.jrsync.wire.ProtocolInput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The receiver role ({@code rsync/receiver.c:recv_files}): reads the sender's replies, rebuilds each
 * requested file from the delta into a temporary {@code .NAME.XXXXXX} beside it, checks the whole-file
 * checksum and only then moves it into place with its attributes. Data is accepted only for what the
 * {@link Generator} asked for, against the basis it chose. Reads from the peer; never writes to it.
 */
public final class Receiver {
    private record Delayed(Path from, Path to) {}


    private final Connection conn;
    private final SessionParams params;
    private final FileList flist;
    private final Generator gen;
    private final Options o;
    private final boolean readStats;
    private final ItemLog itemLog;
    private final TransferStats stats;
    private final SessionLog log;
    private final ProtocolInput in;
    private final int protocol;
    private final List<Delayed> delayed = new ArrayList<>();
    /** Under incremental recursion: reads the sub-lists as they come; null otherwise. */
    private FileListReceiver.Incremental lists;
    private int ioError;

    /**
     * @param readStats whether the sender is a server that sends its statistics after the last phase
     *                  (a client pull), as rsync's {@code handle_stats} reads them
     */
    public Receiver(Connection conn, SessionParams params, FileList flist, Generator gen, boolean readStats,
                    ItemLog itemLog, TransferStats stats) {
        this.conn = conn;
        this.params = params;
        this.flist = flist;
        this.gen = gen;
        this.o = gen.options();
        this.readStats = readStats;
        this.itemLog = itemLog;
        this.stats = stats;
        this.log = conn.log();
        this.in = conn.in();
        this.protocol = params.protocol();
    }

    /**
     * Incremental recursion: the top list came through {@code lists}, whose chain the generator was given;
     * the sub-lists and the end of the lists come among the file indexes, and each list is freed at the
     * {@code NDX_DONE} that ends it. Set before the roles run.
     */
    public void receiveIncrementally(FileListReceiver.Incremental lists) {
        this.lists = lists;
    }

    /** I/O error bits this side ran into (files that could not be written or failed verification). */
    public int ioError() {
        return ioError;
    }

    // rsync/receiver.c:recv_files (and main.c:do_recv's receiver half: stats, final goodbye)
    public void recvFiles() {
        int maxPhase = protocol >= 29 ? 2 : 1;
        int phase = 0;
        TokenReader tokens = TokenCodecs.reader(params.compression(), in, protocol);
        Patcher patcher = new Patcher(params.strongChecksum().newFileDigest(), in.maxAlloc());
        int digestLength = params.strongChecksum().digestLength();
        FileListChain chain = lists == null ? null : lists.chain();
        boolean reportFinished = chain != null && !o.dryRun;
        if (reportFinished) {
            conn.setNoSendListener(gen::postFinished);
        }
        while (true) {
            int ndx = readNdx();
            if (ndx == NdxCodec.NDX_DONE) {
                // Under inc_recurse each list ends with its own DONE; the last one ends phase 0.
                if (chain != null && chain.freeFirst() && chain.hasLists()) {
                    continue;
                }
                if (++phase > maxPhase) {
                    break;
                }
                if (phase == 2 && o.delayUpdates) {
                    handleDelayedUpdates();
                }
                gen.postDone();
                continue;
            }
            int iflags = protocol >= 29 ? in.readUnsignedShort() : ItemFlags.TRANSFER;
            if (protocol < 30 && ndx == flist.size() && iflags == ItemFlags.IS_NEW) {
                continue; // protocol 29's keep-alive
            }
            int basisType = (iflags & ItemFlags.BASIS_TYPE_FOLLOWS) != 0 ? in.readUnsignedByte() : ItemFlags.FNAMECMP_FNAME;
            byte[] xname = (iflags & ItemFlags.XNAME_FOLLOWS) != 0 ? NdxAttrs.readXname(in, "sender") : null;
            FileEntry e;
            if (chain != null) {
                e = chain.forNdx(ndx).entry(ndx);
            } else {
                if (ndx >= flist.size()) {
                    throw new ProtocolException("Invalid file index: " + ndx + " (file list has " + flist.size() + " entries)");
                }
                e = flist.get(ndx);
            }
            if (e == null) {
                throw new ProtocolException("refusing transfer of cleared file index " + ndx);
            }
            if ((iflags & ItemFlags.TRANSFER) == 0) {
                itemLog.item(e, iflags, false);
                stats.countCreated(e, iflags);
                continue;
            }
            if (phase == 2) {
                throw new ProtocolException("got transfer request in phase 2 [receiver]");
            }
            if (!e.isRegular()) {
                throw new ProtocolException("received request to transfer non-regular file: " + e.displayName());
            }
            Generator.Request req = gen.takeRequest(ndx);
            // Under inc_recurse a file is sent again within phase 0, as soon as its list allows.
            if (req == null || chain == null && req.redo() != (phase == 1)) {
                throw new ProtocolException("the sender sent data for \"" + e.displayName()
                        + "\", which the generator did not request" + (phase == 1 ? " again" : ""));
            }
            if (basisType != req.basisType() || !Arrays.equals(xname, req.xname())) {
                throw new ProtocolException("the sender named basis type 0x" + Integer.toHexString(basisType)
                        + (xname != null ? " \"" + Escaped.of(xname) + "\"" : "")
                        + " for \"" + e.displayName() + "\", which the generator did not choose");
            }
            if (phase == 0 && (iflags & ItemFlags.IS_NEW) != 0) {
                stats.createdFiles++;
            }
            stats.transferredFiles++;
            stats.totalTransferredSize += e.size();
            if (o.dryRun) {
                itemLog.item(e, iflags, true);
                continue;
            }
            SumHead head = SumHead.read(in, protocol, digestLength);
            if (!head.equals(req.head())) {
                throw new ProtocolException("the sender echoed sum header " + head + " for \"" + e.displayName()
                        + "\", the generator sent " + req.head());
            }
            itemLog.item(e, iflags, true);
            boolean again = receiveFile(ndx, e, req, head, tokens, patcher);
            if (reportFinished && !again) {
                gen.postFinished(ndx); // rsync's MSG_SUCCESS or MSG_NO_SEND to the generator
            }
        }
        if (readStats) {
            readSenderStats();
        }
        gen.postDone();
        if (protocol >= 31) {
            // rsync/main.c:read_final_goodbye, receiver side: the sender's echo of the generator's last DONE
            int ndx = readNdx();
            if (ndx != NdxCodec.NDX_DONE) {
                throw new ProtocolException("Invalid packet at end of run (" + ndx + ") [receiver]");
            }
            gen.postDone();
        }
    }

    /**
     * rsync/rsync.c:read_ndx_and_attrs: without incremental recursion no negative index but DONE is valid
     * (an inc_recurse sub-list marker from a crafted stream lands here), and rsync exits RERR_PROTOCOL.
     */
    private RsyncException invalidIndex(int ndx) {
        return new RsyncException(ExitCode.PROTOCOL_INCOMPATIBLE, "Invalid file index: " + ndx + " ("
                + NdxCodec.NDX_DONE + " - " + (flist.size() - 1) + ") [receiver]");
    }

    private int readNdx() {
        while (true) {
            int ndx = in.readNdx();
            if (ndx == NdxCodec.NDX_DEL_STATS) {
                DeleteStats.read(in, stats);
                continue;
            }
            if (ndx >= 0 || ndx == NdxCodec.NDX_DONE) {
                return ndx;
            }
            if (lists == null) {
                throw invalidIndex(ndx);
            }
            // rsync/rsync.c:read_ndx_and_attrs under inc_recurse: the end of the lists, or a directory's sub-list
            if (ndx == NdxCodec.NDX_FLIST_EOF) {
                lists.chain().endOfLists();
            } else {
                lists.readDirList(ndx);
            }
            gen.postNewList();
        }
    }

    // rsync/main.c:handle_stats, client receiver
    private void readSenderStats() {
        stats.totalWritten = in.readVarlong30(3);
        stats.totalRead = in.readVarlong30(3);
        stats.totalSize = in.readVarlong30(3);
        if (protocol >= 29) {
            stats.flistBuildMillis = in.readVarlong30(3);
            stats.flistXferMillis = in.readVarlong30(3);
        }
    }

    // rsync/receiver.c:recv_files (one file) + receive_data + finish_transfer
    /** Returns whether the file is to be requested again (its first try failed verification). */
    private boolean receiveFile(int ndx, FileEntry e, Generator.Request req, SumHead head, TokenReader tokens,
                                Patcher patcher) {
        Path target = req.target();
        String problem = null;
        try {
            Path again = gen.pathOf(e);
            if (!again.equals(target)) {
                problem = "destination of \"" + e.displayName() + "\" changed during the transfer";
            }
        } catch (SafeNames.UnsafePathException ex) {
            problem = ex.getMessage();
        }
        FileChannel basis = null;
        OutFile outCh = null;
        Path tmp = null;
        if (problem == null) {
            try {
                if (req.basis() != null && head.count() > 0 && !req.append()) {
                    basis = FileChannel.open(req.basis(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
                }
                if (o.inplaceMode()) {
                    if (o.makeBackups() && req.existed() && !req.redo()) {
                        gen.backups().copy(target, relName(e, target));
                    }
                    outCh = OutFile.update(target);
                } else {
                    Path dir = target.getParent();
                    if (o.tempDir != null) {
                        dir = gen.tempDir();
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
                deleteQuietly(tmp);
                tmp = null;
            }
        }
        Sink sink = outCh == null ? null : new Sink(outCh, o.sparse && !o.inplaceMode());
        Patcher.Result r;
        boolean completed = false;
        try {
            if (req.append() && sink != null) {
                // rsync/receiver.c:receive_data with append_mode: keep the prefix, write after it
                sink.pos = head.basisLength();
                if (o.appendMode > 1) {
                    try (FileChannel kept = outChannelForRead(target)) {
                        patcher.digestPrefix(kept, head.basisLength());
                    }
                }
            }
            r = patcher.receive(tokens, head, sink == null ? null : basis, sink, in);
            if (sink != null) {
                sink.finish(o.inplaceMode());
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
                    keepPartial(tmp, target);
                } else {
                    deleteQuietly(tmp);
                }
            }
        }
        if (problem != null || sink.error != null) {
            deleteQuietly(tmp);
            log.error("rsync: " + (problem != null ? problem : "write failed on \"" + e.displayName() + "\": "
                    + Posix.describe(sink.error)));
            ioError |= Connection.IOERR_GENERAL;
            return false;
        }
        stats.literalData += r.literalBytes();
        stats.matchedData += r.matchedBytes();
        if (!r.verified()) {
            if (!req.redo()) {
                deleteQuietly(tmp);
                if (o.verbose > 1) {
                    log.info("WARNING: " + e.displayName() + " failed verification -- update discarded (will try again).");
                }
                gen.postRedo(ndx);
                return true;
            } else {
                log.error("ERROR: " + e.displayName() + " failed verification -- update discarded.");
                ioError |= Connection.IOERR_GENERAL;
                if (o.keepPartial() && tmp != null) {
                    keepPartial(tmp, target);
                } else {
                    deleteQuietly(tmp);
                }
            }
            return false;
        }
        try {
            finishTransfer(e, req, tmp, target);
            if (o.removeSourceFiles) {
                // rsync/io.c:send_msg_success: the sender may now remove its copy
                conn.sendInt(dev.jrsync.wire.MsgCode.SUCCESS, ndx);
            }
        } catch (IOException ex) {
            deleteQuietly(tmp);
            log.error("rsync: finishing \"" + e.displayName() + "\" failed: " + Posix.describe(ex));
            ioError |= Connection.IOERR_GENERAL;
        }
        return false;
    }

    // rsync/receiver.c:finish_transfer (+ rsync.c:set_file_attrs on the temp file)
    private void finishTransfer(FileEntry e, Generator.Request req, Path tmp, Path target) throws IOException {
        LocalStat replaced = gen.destStat(target);
        if (tmp == null) { // --inplace
            gen.attrs().setFileAttrs(target, e, replaced, replaced);
        } else {
            gen.attrs().setFileAttrs(tmp, e, null, replaced);
            if (o.delayUpdates) {
                Path staged = TempNames.partialPath(target, o.effectivePartialDir());
                Files.createDirectories(staged.getParent());
                move(tmp, staged);
                delayed.add(new Delayed(staged, target));
            } else {
                if (o.makeBackups() && replaced != null && replaced.isRegular()) {
                    backupBeforeReplacing(target, relName(e, target));
                }
                move(tmp, target);
            }
        }
        if (req.basisType() == ItemFlags.FNAMECMP_PARTIAL_DIR && req.basis() != null) {
            deleteQuietly(req.basis());
            try {
                Files.deleteIfExists(req.basis().getParent());
            } catch (IOException ignored) {
                // other partial files remain
            }
        }
    }

    /** A backup that cannot be made stops the transfer, as rsync's {@code finish_transfer} does: nothing is replaced unsaved. */
    private void backupBeforeReplacing(Path target, String rel) {
        try {
            gen.backups().move(target, rel);
        } catch (IOException ex) {
            throw new RsyncException(ExitCode.FILE_IO, "rsync: keep_backup failed: \"" + target + "\" -> \""
                    + (o.backupDir != null ? o.backupDir + "/" : "") + rel + o.backupSuffix() + "\": "
                    + Posix.describe(ex), ex);
        }
    }

    // rsync/receiver.c:handle_delayed_updates
    private void handleDelayedUpdates() {
        Set<Path> dirs = new LinkedHashSet<>();
        for (Delayed d : delayed) {
            try {
                if (o.makeBackups() && Files.exists(d.to(), LinkOption.NOFOLLOW_LINKS)) {
                    gen.backups().move(d.to(), PathBytes.text(gen.destination().root().relativize(d.to())));
                }
                move(d.from(), d.to());
                dirs.add(d.from().getParent());
            } catch (IOException ex) {
                log.error("rsync: rename \"" + d.from() + "\" -> \"" + d.to() + "\": " + Posix.describe(ex));
                ioError |= Connection.IOERR_GENERAL;
            }
        }
        for (Path dir : dirs) {
            try {
                Files.deleteIfExists(dir);
            } catch (IOException ignored) {
                // not empty: something else lives there
            }
        }
        delayed.clear();
    }

    /** With {@code --partial}: the data received so far becomes the partial file (or the file itself). */
    private void keepPartial(Path tmp, Path target) {
        try {
            String partialDir = o.effectivePartialDir();
            if (partialDir != null) {
                Path p = TempNames.partialPath(target, partialDir);
                Files.createDirectories(p.getParent());
                move(tmp, p);
            } else {
                move(tmp, target);
            }
        } catch (IOException ex) {
            deleteQuietly(tmp);
        }
    }

    private String relName(FileEntry e, Path target) {
        return PathBytes.text(gen.destination().soloFile() ? PathBytes.of(target.getFileName()) : e.name());
    }

    private static FileChannel outChannelForRead(Path target) throws IOException {
        return FileChannel.open(target, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Posix.rename(from, to);
        } catch (AtomicMoveNotSupportedException ex) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        }
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

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    /**
     * Where rebuilt data goes: positional writes, holes for all-zero runs with {@code --sparse}, and the
     * first write error remembered (the rest of the delta is still drained so the stream stays in step).
     */
    private static final class Sink implements WritableByteChannel {
        private final OutFile file;
        private final boolean sparse;
        private long pos;
        /** Where the data actually written ends: a file ending in a hole is extended to {@code pos}. */
        private long end;
        long written;
        IOException error;

        Sink(OutFile file, boolean sparse) {
            this.file = file;
            this.sparse = sparse;
        }

        @Override
        public int write(ByteBuffer src) {
            int n = src.remaining();
            if (error == null && !(sparse && allZero(src))) {
                try {
                    if (src.hasArray()) {
                        file.write(src.array(), src.arrayOffset() + src.position(), n, pos);
                    } else {
                        byte[] copy = new byte[n];
                        src.duplicate().get(copy);
                        file.write(copy, 0, n, pos);
                    }
                    end = Math.max(end, pos + n);
                } catch (IOException ex) {
                    error = ex;
                }
            }
            src.position(src.limit());
            pos += n;
            written += n;
            return n;
        }

        void finish(boolean truncate) {
            if (error != null) {
                return;
            }
            try {
                if (truncate) {
                    file.truncate(pos);
                } else if (sparse && pos > end) {
                    file.write(new byte[1], 0, 1, pos - 1);
                }
            } catch (IOException ex) {
                error = ex;
            }
        }

        private static boolean allZero(ByteBuffer b) {
            for (int i = b.position(); i < b.limit(); i++) {
                if (b.get(i) != 0) {
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

    // ---- running the pair ----

    /**
     * Runs {@code gen} and {@code recv} as rsync's generator and receiver processes, on two virtual
     * threads: the generator writes to the peer, the receiver reads from it. When either fails,
     * {@code abort} is run (it must unblock the other, e.g. by closing the connection) and the first
     * failure is thrown, a malformed or hostile stream as exit code 12.
     */
    // rsync/main.c:do_recv (the fork into generator and receiver)
    public static void runPair(Generator gen, Receiver recv, Runnable abort) {
        runPair(gen, recv, abort, Thread.ofVirtual());
    }

    /**
     * As {@link #runPair(Generator, Receiver, Runnable)}, the two roles started by {@code threads}: a daemon
     * session running under a module's identity passes platform threads, which inherit the identity and root
     * directory of the thread that starts them (virtual threads run on root's carrier threads).
     */
    public static void runPair(Generator gen, Receiver recv, Runnable abort, Thread.Builder threads) {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread receiver = threads.name("jrsync-receiver").unstarted(() -> {
            try {
                recv.recvFiles();
            } catch (Throwable t) {
                if (failure.compareAndSet(null, t)) {
                    abort.run();
                }
            }
        });
        gen.setReceiverThread(receiver);
        recv.conn.postFrom(receiver);
        Thread generator = threads.name("jrsync-generator").unstarted(() -> {
            try {
                gen.generateFiles();
                gen.finalGoodbye();
            } catch (Throwable t) {
                if (failure.compareAndSet(null, t)) {
                    abort.run();
                }
            }
        });
        receiver.start();
        generator.start();
        try {
            receiver.join();
            if (failure.get() != null) {
                generator.interrupt();
            }
            generator.join();
        } catch (InterruptedException ex) {
            abort.run();
            generator.interrupt();
            receiver.interrupt();
            // Cancelled (Ctrl-C, a library user's cancel): the receiver removes the file it was writing before
            // the caller hears that the transfer ended, as rsync's exit cleanup does.
            awaitQuietly(receiver);
            awaitQuietly(generator);
            Thread.currentThread().interrupt();
            throw new RsyncException(ExitCode.SIGNAL, "interrupted");
        } finally {
            if (!receiver.isAlive() && !generator.isAlive()) {
                gen.releaseDirs();
            }
        }
        Throwable t = failure.get();
        if (t != null) {
            throw asRsyncException(t);
        }
    }

    /** Maps a role's failure to the exit code rsync would end with. */
    /** Waits up to {@link #CANCEL_WAIT_MILLIS} for a role that was told to stop; the caller is interrupted. */
    private static void awaitQuietly(Thread role) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(CANCEL_WAIT_MILLIS);
        while (role.isAlive() && System.nanoTime() < deadline) {
            try {
                role.join(CANCEL_WAIT_MILLIS);
            } catch (InterruptedException again) {
                // a second cancel: keep waiting, within the same bound
            }
        }
    }

    private static final long CANCEL_WAIT_MILLIS = 10_000;

    public static RsyncException asRsyncException(Throwable t) {
        if (t instanceof RsyncException re) {
            return re;
        }
        if (t instanceof AllocationRefused ar) {
            return new RsyncException(ExitCode.MALLOC, ar.getMessage(), ar);
        }
        if (t instanceof ProtocolException pe) {
            return new RsyncException(ExitCode.STREAM_IO, "rsync: " + pe.getMessage()
                    + " (error in rsync protocol data stream)", pe);
        }
        if (t instanceof UncheckedIOException ue) {
            if (ue.getCause() instanceof java.net.SocketTimeoutException) {
                return new RsyncException(ExitCode.TIMEOUT, "rsync: " + ue.getCause().getMessage(), ue);
            }
            return new RsyncException(ExitCode.STREAM_IO, "rsync: connection unexpectedly closed: "
                    + ue.getCause().getMessage(), ue);
        }
        return new RsyncException(ExitCode.IPC, "rsync: internal error: " + t, t);
    }
}
