package dev.jrsync.session;

import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import dev.jrsync.delta.BlockSums;
import dev.jrsync.delta.Matcher;
import dev.jrsync.delta.token.CompressionType;
import dev.jrsync.delta.token.TokenCodecs;
import dev.jrsync.delta.token.TokenWriter;
import dev.jrsync.flist.FileEntry;
import dev.jrsync.flist.FileList;
import dev.jrsync.fs.Posix;
import dev.jrsync.options.Options;
import dev.jrsync.wire.MsgCode;
import dev.jrsync.wire.NdxCodec;
import dev.jrsync.wire.ProtocolException;
import dev.jrsync.wire.ProtocolInput;
import dev.jrsync.wire.ProtocolOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.function.Function;

/**
 * The sender role ({@code rsync/sender.c:send_files}): answers each request of the peer's generator
 * with the file's delta against the block sums it sent, phase by phase, then the goodbye. Under incremental
 * recursion it also sends the sub-lists as the generator needs them and frees each list it is done with
 * ({@link SenderFileLists}).
 */
public final class Sender {
    /** Opens the local file behind a file-list entry. */
    @FunctionalInterface
    public interface FileSource {
        SeekableByteChannel open(FileEntry entry) throws IOException;
    }

    private final Connection conn;
    private final SessionParams params;
    /** The whole file list; null under incremental recursion. */
    private final FileList flist;
    /** The lists under incremental recursion; null without it. */
    private final SenderFileLists lists;
    private final FileSource source;
    private final boolean dryRun;
    private final boolean amServer;
    private final ItemLog itemLog;
    private final TransferStats stats;
    private final ProtocolInput in;
    private final ProtocolOutput out;
    private int ioError;
    private Progress progress = new Progress(null);
    /** rsync's {@code append_mode}: 0 none, 1 {@code --append}, 2 {@code --append-verify}. */
    private int appendMode;
    /** The files sent under {@link #appendMode} so far: asked for again, they are redone in full. */
    private final BitSet appendSent = new BitSet();
    /** {@code -X}: null without it. */
    private XattrSender xattrs;
    private boolean reportMatches;
    private long matches;
    private long hashHits;
    private long falseAlarms;
    /** {@code --only-write-batch}: where the file data goes instead of the peer; null otherwise. */
    private ProtocolOutput batchOnly;
    private TokenWriter batchTokens;

    /**
     * jrsync's sender compresses every file alike ({@code rsync/token.c}'s per-suffix skip list is not done): asked to
     * skip some by suffix while it compresses, it refuses rather than compress them anyway.
     */
    public static void refuseSkipCompress(Options options, SessionParams params) {
        if (options.skipCompress() != null && params.compression() != CompressionType.NONE) {
            throw new RsyncException(ExitCode.UNSUPPORTED, "jrsync: --skip-compress is not supported by jrsync's"
                    + " compressing sender");
        }
    }

    public Sender(Connection conn, SessionParams params, FileList flist, FileSource source, boolean dryRun,
                  boolean amServer, ItemLog itemLog, TransferStats stats) {
        this(conn, params, flist, null, source, dryRun, amServer, itemLog, stats);
    }

    /** A sender under incremental recursion, its top list already sent. */
    public Sender(Connection conn, SessionParams params, SenderFileLists lists, FileSource source, boolean dryRun,
                  boolean amServer, ItemLog itemLog, TransferStats stats) {
        this(conn, params, null, lists, source, dryRun, amServer, itemLog, stats);
    }

    private Sender(Connection conn, SessionParams params, FileList flist, SenderFileLists lists, FileSource source,
                   boolean dryRun, boolean amServer, ItemLog itemLog, TransferStats stats) {
        this.conn = conn;
        this.params = params;
        this.flist = flist;
        this.lists = lists;
        this.source = source;
        this.dryRun = dryRun;
        this.amServer = amServer;
        this.itemLog = itemLog;
        this.stats = stats;
        this.in = conn.in();
        this.out = conn.out();
    }

    /**
     * {@code --append} or {@code --append-verify} ({@code rsync/sender.c:receive_sums} with {@code append_mode}):
     * the generator sends a file's sum head without sums, for the receiver keeps what it has and takes the rest;
     * a file asked for again in the redo phase is sent whole, as usual.
     */
    public void append(int mode) {
        this.appendMode = mode;
    }

    /**
     * {@code -X}: the long attribute values the generator asks for are read again from the file {@code pathOf}
     * gives for an entry.
     */
    public void sendXattrs(Function<FileEntry, Path> pathOf) {
        this.xattrs = new XattrSender(pathOf, dryRun, params.xattrOptim(), conn.log());
    }

    /**
     * {@code --debug=DELTASUM} (from {@code -vv} on): the search's totals are told at the end
     * ({@code rsync/match.c:match_report}).
     */
    public void reportMatches(boolean report) {
        this.reportMatches = report;
    }

