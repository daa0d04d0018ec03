package dev.jrsync.flist;

import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import dev.jrsync.wire.NdxCodec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which sub-lists a sender may announce ({@code rsync/flist.c:recv_file_list}, CVE-2024-12087). */
class DirListTest {
    private static FileEntry dir(String name) {
        return FileEntry.builder(name, 040755).build();
    }

    private static FileEntry file(String name) {
        return FileEntry.builder(name, 0100644).build();
    }

    private static int announce(int dirNdx) {
        return NdxCodec.NDX_FLIST_OFFSET - dirNdx;
    }

    @Test
    void directoriesAreNumberedInSortedOrderListAfterList() {
        DirList dirs = new DirList();
        // arrival order differs from the sorted one; files take no place
        dirs.add(FileList.forReceiver(List.of(dir("."), dir("b"), file("a"), dir("a")), 32));
        dirs.add(FileList.forReceiver(List.of(dir("b/z"), dir("b/y")), 32));
        assertEquals(5, dirs.size());
        assertEquals(".", dirs.claim(announce(0)).displayName());
        assertEquals("a", dirs.claim(announce(1)).displayName());
        assertEquals("b", dirs.claim(announce(2)).displayName());
        assertEquals("b/y", dirs.claim(announce(3)).displayName());
        assertEquals("b/z", dirs.claim(announce(4)).displayName());
    }

    @Test
    void eachDirectorysListIsAcceptedOnce() {
        DirList dirs = new DirList();
        dirs.add(FileList.forReceiver(List.of(dir("."), dir("d")), 32));
        dirs.claim(announce(1));
        RsyncException ex = assertThrows(RsyncException.class, () -> dirs.claim(announce(1)));
        assertEquals(ExitCode.PROTOCOL_INCOMPATIBLE, ex.exitCode());
        assertTrue(ex.getMessage().contains("duplicate flist"), ex.getMessage());
    }

    @Test
    void indexesOutsideTheListAreRefused() {
        DirList dirs = new DirList();
        dirs.add(FileList.forReceiver(List.of(dir("."), dir("d")), 32));
        for (int ndx : new int[] {announce(2), announce(Integer.MAX_VALUE / 2), NdxCodec.NDX_FLIST_OFFSET + 1,
                NdxCodec.NDX_DONE, 0, 7}) {
            RsyncException ex = assertThrows(RsyncException.class, () -> dirs.claim(ndx), "ndx " + ndx);
            assertEquals(ExitCode.PROTOCOL_INCOMPATIBLE, ex.exitCode());
        }
    }

    @Test
    void aDuplicateDirectoryRemovedFromItsListKeepsItsPlaceButTakesNoList() {
        DirList dirs = new DirList();
        dirs.add(FileList.forReceiver(List.of(dir("."), dir("d"), dir("d"), dir("e")), 32));
        assertEquals(4, dirs.size());
        assertEquals("d", dirs.claim(announce(1)).displayName());
        RsyncException ex = assertThrows(RsyncException.class, () -> dirs.claim(announce(2)));
        assertTrue(ex.getMessage().contains("cleared dir_ndx 2"), ex.getMessage());
        assertEquals("e", dirs.claim(announce(3)).displayName());
    }

    /** A daemon's refused directory is not a duplicate: rsync still takes its sub-list (and refuses its entries). */
    @Test
    void aDirectoryTheReceiverRefusedStillTakesItsList() {
        FileList list = FileList.forReceiver(List.of(dir("."), dir("skip"), dir("keep")), 32);
        list.remove(2); // "skip" sorts after "keep"
        DirList dirs = new DirList();
        dirs.add(list);
        assertEquals("skip", dirs.claim(announce(2)).displayName());
        List<String> active = new java.util.ArrayList<>();
        dirs.forEachActive(d -> active.add(d.displayName()));
        assertEquals(List.of(".", "keep", "skip"), active);
    }
}
