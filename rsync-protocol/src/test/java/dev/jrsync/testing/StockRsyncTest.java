package dev.jrsync.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class StockRsyncTest {

    @Test
    void parsesVersionBanner() {
        Optional<StockRsync> r = StockRsync.parseVersion(Path.of("/x/rsync"), """
                rsync  version 3.2.7  protocol version 32
                Copyright (C) 1996-2022 by Andrew Tridgell, Wayne Davison, and others.
                """);
        assertEquals(Optional.of(new StockRsync(Path.of("/x/rsync"), "3.2.7", 32)), r);
        assertEquals("rsync 3.2.7 (protocol 32)", r.orElseThrow().toString());
        assertEquals(Optional.of(new StockRsync(Path.of("r"), "3.4.0dev", 31)),
                StockRsync.parseVersion(Path.of("r"), "rsync  version v3.4.0dev  protocol version 31\n"));
        assertEquals(Optional.empty(), StockRsync.parseVersion(Path.of("r"), "bash: rsync: not found"));
    }

    @Test
    void comparesVersionsNumerically() {
        StockRsync r = new StockRsync(Path.of("r"), "3.10.0pre1", 32);
        assertTrue(r.atLeast(3, 2, 7));
        assertTrue(r.atLeast(3, 10, 0));
        assertFalse(r.atLeast(3, 10, 1));
        assertFalse(new StockRsync(Path.of("r"), "3.2.7", 32).atLeast(3, 4, 0));
    }

    @Test
    void probedPeersReportTheirVersion() {
        for (StockRsync peer : StockRsync.available()) {
            assertEquals(Optional.of(peer), StockRsync.probe(peer.binary()));
            assertTrue(peer.protocol() >= 27, peer::toString);
        }
        assertEquals(Optional.empty(), StockRsync.probe(Path.of("/nonexistent/rsync")));
    }
}
