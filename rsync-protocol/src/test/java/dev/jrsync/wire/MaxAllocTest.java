package dev.jrsync.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** One heap budget shared by several connections' {@link MaxAlloc}s. */
class MaxAllocTest {
    @Test
    void aConnectionOverTheSharedBudgetIsRefusedWhileTheOthersKeepWhatTheyHold() {
        HeapBudget budget = new HeapBudget(1000);
        MaxAlloc first = new MaxAlloc(MaxAlloc.DEFAULT_LIMIT, budget);
        MaxAlloc second = new MaxAlloc(MaxAlloc.DEFAULT_LIMIT, budget);
        first.grow(0, 600, "sender", "block sums");
        AllocationRefused e = assertThrows(AllocationRefused.class, () -> second.grow(0, 500, "Receiver", "file list"));
        assertEquals("[Receiver] out of memory: file list would need 500 more bytes, over the daemon's memory budget"
                + " of 1000 bytes (600 in use by all connections)", e.getMessage());
        assertEquals(600, budget.inUse());
        second.grow(0, 400, "Receiver", "file list");
        first.close();
        assertEquals(400, budget.inUse());
        second.grow(400, 900, "Receiver", "file list");
        second.grow(900, 100, "Receiver", "file list");
        assertEquals(100, second.held());
        second.close();
        assertEquals(0, budget.inUse());
    }

    @Test
    void aSingleBufferOverMaxAllocIsRefusedWithRsyncsWording() {
        MaxAlloc limit = new MaxAlloc(MaxAlloc.MIN_LIMIT, null);
        limit.grow(0, MaxAlloc.MIN_LIMIT, "sender", "block sums");
        AllocationRefused e = assertThrows(AllocationRefused.class,
                () -> limit.grow(0, MaxAlloc.MIN_LIMIT + 1, "sender", "block sums"));
        assertEquals("[sender] exceeded --max-alloc=1048576 setting (block sums)", e.getMessage());
    }
}
