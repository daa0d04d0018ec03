package dev.jrsync.session;

import dev.jrsync.core.Escaped;
import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import dev.jrsync.delta.Patcher;
import dev.jrsync.delta.SumHead;
import dev.jrsync.delta.token.TokenCodecs;
import dev.jrsync.delta.token.TokenReader;
import dev.jrsync.flist.FileEntry;
import dev.jrsync.flist.FileList;
import dev.jrsync.flist.SafeNames;
import dev.jrsync.wire.NdxCodec;
import dev.jrsync.wire.ProtocolException;
import dev.jrsync.wire.ProtocolInput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * The receiver role ({@code rsync/receiver.c:recv_files}): reads the sender's replies in index order, checks
 * each against what the generator asked for in the {@link RequestTable}, has {@link ReceiveData} rebuild the
 * file, and tells the generator through its {@link GeneratorInbox} of phase ends, redo requests and (under
 * incremental recursion) finished files. Reads from the peer; never writes to it.
 */
final class Receiver {
    private final RecvContext ctx;
    private final Connection conn;
    private final SessionParams params;
    private final FileList flist;
    private final RecvOptions o;
    private final boolean readStats;
    private final ItemLog itemLog;
    private final Progress progress;
    private final TransferStats stats;
    private final ProtocolInput in;
    /** Where the last index read began: a local copy's item counts its bytes from there, as rsync's sender does. */
    private long ndxStart;
    private final int protocol;
    private final RequestTable requests;
    private final GeneratorInbox inbox;
    private final FinishTransfer finish;
    /** {@code -X}: null without it. */
    private final XattrReceiver xattrs;
    private final ReceiveData data;
    /** {@code --read-batch}: the files that failed verification here, whose resend the batch may hold. */
    private final BitSet batchRedos = new BitSet();
    /** {@code --read-batch}: a file the generator wanted had no update in the batch. */
    private boolean gotUnbatched;
    /** Under incremental recursion: reads the sub-lists as they come; null otherwise. */
    private final FileListReceiver.Incremental lists;

    /**
     * @param readStats whether the sender is a server that sends its statistics after the last phase
     *                  (a client pull), as rsync's {@code handle_stats} reads them
     */
    Receiver(RecvContext ctx, RequestTable requests, GeneratorInbox inbox, boolean readStats) {
        this.ctx = ctx;
        this.conn = ctx.conn();
        this.params = ctx.params();
        this.flist = ctx.flist();
        this.o = ctx.o();
        this.readStats = readStats;
        this.itemLog = ctx.itemLog();
        this.progress = new Progress(conn.log());
        this.stats = ctx.stats();
        this.in = conn.in();
        this.protocol = params.protocol();
        this.requests = requests;
        this.inbox = inbox;
        this.lists = ctx.lists();
        this.xattrs = o.xattrs() == null ? null
                : new XattrReceiver(o.xattrs(), !o.doXfers(), params.xattrOptim(), conn.log());
        this.finish = new FinishTransfer(ctx, xattrs);
        this.data = new ReceiveData(ctx, inbox, finish);
    }

    /** I/O error bits this side ran into (files that could not be written or failed verification). */
    int ioError() {
        return (gotUnbatched ? Connection.IOERR_GENERAL : 0) | data.ioError() | finish.ioError() | (xattrs == null ? 0 : xattrs.ioError());
    }

