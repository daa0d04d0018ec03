package dev.jrsync.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.delta.SumHead;
import dev.jrsync.wire.MaxAlloc;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The table as a {@code --read-batch} receiver reads it: the generator's decisions, in index order. */
class RequestTableTest {
    private static RequestTable.Request request(int ndx) {
        return new RequestTable.Request(ndx, Path.of("f" + ndx), null, ItemFlags.FNAMECMP_FNAME, null, SumHead.EMPTY,
                false, true, false);
    }

    @Test
    void aReceiverWaitsUntilTheGeneratorHasGonePastTheFile() throws Exception {
        RequestTable table = new RequestTable(MaxAlloc.standard());
        CompletableFuture<RequestTable.Request> wanted = CompletableFuture.supplyAsync(() -> table.awaitDecision(3));
        CompletableFuture<RequestTable.Request> unwanted = CompletableFuture.supplyAsync(() -> table.awaitDecision(4));
        RequestTable.Request third = request(3);
        table.record(third);
        Thread.sleep(50);
        assertTrue(!wanted.isDone() && !unwanted.isDone(), "nothing is decided before the generator says so");
        table.decided(3);
        assertSame(third, wanted.get(10, TimeUnit.SECONDS));
        assertTrue(!unwanted.isDone());
        table.decided(4);
        assertNull(unwanted.get(10, TimeUnit.SECONDS), "gone past without a request: not wanted");
    }

    @Test
    void requestsTheBatchWentPastComeOutOldestFirst() {
        RequestTable table = new RequestTable(MaxAlloc.standard());
        for (int ndx : new int[] {9, 2, 5}) {
            table.record(request(ndx));
        }
        assertEquals(java.util.List.of(2, 5), table.takeBelow(6).stream().map(RequestTable.Request::ndx).toList());
        assertNull(table.take(2));
        assertEquals(9, table.takeBelow(Integer.MAX_VALUE).getFirst().ndx());
    }
}
