package dev.jrsync.flist;

import dev.jrsync.core.Escaped;
import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import dev.jrsync.wire.NdxCodec;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.Consumer;

/**
 * The receiving side's list of directories under incremental recursion ({@code rsync/flist.c}'s
 * {@code dir_flist} as {@code recv_file_list} fills it): each file list adds its directories, sorted among
 * themselves, after those of the lists before it, and a sub-list is announced by a directory's place
 * here ({@code NDX_FLIST_OFFSET - dir_ndx}). The checks of CVE-2024-12087 and its follow-ups live here: an
 * index must name a directory that was listed, that survived duplicate removal, and whose sub-list has
 * not come yet, so a sender can neither reach outside the list nor send one directory's contents twice.
 */
public final class DirList {
    private final List<FileEntry> dirs = new ArrayList<>();
    private final BitSet cleared = new BitSet();
    private final BitSet gotList = new BitSet();

    /**
     * Appends the directories of a list just received, in its sorted order, a duplicate removed from the
     * list marked as cleared. A directory the receiver refused (a daemon's excluded one) keeps its place: rsync
     * still takes its sub-list, whose entries are refused in turn.
     */
    public void add(FileList list) {
        for (int i = 0; i < list.size(); i++) {
            FileEntry e = list.entry(i);
            if (e.isDirectory()) {
                if (list.isDuplicate(i)) {
                    cleared.set(dirs.size());
                }
                dirs.add(e);
            }
        }
    }

    public int size() {
        return dirs.size();
    }

    /** Each directory that survived duplicate removal, in order. */
    public void forEachActive(Consumer<FileEntry> action) {
        for (int i = cleared.nextClearBit(0); i < dirs.size(); i = cleared.nextClearBit(i + 1)) {
            action.accept(dirs.get(i));
        }
    }

    /**
     * The directory whose sub-list the index {@code ndx} announces ({@code rsync/rsync.c:read_ndx_and_attrs},
     * {@code flist.c:recv_file_list}); it may not be announced again. Anything else ends the session as rsync
     * does, with a protocol error (exit 2).
     */
    public FileEntry claim(int ndx) {
        int dirNdx = NdxCodec.NDX_FLIST_OFFSET - ndx;
        if (ndx > NdxCodec.NDX_FLIST_OFFSET || dirNdx >= dirs.size()) {
            throw new RsyncException(ExitCode.PROTOCOL_INCOMPATIBLE, "Invalid dir index: " + ndx + " ("
                    + NdxCodec.NDX_FLIST_OFFSET + " - " + (NdxCodec.NDX_FLIST_OFFSET - dirs.size() + 1) + ")");
        }
        if (cleared.get(dirNdx)) {
            throw new RsyncException(ExitCode.PROTOCOL_INCOMPATIBLE,
                    "rsync: refusing flist for cleared dir_ndx " + dirNdx);
        }
        if (gotList.get(dirNdx)) {
            throw new RsyncException(ExitCode.PROTOCOL_INCOMPATIBLE, "rsync: refusing malicious duplicate flist for dir "
                    + dirNdx + " (" + Escaped.of(dirs.get(dirNdx).name()) + ")");
        }
        gotList.set(dirNdx);
        return dirs.get(dirNdx);
    }
}