    /**
     * {@code --only-write-batch} ({@code rsync/sender.c:send_files} with {@code write_batch < 0}): the peer, a dry
     * run that still asks with block sums, gets each file's index and attributes; the delta goes to {@code batch}
     * alone, right after them in the recorded stream.
     */
    public void batchOnly(ProtocolOutput batch) {
        this.batchOnly = batch;
    }

    /** Reports each file's progress ({@code --progress} prints it). */
    public void reportProgress(Progress progress) {
        this.progress = progress;
    }

    /** I/O error bits this side ran into (files that vanished or could not be read). */
    public int ioError() {
        return ioError;
    }

    // rsync/sender.c:write_ndx_and_attrs
    private void writeNdxAndAttrs(FileEntry entry, int ndx, int iflags, int basisType, byte[] xname) {
        NdxAttrs.write(out, params.protocol(), ndx, iflags, basisType, xname);
        if (xattrs != null) {
            xattrs.writeValues(out, entry, iflags);
        }
    }

    // rsync/sender.c:send_files
    public void sendFiles() {
        // one token stream for the session; zstd's workers end with it, not at some later garbage collection
        try (TokenWriter tokens = TokenCodecs.writer(params.compression(), params.compressLevel(),
                params.compressThreads(), out, params.protocol())) {
            sendFiles(tokens);
        }
    }

    private void sendFiles(TokenWriter tokens) {
        int protocol = params.protocol();
        int phase = 0;
        int maxPhase = protocol >= 29 ? 2 : 1;
        Matcher matcher = new Matcher(params.strongChecksum(), in.maxAlloc());
        int digestLength = params.strongChecksum().digestLength();
        while (true) {
            if (lists != null) {
                lists.beforeRead(in.stream());
            }
            flushUnlessRequestsWait();
            int ndx = readNdx();
            if (ndx == NdxCodec.NDX_DONE) {
                if (lists != null && lists.listDone()) {
                    out.writeNdx(NdxCodec.NDX_DONE);
                    continue;
                }
                if (++phase > maxPhase) {
                    break;
                }
                out.writeNdx(NdxCodec.NDX_DONE);
                continue;
            }
            int iflags = protocol >= 29 ? in.readUnsignedShort() : ItemFlags.TRANSFER;
            if (lists == null && protocol < 30 && ndx == flist.size() && iflags == ItemFlags.IS_NEW) {
                continue; // protocol 29's keep-alive (rsync.c:read_ndx_and_attrs)
            }
            FileEntry entry;
            if (lists != null) {
                entry = lists.entry(ndx);
            } else if (ndx < 0 || ndx >= flist.size() || !flist.isActive(ndx)) {
                throw new ProtocolException("Invalid file index: " + ndx + " (file list has " + flist.size() + " entries)");
            } else {
                entry = flist.get(ndx);
            }
            int basisType = (iflags & ItemFlags.BASIS_TYPE_FOLLOWS) != 0 ? in.readUnsignedByte() : ItemFlags.FNAMECMP_FNAME;
            byte[] xname = (iflags & ItemFlags.XNAME_FOLLOWS) != 0 ? NdxAttrs.readXname(in, "generator") : null;
            if (xattrs != null) {
                xattrs.readRequest(in, entry, iflags);
            }
            if (lists != null) {
                lists.afterRequest();
            }

            if ((iflags & ItemFlags.TRANSFER) == 0) {
                itemLog.item(entry, iflags, false, xname);
                writeNdxAndAttrs(entry, ndx, iflags, basisType, xname);
                stats.countCreated(entry, iflags);
                continue;
            }
            if (phase == 2) {
                throw new ProtocolException("got transfer request in phase 2 [sender]");
            }
            if (!entry.isRegular()) {
                throw new ProtocolException("received request to transfer non-regular file: " + entry.displayName());
            }
            if ((iflags & ItemFlags.IS_NEW) != 0) {
                stats.createdFiles++;
            }
            stats.transferredFiles++;
            stats.totalTransferredSize += entry.size();
            if (dryRun) {
                itemLog.item(entry, iflags, true);
                writeNdxAndAttrs(entry, ndx, iflags, basisType, xname);
                continue;
            }
            // rsync/sender.c:receive_sums; the sums' charge on --max-alloc ends with this file
            // a redo (under incremental recursion it comes in phase 0 too) is sent whole: rsync's FLAG_FILE_SENT
            boolean appending = appendMode > 0 && phase == 0 && !appendSent.get(ndx);
            if (appending) {
                appendSent.set(ndx);
            }
            try (BlockSums sums = appending ? BlockSums.headOnly(in, protocol, digestLength)
                    : BlockSums.read(in, protocol, digestLength)) {
                SeekableByteChannel ch;
                try {
                    ch = source.open(entry);
                } catch (NoSuchFileException e) {
                    ioError |= Connection.IOERR_VANISHED;
                    conn.log().error("file has vanished: \"" + entry.displayName() + "\"");
                    noSend(ndx);
                    continue;
                } catch (IOException e) {
                    ioError |= Connection.IOERR_GENERAL;
                    conn.log().error("send_files failed to open \"" + entry.displayName() + "\": " + Posix.describe(e));
                    noSend(ndx);
                    continue;
                }
                try (ch) {
                    long startBytes = out.bytesWritten(); // rsync/log.c:remember_initial_stats
                    writeNdxAndAttrs(entry, ndx, iflags, basisType, xname);
                    // rsync's f_xfer: with --only-write-batch the delta goes to the batch alone
                    ProtocolOutput xfer = batchOnly != null ? batchOnly : out;
                    if (batchOnly != null && batchTokens == null) {
                        batchTokens = TokenCodecs.writer(params.compression(), params.compressLevel(), 0, batchOnly,
                                protocol);
                    }
                    TokenWriter xferTokens = batchOnly != null ? batchTokens : tokens;
                    sums.head().write(xfer, protocol);
                    itemLog.dataStarts(entry, iflags);
                    progress.start(entry);
                    Matcher.Result r = appending
                            ? matcher.appendFile(ch, ch.size(), sums.head().basisLength(), appendMode == 2, xferTokens, xfer)
                            : matcher.sendFile(ch, ch.size(), sums, xferTokens, xfer);
                    if (lists != null) {
                        progress.end(entry, r.literalBytes() + r.matchedBytes(), lists.progressIndex(ndx),
                                lists.sentFiles(), !lists.eof());
                    } else {
                        progress.end(entry, r.literalBytes() + r.matchedBytes(), ndx, flist.size(), false);
                    }
                    itemLog.dataMoved(entry, iflags, out.bytesWritten() - startBytes, r.fileSum());
                    stats.literalData += r.literalBytes();
                    stats.matchedData += r.matchedBytes();
                    matches += r.matchedBlocks();
                    hashHits += r.hashHits();
                    falseAlarms += r.falseAlarms();
                    if (r.failed()) {
                        ioError |= Connection.IOERR_GENERAL;
                        conn.log().error("read errors mapping \"" + entry.displayName() + "\": "
                                + (r.readError() != null ? Posix.describe(r.readError()) : "file shrank while being sent"));
                    }
                } catch (IOException e) {
                    ioError |= Connection.IOERR_GENERAL;
                    conn.log().error("read error on \"" + entry.displayName() + "\": " + Posix.describe(e));
                }
            }
        }
        if (reportMatches) {
            conn.log().info("total: matches=" + matches + "  hash_hits=" + hashHits + "  false_alarms=" + falseAlarms
                    + " data=" + stats.literalData);
        }
        if (ioError != 0 && protocol >= 30) {
            conn.sendInt(MsgCode.IO_ERROR, ioError);
        }
        out.writeNdx(NdxCodec.NDX_DONE);
        out.flush();
    }

