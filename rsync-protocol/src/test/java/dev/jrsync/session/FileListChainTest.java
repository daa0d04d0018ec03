package dev.jrsync.session;

import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.flist.FileEntry;
import dev.jrsync.flist.FileList;
import dev.jrsync.wire.HeapBudget;
import dev.jrsync.wire.MaxAlloc;
import dev.jrsync.wire.ProtocolException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The receiving side's chain of lists under incremental recursion ({@code flist_new}, {@code flist_for_ndx}). */
class FileListChainTest {
    private static FileEntry dir(String name) {
        return FileEntry.builder(name, 040755).build();
    }

    private static FileEntry file(String name) {
        return FileEntry.builder(name, 0100644).build();
    }

    private static FileList list(FileEntry... entries) {
        return FileList.forReceiver(List.of(entries), 32);
    }

    @Test
    void indexesStartAtOneAndEachListLeavesAGapForItsDirectory() {
        FileListChain chain = new FileListChain(MaxAlloc.standard());
        FileListChain.Link top = chain.addTop(list(dir("."), file("a"), dir("d")), 0);
        FileEntry d = chain.dirs().claim(-101 - 1);
        FileListChain.Link sub = chain.add(list(file("d/x"), file("d/y")), d, 0);
        assertEquals(1, top.start());
        assertEquals(".", top.parent().displayName()); // the top list's "." is its head, index 0
        assertEquals(".", chain.forNdx(0).entry(0).displayName());
        assertEquals("a", chain.forNdx(2).entry(2).displayName());
        assertEquals(5, sub.start()); // 1 + 3 entries + 1
        assertEquals("d", chain.forNdx(4).entry(4).displayName());
        assertEquals("d/y", chain.forNdx(6).entry(6).displayName());
        RsyncException past = assertThrows(RsyncException.class, () -> chain.forNdx(7));
        assertEquals(ExitCode.PROTOCOL_INCOMPATIBLE, past.exitCode());
        assertTrue(past.getMessage().contains("not in 0 - 6"), past.getMessage());
    }

    @Test
    void aTopListWithoutADotHasNoHead() {
        FileListChain chain = new FileListChain(MaxAlloc.standard());
        FileListChain.Link top = chain.addTop(list(dir("d"), file("f")), 0);
        assertNull(top.parent());
        assertNull(chain.forNdx(0).entry(0));
    }

    @Test
    void freedListsGiveTheirMemoryBackAndTheirIndexesAreGone() {
        HeapBudget budget = new HeapBudget(1 << 20);
        MaxAlloc alloc = new MaxAlloc(MaxAlloc.DEFAULT_LIMIT, budget);
        alloc.grow(0, 1000, "test", "top");
        alloc.grow(0, 300, "test", "sub");
        FileListChain chain = new FileListChain(alloc);
        chain.addTop(list(dir("."), dir("d")), 1000);
        chain.add(list(file("d/x")), chain.dirs().claim(-102), 300);
        assertEquals(1300, budget.inUse());
        assertTrue(chain.freeFirst());
        assertEquals(300, budget.inUse());
        assertThrows(RsyncException.class, () -> chain.forNdx(1));
        assertEquals("d/x", chain.forNdx(4).entry(4).displayName());
        assertTrue(chain.freeFirst());
        assertEquals(0, budget.inUse());
        assertFalse(chain.hasLists());
        assertFalse(chain.freeFirst());
    }

    @Test
    void noListMayFollowTheEnd() {
        FileListChain chain = new FileListChain(MaxAlloc.standard());
        chain.addTop(list(dir("."), dir("d")), 0);
        chain.endOfLists();
        assertThrows(ProtocolException.class, () -> chain.add(list(file("d/x")), chain.dirs().claim(-102), 0));
    }
}
