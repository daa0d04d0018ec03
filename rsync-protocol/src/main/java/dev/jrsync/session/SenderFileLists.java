package dev.jrsync.session;

import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import dev.jrsync.flist.FileEntry;
import dev.jrsync.flist.FileList;
import dev.jrsync.flist.FileListEncoder;
import dev.jrsync.flist.FileNameOrder;
import dev.jrsync.fs.SourceScanner;
import dev.jrsync.wire.MsgCode;
import dev.jrsync.wire.NdxCodec;
import dev.jrsync.wire.ProtocolOutput;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The sending side of incremental recursion ({@code rsync/flist.c:send_extra_file_list}, the tail of
 * {@code send_file_list}, and the {@code first_flist} chain {@code sender.c:send_files} walks). After the top
 * list, each directory's contents go out as a list of their own, announced by the directory's place among all
 * directories sent so far ({@code NDX_FLIST_OFFSET - dir_ndx}), in rsync's order: a directory's own list, then
 * its subdirectories' lists depth first, then its next sibling's. Lists are sent only while the receiver has
 * fewer than {@link #MIN_FILECNT_LOOKAHEAD} files ahead of the one it works on, and each is freed at the
 * {@code NDX_DONE} the generator sends when it is finished with it, so a huge tree costs the lists in flight
 * and the directories still waiting for theirs.
 */
public final class SenderFileLists {
    /** rsync's {@code MIN_FILECNT_LOOKAHEAD}: files kept listed beyond the list being worked on. */
    static final int MIN_FILECNT_LOOKAHEAD = 1000;
    /** rsync's {@code MAX_FILECNT_LOOKAHEAD}: how far an idle sender lists ahead ({@code io.c:perform_io}). */
    static final int MAX_FILECNT_LOOKAHEAD = 10000;

    /** A directory waiting for its list, with its place in rsync's {@code dir_flist}. */
    private record Dir(FileEntry entry, int dirNdx) {}

    private final Connection conn;
    private final ProtocolOutput out;
    private final FileListEncoder encoder;
    private final SourceScanner scanner;
    private final UnaryOperator<FileEntry> onWire;
    private final Consumer<FileEntry> counter;
    private final TransferStats stats;
    private final boolean ignoreErrors;
    private final int protocol;
    private final Comparator<FileEntry> order;
    private final FileListChain chain = FileListChain.forSender();
    /**
     * rsync's dir tree walk: each level's directories still to be sent, in sorted order; the deepest level
     * on top ({@code send_dir_ndx} with {@code DIR_FIRST_CHILD}, {@code DIR_NEXT_SIBLING}, {@code DIR_PARENT}).
     */
    private final Deque<ArrayDeque<Dir>> levels = new ArrayDeque<>();
    /** Directories in all lists sent ({@code dir_flist->used}): the next one's {@code dir_ndx}. */
    private int dirCount;
    /** Files in the lists held ({@code file_total}) and in those up to the one being worked on ({@code file_old_total}). */
    private int fileTotal;
    private int fileOldTotal;
    /** The list the last index read belongs to ({@code cur_flist}). */
    private FileListChain.Link current;
    /** Entries in all lists sent so far ({@code stats.num_files}). */
    private int sentFiles;
    /** The last index of the last list sent. */
    private int lastNdx;
    private boolean eof;

    /**
     * @param onWire  what an entry becomes before it is sent and kept (a daemon's symlink unmunging)
     * @param counter counts each entry sent into the statistics
     */
    public SenderFileLists(Connection conn, FileListEncoder encoder, SourceScanner scanner, int protocol,
                           boolean ignoreErrors, UnaryOperator<FileEntry> onWire, Consumer<FileEntry> counter,
                           TransferStats stats) {
        this.conn = conn;
        this.out = conn.out();
        this.encoder = encoder;
        this.scanner = scanner;
        this.protocol = protocol;
        this.ignoreErrors = ignoreErrors;
        this.onWire = onWire;
        this.counter = counter;
        this.stats = stats;
        this.order = FileNameOrder.forProtocol(protocol);
    }

    /**
     * Takes over the top list once it is sent ({@code send_file_list} under inc_recurse): its directories
     * but "." wait for their lists; with none, {@code NDX_FLIST_EOF} follows at once, and a top list of one
     * entry is followed by one more list so the receiver can tell a one-file transfer.
     */
    public void sentTopList(List<FileEntry> sent) {
        FileList top = FileList.forSender(new ArrayList<>(sent), protocol);
        current = chain.addTop(top, 0);
        lastNdx = current.start() + top.size() - 1;
        fileTotal = fileOldTotal = top.size();
        sentFiles = top.size();
        queueDirs(top);
        if (levels.isEmpty()) {
            endOfLists();
        } else if (fileTotal == 1) {
            sendExtra(1);
        }
        out.flush();
    }

    /** Whether every list has been sent ({@code flist_eof}). */
    public boolean eof() {
        return eof;
    }

    /**
     * rsync/sender.c:send_files before it reads an index: lists enough files ahead, and while no request is
     * waiting, one list more at a time up to {@link #MAX_FILECNT_LOOKAHEAD} ({@code io.c:perform_io}).
     */
    void beforeRead(java.io.InputStream in) {
        sendExtra(MIN_FILECNT_LOOKAHEAD);
        try {
            while (!eof && fileTotal - fileOldTotal < MAX_FILECNT_LOOKAHEAD && in.available() == 0) {
                sendExtra(fileTotal - fileOldTotal + 1);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** rsync/sender.c:send_files after a request: keeps the look-ahead. */
    void afterRequest() {
        sendExtra(MIN_FILECNT_LOOKAHEAD);
    }

    /**
     * The generator's {@code NDX_DONE} for its oldest list ({@code send_files}): frees it; true when lists
     * remain, the DONE then echoed by the caller; false once all are done, the DONE then ending a phase.
     */
    boolean listDone() {
        if (!chain.hasLists()) {
            return false;
        }
        FileListChain.Link freed = chain.firstHeld();
        fileOldTotal -= freed.list().size();
        fileTotal -= freed.list().size();
        chain.freeFirst();
        if (!chain.hasLists()) {
            current = null;
            return false;
        }
        if (current == freed) {
            current = chain.arrived(freed.seq() + 1);
            fileOldTotal = current.list().size();
        }
        return true;
    }

    /**
     * The entry an index names ({@code read_ndx_and_attrs}, {@code send_files}): one of a held list's entries,
     * or the list's parent directory at the index before them. Anything else is rsync's protocol error.
     */
    FileEntry entry(int ndx) {
        FileListChain.Link link = chain.forNdx(ndx);
        if (link != current) {
            current = link;
            fileOldTotal = 0;
            for (int seq = chain.firstHeld().seq(); seq <= link.seq(); seq++) {
                fileOldTotal += chain.arrived(seq).list().size();
            }
        }
        FileEntry e = link.entry(ndx);
        if (e == null) {
            throw new RsyncException(ExitCode.PROTOCOL_INCOMPATIBLE, "Invalid file index: " + ndx + " [sender]");
        }
        return e;
    }

    /** The entry a MSG_SUCCESS names, which belongs to a list still held. */
    public FileEntry successful(int ndx) {
        return chain.forNdx(ndx).entry(ndx);
    }

    /** {@code --progress}'s count of an index among all entries ({@code set_current_file_index}). */
    int progressIndex(int ndx) {
        return chain.forNdx(ndx).position(ndx);
    }

    /** The last index of the last list sent, for rsync's message about an invalid one. */
    int lastNdx() {
        return lastNdx;
    }

    /** Entries sent so far, in all lists. */
    int sentFiles() {
        return sentFiles;
    }

    // rsync/flist.c:send_extra_file_list
    private void sendExtra(int atLeast) {
        while (!eof && fileTotal - fileOldTotal < atLeast) {
            ArrayDeque<Dir> level = levels.peek();
            Dir dir = level.poll();
            long startWrite = out.bytesWritten();
            int savedError = scanner.ioError();
            out.writeNdx(NdxCodec.NDX_FLIST_OFFSET - dir.dirNdx());
            List<FileEntry> entries = new ArrayList<>(contents(dir.entry()));
            // Directories of the same name (from several arguments) share one list, announced by the first.
            while (!level.isEmpty() && level.peek().entry().isDirectory()
                    && order.compare(level.peek().entry(), dir.entry()) == 0) {
                entries.addAll(contents(level.poll().entry()));
            }
            int ioError = scanner.ioError();
            boolean failed = ioError != savedError && !ignoreErrors;
            boolean carried = encoder.writeEnd(out, failed ? ioError : 0);
            FileList list = FileList.forSender(entries, protocol);
            lastNdx = chain.add(list, dir.entry(), 0).start() + list.size() - 1;
            fileTotal += list.size();
            sentFiles += list.size();
            stats.flistSize += out.bytesWritten() - startWrite;
            if (failed && !carried && protocol == 30) {
                conn.sendInt(MsgCode.IO_ERROR, ioError);
            }
            queueDirs(list);
            while (!levels.isEmpty() && levels.peek().isEmpty()) {
                levels.pop();
            }
            if (levels.isEmpty()) {
                endOfLists();
            }
        }
    }

    /** One directory's entries, written to the wire as they are listed. */
    private List<FileEntry> contents(FileEntry dir) {
        List<FileEntry> sent = new ArrayList<>();
        for (FileEntry e : scanner.listContents(dir)) {
            FileEntry wire = onWire.apply(e);
            encoder.writeEntry(out, wire);
            counter.accept(wire);
            sent.add(wire);
        }
        return sent;
    }

    /**
     * rsync/flist.c:add_dirs_to_tree: a sent list's directories take the next places in {@code dir_flist};
     * all but a "." (whose contents the top list held) wait for their lists, below the current level.
     */
    private void queueDirs(FileList list) {
        ArrayDeque<Dir> level = new ArrayDeque<>();
        for (int i = 0; i < list.size(); i++) {
            FileEntry e = list.get(i);
            if (!e.isDirectory()) {
                continue;
            }
            int dirNdx = dirCount++;
            if (!e.isRootDot()) {
                level.add(new Dir(e, dirNdx));
            }
        }
        if (!level.isEmpty()) {
            levels.push(level);
        }
    }

    private void endOfLists() {
        out.writeNdx(NdxCodec.NDX_FLIST_EOF);
        eof = true;
    }
}
