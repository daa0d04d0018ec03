package dev.jrsync.flist;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jrsync.testing.HostileInput;
import dev.jrsync.wire.NdxCodec;
import dev.jrsync.wire.ProtocolInput;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;

/**
 * A sender's file list as the receiver reads it ({@code rsync/flist.c:recv_file_list},
 * {@code recv_file_entry}, {@code uidlist.c:recv_id_list}), then sorted and cleaned as the receiver
 * does ({@code flist.c:flist_sort_and_clean}) and its owners mapped by name. Input: two bytes of
 * options (protocol, compat flags, -o -g -D -l -c --numeric-ids, incremental recursion), then the list
 * as sent; with incremental recursion, then sub-lists, each announced by an index
 * ({@code NDX_FLIST_OFFSET - dir_ndx}, checked by {@link DirList}) and ended by {@code NDX_FLIST_EOF}.
 */
class FileListFuzzTest {
    private static final int[] CHECKSUM_LENGTHS = {0, 16, 20, 8};
    private static final IdNames LOCAL = IdNames.of(Map.of(0, "root", 1000, "alice"), Map.of(0, "root", 100, "users"));

    @FuzzTest(maxDuration = "3s")
    void fileList(byte[] data) {
        if (data.length < 2) {
            return;
        }
        FileListOptions options = options(data[0], data[1]);
        HostileInput.decode(data, d -> {
            ProtocolInput in = new ProtocolInput(new ByteArrayInputStream(d, 2, d.length - 2), options.protocol());
            FileListDecoder decoder = new FileListDecoder(options);
            List<FileEntry> entries = decoder.readList(in);
            IdLists ids = decoder.readIdLists(in);
            if (options.protocol() < 30) {
                decoder.readIoErrorTrailer(in);
            }
            ids.mapOwners(entries, LOCAL, options.preserveUid(), options.preserveGid(), OwnerMaps.NONE, true);
            FileList top = FileList.forReceiver(entries, options.protocol());
            if (options.incRecurse()) {
                readDirLists(in, decoder, top, options);
            }
        });
    }

    // the sub-lists as rsync/rsync.c:read_ndx_and_attrs meets them where a file index is due
    private static void readDirLists(ProtocolInput in, FileListDecoder decoder, FileList top, FileListOptions options) {
        DirList dirs = new DirList();
        dirs.add(top);
        int ndx;
        while ((ndx = in.readNdx()) != NdxCodec.NDX_FLIST_EOF) {
            FileEntry dir = dirs.claim(ndx);
            List<FileEntry> sub = decoder.readDirList(in, dir.name());
            decoder.readIdLists(in).mapOwners(sub, LOCAL, options.preserveUid(), options.preserveGid(), OwnerMaps.NONE,
                    true);
            dirs.add(FileList.forReceiver(sub, options.protocol()));
        }
    }

    /** Options byte 0: protocol (low 3 bits, 28-32), varint flags, -o, -g, --devices, --specials. Byte 1: -l, -c length, --numeric-ids, id0 names, safe flist, incremental recursion. */
    static FileListOptions options(byte b0, byte b1) {
        int protocol = 28 + (b0 & 7) % 5;
        boolean varint = protocol >= 30 && (b0 & 0x08) != 0;
        return new FileListOptions(protocol, varint, (b0 & 0x10) != 0, (b0 & 0x20) != 0, (b0 & 0x40) != 0,
                (b0 & 0x80) != 0, (b1 & 0x01) != 0, CHECKSUM_LENGTHS[(b1 >> 1) & 3], (b1 & 0x08) != 0,
                (b1 & 0x10) != 0, (b1 & 0x20) != 0, FileListOptions.DEFAULT_MAX_ENTRIES,
                protocol >= 30 && (b1 & 0x40) != 0, (protocol < 30 || (b1 & 0x40) == 0) && (b1 & 0x80) != 0);
    }
}