    // rsync/receiver.c:recv_files (and main.c:do_recv's receiver half: stats, final goodbye)
    void recvFiles() {
        int maxPhase = protocol >= 29 ? 2 : 1;
        int phase = 0;
        TokenReader tokens = TokenCodecs.reader(params.compression(), in, protocol);
        Patcher patcher = new Patcher(params.strongChecksum().newFileDigest(), in.maxAlloc());
        int digestLength = params.strongChecksum().digestLength();
        FileListChain chain = ctx.chain();
        boolean reportFinished = chain != null && !o.dryRun();
        if (reportFinished) {
            conn.setNoSendListener(this::finished);
        }
        while (true) {
            int ndx = readNdx();
            if (ndx == NdxCodec.NDX_DONE) {
                // Under inc_recurse each list ends with its own DONE; the last one ends phase 0.
                if (chain != null && chain.freeFirst() && chain.hasLists()) {
                    continue;
                }
                if (phase == 0 && o.readBatch()) {
                    requests.awaitDecision(Integer.MAX_VALUE);
                    reportUnbatched(requests.takeBelow(Integer.MAX_VALUE));
                }
                if (++phase > maxPhase) {
                    break;
                }
                if (phase == 2 && o.delayUpdates()) {
                    finish.handleDelayedUpdates();
                }
                inbox.phaseDone();
                continue;
            }
            int iflags = protocol >= 29 ? in.readUnsignedShort() : ItemFlags.TRANSFER;
            if (protocol < 30 && ndx == flist.size() && iflags == ItemFlags.IS_NEW) {
                continue; // protocol 29's keep-alive
            }
            int basisType = (iflags & ItemFlags.BASIS_TYPE_FOLLOWS) != 0 ? in.readUnsignedByte() : ItemFlags.FNAMECMP_FNAME;
            byte[] xname = (iflags & ItemFlags.XNAME_FOLLOWS) != 0 ? NdxAttrs.readXname(in, "sender") : null;
            FileEntry e;
            int position = ndx; // rsync/progress.c's count of the entry, for the end of its progress
            if (chain != null) {
                FileListChain.Link link = chain.forNdx(ndx);
                e = link.entry(ndx);
                position = link.position(ndx);
            } else {
                if (ndx >= flist.size()) {
                    throw new ProtocolException("Invalid file index: " + ndx + " (file list has " + flist.size() + " entries)");
                }
                e = flist.get(ndx);
            }
            if (e == null) {
                // rsync/receiver.c:recv_files exits RERR_PROTOCOL (code 2) on a duplicate's slot
                throw new RsyncException(ExitCode.PROTOCOL_INCOMPATIBLE, "rsync: refusing transfer of cleared file index "
                        + ndx);
            }
            if (xattrs != null) {
                xattrs.readValues(in, e, iflags);
            }
            if ((iflags & ItemFlags.TRANSFER) == 0) {
                itemLog.item(e, iflags, false, xname);
                if (xattrs != null && XattrReceiver.setsAfterEcho(iflags, o.dryRun())) {
                    setXattrsInPlace(e);
                }
                stats.countCreated(e, iflags);
                continue;
            }
            if (phase == 2) {
                throw new ProtocolException("got transfer request in phase 2 [receiver]");
            }
            if (!e.isRegular()) {
                throw new ProtocolException("received request to transfer non-regular file: " + e.displayName());
            }
            if (o.readBatch()) {
                RequestTable.Request req = batchRequest(ndx, phase);
                if (req == null || o.dryRun()) {
                    if (req == null) {
                        conn.log().info("(Skipping batched update for" + (phase == 1 ? " resend of" : "") + " \""
                                + e.displayName() + "\")");
                    } else {
                        itemLog.item(e, iflags, true);
                    }
                    discard(tokens, patcher, digestLength);
                    continue;
                }
                receiveFile(ndx, e, iflags, phase, position, req, tokens, patcher, digestLength, reportFinished);
                continue;
            }
            RequestTable.Request req = requests.take(ndx);
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
            if (o.dryRun()) {
                countTransfer(e, iflags, phase);
                itemLog.item(e, iflags, true);
                continue;
            }
            receiveFile(ndx, e, iflags, phase, position, req, tokens, patcher, digestLength, reportFinished);
        }
        if (phase == 2 && maxPhase == 1 && o.delayUpdates()) {
            finish.handleDelayedUpdates();
        }
        if (readStats) {
            readSenderStats();
        }
        inbox.phaseDone();
        if (protocol >= 31) {
            // rsync/main.c:read_final_goodbye, receiver side: the sender's echo of the generator's last DONE
            int ndx = readNdx();
            if (ndx != NdxCodec.NDX_DONE) {
                throw new ProtocolException("Invalid packet at end of run (" + ndx + ") [receiver]");
            }
            inbox.phaseDone();
        }
    }

