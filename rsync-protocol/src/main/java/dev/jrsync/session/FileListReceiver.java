package dev.jrsync.session;

import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import dev.jrsync.flist.FileEntry;
import dev.jrsync.flist.FileList;
import dev.jrsync.flist.FileListDecoder;
import dev.jrsync.flist.FileListOptions;
import dev.jrsync.flist.IdLists;
import dev.jrsync.flist.IdNames;
import dev.jrsync.flist.OwnerMaps;
import dev.jrsync.wire.ProtocolInput;
import java.util.List;
import java.util.function.UnaryOperator;

/** The receiving side's file list, for a pulling client and a daemon taking a push alike. */
public final class FileListReceiver {
    private FileListReceiver() {}

    /**
     * Reads the list, its id lists and I/O error bits (the trailer int before protocol 30), counts its
     * size in {@code stats} and maps owners to local ids by name unless ids are numeric
     * ({@code rsync/flist.c:recv_file_list}, {@code rsync/uidlist.c:recv_id_list}).
     */
    public static List<FileEntry> recvFileList(Connection conn, FileListOptions flo, TransferStats stats) {
        return recvFileList(conn, flo, stats, IdNames.system(), OwnerMaps.NONE);
    }

    /**
     * As {@link #recvFileList(Connection, FileListOptions, TransferStats)}, names mapped through {@code local}:
     * a daemon module with {@code numeric ids} passes {@link IdNames#none()}, so the client's names are read
     * (the protocol is the client's) and ignored, as rsync's {@code numeric_ids = -1}. The rules of {@code maps}
     * ({@code --usermap}, {@code --groupmap}) come first, with numeric ids too.
     */
    public static List<FileEntry> recvFileList(Connection conn, FileListOptions flo, TransferStats stats,
                                               IdNames local, OwnerMaps maps) {
        ProtocolInput in = conn.in();
        long start = in.bytesRead();
        FileListDecoder decoder = new FileListDecoder(flo);
        List<FileEntry> entries = decoder.readList(in);
        if (!flo.numericIds()) {
            decoder.lookUpInlineNames(local);
        }
        IdLists ids = decoder.readIdLists(in);
        int ioError = decoder.ioError();
        if (flo.protocol() < 30) {
            ioError |= decoder.readIoErrorTrailer(in);
        }
        stats.flistSize = in.bytesRead() - start;
        conn.addPeerIoError(ioError);
        mapOwners(ids, entries, flo, local, maps);
        return entries;
    }

    // rsync/uidlist.c:recv_id_list: uids and gids are mapped unless numeric, or when a map asks for it
    private static void mapOwners(IdLists ids, List<FileEntry> entries, FileListOptions flo, IdNames local,
                                  OwnerMaps maps) {
        boolean uids = flo.preserveUid() && (!flo.numericIds() || !maps.users().isEmpty());
        boolean gids = flo.preserveGid() && (!flo.numericIds() || !maps.groups().isEmpty());
        if (uids || gids) {
            ids.mapOwners(entries, local, uids, gids, maps, !flo.numericIds());
        }
        if (flo.acls() && (!flo.numericIds() || !maps.users().isEmpty() || !maps.groups().isEmpty())) {
            ids.mapAclIds(entries, local, maps, !flo.numericIds());
        }
    }

    /**
     * The lists of one session under incremental recursion ({@code rsync/flist.c:recv_file_list} with and
     * without a {@code dir_ndx}): one decoder reads them all, as the name compression and the owner names sent
     * inline carry over from list to list. Each list is sorted and cleaned as it arrives, checked by
     * {@code check} (a pulling client's sender-trust rules), and appended to the chain.
     */
    public static final class Incremental {
        private final Connection conn;
        private final FileListOptions flo;
        private final TransferStats stats;
        private final IdNames local;
        private final OwnerMaps maps;
        private final UnaryOperator<List<FileEntry>> check;
        private final FileListDecoder decoder;
        private final FileListChain chain;
        private Screen screen = (dir, list) -> true;

        public Incremental(Connection conn, FileListOptions flo, TransferStats stats, IdNames local, OwnerMaps maps,
                           UnaryOperator<List<FileEntry>> check) {
            if (!flo.incRecurse()) {
                throw new IllegalArgumentException("not an incremental session");
            }
            this.conn = conn;
            this.flo = flo;
            this.stats = stats;
            this.local = local;
            this.maps = maps;
            this.check = check;
            this.decoder = new FileListDecoder(flo);
            this.chain = new FileListChain(conn.in().maxAlloc());
        }

        public FileListChain chain() {
            return chain;
        }

        /** What a daemon takes out of each list before the roles see it: the names its module refuses. */
        @FunctionalInterface
        public interface Screen {
            /**
             * Removes the refused entries of {@code list}, the sub-list of {@code dir} (null for the top list);
             * false when {@code dir} itself is refused, so its list has no directory to generate.
             */
            boolean screen(FileEntry dir, FileList list);
        }

        /** Sets the {@link Screen}; before the top list is read. */
        public void setScreen(Screen screen) {
            this.screen = screen;
        }

        /** Reads the top list: the transfer's arguments, and a "."'s contents. */
        public FileListChain.Link readTop() {
            FileList list = read(null);
            screen.screen(null, list);
            return chain.addTop(list, decoder.listBytes());
        }

        /**
         * Reads the sub-list a sender announced with {@code ndx} ({@code NDX_FLIST_OFFSET - dir_ndx}); the
         * directory must be one listed and not announced before ({@link dev.jrsync.flist.DirList#claim}).
         */
        public FileListChain.Link readDirList(int ndx) {
            if (chain.endReached()) {
                throw new RsyncException(ExitCode.PROTOCOL_INCOMPATIBLE,
                        "rsync: refusing sub-flist after the end of the file lists");
            }
            if (!chain.hasLists()) {
                // every list was freed by the sender's DONEs: no directory is left to hold a sub-list
                throw new RsyncException(ExitCode.PROTOCOL_INCOMPATIBLE,
                        "rsync: refusing sub-flist after final flist was freed");
            }
            FileEntry dir = chain.dirs().claim(ndx);
            FileList list = read(dir.name());
            return chain.add(list, screen.screen(dir, list) ? dir : null, decoder.listBytes());
        }

        private FileList read(byte[] dirName) {
            ProtocolInput in = conn.in();
            long start = in.bytesRead();
            List<FileEntry> entries = check.apply(dirName == null ? decoder.readList(in) : decoder.readDirList(in, dirName));
            IdLists ids = decoder.readIdLists(in);
            stats.flistSize += in.bytesRead() - start;
            conn.addPeerIoError(decoder.ioError());
            mapOwners(ids, entries, flo, local, maps);
            return FileList.forReceiver(entries, flo.protocol());
        }
    }
}
