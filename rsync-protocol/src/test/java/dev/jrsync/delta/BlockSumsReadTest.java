package dev.jrsync.delta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.wire.AllocationRefused;
import dev.jrsync.wire.HeapBudget;
import dev.jrsync.wire.MaxAlloc;
import dev.jrsync.wire.ProtocolInput;
import dev.jrsync.wire.ProtocolOutput;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@link BlockSums#read} from byte vectors: storage follows the sums that arrive, not the count announced. */
class BlockSumsReadTest {
    private static final int PROTOCOL = 31;
    private static final int S2 = 16;
    private static final int BLOCK = 700;

    /** A sum head of {@code count} blocks (the last one 100 bytes), then the sums of the first {@code sent}. */
    private static byte[] wire(int count, int sent) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProtocolOutput out = new ProtocolOutput(bytes, PROTOCOL);
        new SumHead(count, BLOCK, S2, 100).write(out, PROTOCOL);
        for (int i = 0; i < sent; i++) {
            out.writeInt(i * 31);
            out.write(strong(i), 0, S2);
        }
        out.flush();
        return bytes.toByteArray();
    }

    private static byte[] strong(int block) {
        byte[] b = new byte[S2];
        Arrays.fill(b, (byte) block);
        b[0] = (byte) (block >>> 8);
        return b;
    }

    private static ProtocolInput in(byte[] bytes, MaxAlloc alloc) {
        ProtocolInput in = new ProtocolInput(new ByteArrayInputStream(bytes), PROTOCOL);
        in.setMaxAlloc(alloc);
        return in;
    }

    @Test
    void aMaximalHeaderWithThreeSumsCostsKilobytesNotTheAnnounced256MiB() {
        int count = (int) (SumHead.MAX_SIGNATURE_BYTES / (4 + S2));
        byte[] bytes = wire(count, 3);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> BlockSums.read(new ProtocolInput(new ByteArrayInputStream(bytes), PROTOCOL), PROTOCOL, S2));
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals("connection unexpectedly closed", e.getCause().getMessage());
        assertTrue(allocated < 1 << 20, "reading 3 of " + count + " announced sums allocated " + allocated + " bytes");
    }

    @Test
    void sumsThatArriveAcrossSeveralGrowthsAreKeptIntactAndChargedUntilClosed() {
        int count = 5 * BlockSums.FIRST_CAPACITY + 3;
        HeapBudget budget = new HeapBudget(1 << 20);
        MaxAlloc alloc = new MaxAlloc(MaxAlloc.DEFAULT_LIMIT, budget);
        BlockSums sums = BlockSums.read(in(wire(count, count), alloc), PROTOCOL, S2);
        assertEquals(new SumHead(count, BLOCK, S2, 100), sums.head());
        for (int i = 0; i < count; i++) {
            assertEquals(i * 31, sums.sum1(i));
            assertArrayEquals(strong(i), sums.sum2(i), "block " + i);
        }
        assertEquals((long) count * (4 + S2), budget.inUse());
        sums.close();
        assertEquals(0, budget.inUse());
    }

    @Test
    void aPeerThatSendsMoreSumsThanTheBudgetHoldsIsRefusedAndItsChargeGivenBack() {
        HeapBudget budget = new HeapBudget(64 << 10);
        MaxAlloc alloc = new MaxAlloc(MaxAlloc.DEFAULT_LIMIT, budget);
        AllocationRefused e = assertThrows(AllocationRefused.class,
                () -> BlockSums.read(in(wire(100_000, 100_000), alloc), PROTOCOL, S2));
        assertTrue(e.getMessage().startsWith("[sender] out of memory: block sums would need "), e.getMessage());
        assertTrue(e.getMessage().contains("over the daemon's memory budget of 65536 bytes"), e.getMessage());
        assertEquals(0, budget.inUse());
    }

    @Test
    void anAnnouncedCountOverMaxAllocIsRefusedBeforeAnySumIsRead() {
        MaxAlloc oneMiB = new MaxAlloc(MaxAlloc.MIN_LIMIT, null);
        int count = (int) (MaxAlloc.MIN_LIMIT / (4 + S2)) + 1;
        AllocationRefused e = assertThrows(AllocationRefused.class,
                () -> BlockSums.read(in(wire(count, 0), oneMiB), PROTOCOL, S2));
        assertEquals("[sender] exceeded --max-alloc=1048576 setting (block sums)", e.getMessage());
    }
}