    /** A file's delta read and dropped ({@code rsync/receiver.c:discard_receive_data}). */
    private void discard(TokenReader tokens, Patcher patcher, int digestLength) {
        try {
            patcher.receive(tokens, SumHead.read(in, protocol, digestLength), null, null, in);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private void countTransfer(FileEntry e, int iflags, int phase) {
        if (phase == 0 && (iflags & ItemFlags.IS_NEW) != 0) {
            stats.createdFiles++;
        }
        stats.transferredFiles++;
        stats.totalTransferredSize += e.size();
    }

    /** One requested file's delta, applied. */
    private void receiveFile(int ndx, FileEntry e, int iflags, int phase, int position, RequestTable.Request req,
                             TokenReader tokens, Patcher patcher, int digestLength, boolean reportFinished) {
        countTransfer(e, iflags, phase);
        // rsync/log.c:remember_initial_stats: a receiver's once the ndx and attrs are in, a sender's before them
        long startBytes = itemLog.asSender() ? ndxStart : in.bytesRead();
        SumHead head = SumHead.read(in, protocol, digestLength);
        // a batch echoes the sums its writer's generator sent, which this side's never sent
        if (!o.readBatch() && !head.equals(req.head())) {
            throw new ProtocolException("the sender echoed sum header " + head + " for \"" + e.displayName()
                    + "\", the generator sent " + req.head());
        }
        itemLog.dataStarts(e, iflags);
        // rsync/receiver.c:recv_files shows a client's progress; the numbers are end_progress's
        progress.start(e);
        boolean again = data.receive(ndx, e, req, head, tokens, patcher);
        itemLog.dataMoved(e, iflags, in.bytesRead() - startBytes, patcher.senderSum());
        if (again && o.readBatch()) {
            batchRedos.set(ndx);
        }
        progress.end(e, e.size(), position, chain() == null ? flist.size() : chain().entries(),
                chain() != null && !chain().endReached());
        if (reportFinished && !again) {
            finished(ndx); // rsync's MSG_SUCCESS or MSG_NO_SEND to the generator
        }
    }

    private FileListChain chain() {
        return ctx.chain();
    }

    /**
     * {@code --read-batch}: the generator's request for {@code ndx} once it has decided, or null when it wants no
     * update of that file; in phase 1, the request for a file that failed verification here, or null. Requests
     * the batch went past unanswered are reported, as rsync's {@code no_batched_update} does.
     */
    // rsync/receiver.c:gen_wants_ndx, we_want_redo
    private RequestTable.Request batchRequest(int ndx, int phase) {
        if (phase == 1) {
            return batchRedos.get(ndx) ? requests.awaitRequest(ndx) : null;
        }
        RequestTable.Request req = requests.awaitDecision(ndx);
        reportUnbatched(requests.takeBelow(ndx));
        return req;
    }

    private void reportUnbatched(List<RequestTable.Request> left) {
        for (RequestTable.Request r : left) {
            FileEntry e = chain() != null ? chain().forNdx(r.ndx()).entry(r.ndx()) : flist.get(r.ndx());
            conn.log().error("(No batched update for" + (r.redo() ? " resend of" : "") + " \"" + e.displayName() + "\")");
            gotUnbatched = true;
            if (chain() != null && !o.dryRun()) {
                finished(r.ndx());
            }
        }
    }

    /** An entry the generator settled: the long values just sent, and what it could not set, set now. */
    private void setXattrsInPlace(FileEntry e) {
        try {
            Path path = ctx.paths().pathOf(e);
            xattrs.set(path, e, path);
        } catch (SafeNames.UnsafePathException ex) {
            conn.log().error("rsync: " + ex.getMessage());
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
            ndxStart = in.bytesRead();
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
            inbox.newList();
        }
    }

    /**
     * Incremental recursion: a requested file is done with, written or not, so its list may end; a file the
     * sender could not open (MSG_NO_SEND) leaves its request unanswered, dropped here.
     */
    private void finished(int ndx) {
        requests.take(ndx);
        inbox.finished(ctx.chain().forNdx(ndx));
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
}
