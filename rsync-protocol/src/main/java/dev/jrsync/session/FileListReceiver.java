package dev.jrsync.session;

import dev.jrsync.flist.FileEntry;
import dev.jrsync.flist.FileListDecoder;
import dev.jrsync.flist.FileListOptions;
import dev.jrsync.flist.IdLists;
import dev.jrsync.flist.IdNames;
import dev.jrsync.wire.ProtocolInput;
import java.util.List;

/** The receiving side's file list, for a pulling client and a daemon taking a push alike. */
public final class FileListReceiver {
    private FileListReceiver() {}

    /**
     * Reads the list, its id lists and I/O error bits (the trailer int before protocol 30), counts its
     * size in {@code stats} and maps owners to local ids by name unless ids are numeric
     * ({@code rsync/flist.c:recv_file_list}, {@code rsync/uidlist.c:recv_id_list}).
     */
    public static List<FileEntry> recvFileList(Connection conn, FileListOptions flo, TransferStats stats) {
        return recvFileList(conn, flo, stats, IdNames.system());
    }

    /**
     * As {@link #recvFileList(Connection, FileListOptions, TransferStats)}, names mapped through {@code local}:
     * a daemon module with {@code numeric ids} passes {@link IdNames#none()}, so the client's names are read
     * (the protocol is the client's) and ignored, as rsync's {@code numeric_ids = -1}.
     */
    public static List<FileEntry> recvFileList(Connection conn, FileListOptions flo, TransferStats stats,
                                               IdNames local) {
        ProtocolInput in = conn.in();
        long start = in.bytesRead();
        FileListDecoder decoder = new FileListDecoder(flo);
        List<FileEntry> entries = decoder.readList(in);
        IdLists ids = decoder.readIdLists(in);
        int ioError = decoder.ioError();
        if (flo.protocol() < 30) {
            ioError |= decoder.readIoErrorTrailer(in);
        }
        stats.flistSize = in.bytesRead() - start;
        conn.addPeerIoError(ioError);
        if (!flo.numericIds() && (flo.preserveUid() || flo.preserveGid())) {
            ids.mapOwners(entries, local, flo.preserveUid(), flo.preserveGid());
        }
        return entries;
    }
}