    /**
     * Sends what is gathered only when the next request is not already here ({@code rsync/io.c:perform_io}
     * writes while it waits for input). A flush per file cost 100,000 socket writes, wake-ups of the event
     * loop and waits for each to finish on a push of 100,000 small files, where rsync made 4,338 writes.
     */
    private void flushUnlessRequestsWait() {
        try {
            if (in.stream().available() == 0) {
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sender's last exchange ({@code rsync/main.c:read_final_goodbye}). */
    public void readFinalGoodbye() {
        int protocol = params.protocol();
        out.flush();
        int ndx = protocol < 29 ? in.readInt() : readNdx();
        if (protocol >= 31 && ndx == NdxCodec.NDX_DONE) {
            out.writeNdx(NdxCodec.NDX_DONE);
            out.flush();
            ndx = readNdx();
        }
        if (ndx != NdxCodec.NDX_DONE) {
            throw new ProtocolException("Invalid packet at end of run (" + ndx + ") [sender]");
        }
    }

    /**
     * rsync/rsync.c:read_ndx_and_attrs: without incremental recursion no negative index but DONE is valid
     * (an inc_recurse sub-list marker from a crafted stream lands here), and rsync exits RERR_PROTOCOL.
     */
    private RsyncException invalidIndex(int ndx) {
        return new RsyncException(ExitCode.PROTOCOL_INCOMPATIBLE, "Invalid file index: " + ndx + " ("
                + NdxCodec.NDX_DONE + " - " + (lists != null ? lists.lastNdx() : flist.size() - 1) + ") [sender]");
    }

    /** Reads an index, consuming delete statistics on the way ({@code rsync.c:read_ndx_and_attrs}). */
    private int readNdx() {
        while (true) {
            int ndx = in.readNdx();
            if (ndx != NdxCodec.NDX_DEL_STATS) {
                if (ndx < 0 && ndx != NdxCodec.NDX_DONE) {
                    throw invalidIndex(ndx);
                }
                return ndx;
            }
            DeleteStats.read(in, stats);
            if (amServer) {
                DeleteStats.write(out, stats);
            }
        }
    }

    private void noSend(int ndx) {
        if (params.protocol() >= 30) {
            conn.sendInt(MsgCode.NO_SEND, ndx);
        }
    }
}
