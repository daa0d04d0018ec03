package dev.jrsync.delta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jrsync.checksum.BlockSizing;
import dev.jrsync.wire.ProtocolException;
import dev.jrsync.wire.ProtocolInput;
import dev.jrsync.wire.ProtocolOutput;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SumHeadTest {

    private static byte[] ints(int... values) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProtocolOutput out = new ProtocolOutput(bytes, 31);
        for (int v : values) {
            out.writeInt(v);
        }
        return bytes.toByteArray();
    }

    private static SumHead read(int protocol, int digestLength, int... values) {
        return SumHead.read(new ProtocolInput(new ByteArrayInputStream(ints(values)), protocol), protocol, digestLength);
    }

    private static byte[] write(SumHead head, int protocol) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        head.write(new ProtocolOutput(bytes, protocol), protocol);
        return bytes.toByteArray();
    }

    @Test
    void capturedHeaderFor100000Bytes() {
        // Reference §14.2 [captured].
        byte[] captured = HexFormat.of().parseHex("8f000000bc0200000200000058020000");
        SumHead head = SumHead.forBasis(100_000, 31, 0, BlockSizing.SHORT_SUM_LENGTH, 16);
        assertEquals(new SumHead(143, 700, 2, 600), head);
        assertArrayEquals(captured, write(head, 31));
        assertEquals(head, SumHead.read(new ProtocolInput(new ByteArrayInputStream(captured), 31), 31, 16));
        assertEquals(100_000, head.basisLength());
        assertEquals(700, head.lengthOfBlock(141));
        assertEquals(600, head.lengthOfBlock(142));
    }

    @Test
    void noS2LengthBeforeProtocol27() {
        SumHead head = new SumHead(3, 700, 2, 100);
        assertArrayEquals(ints(3, 700, 100), write(head, 26));
        assertEquals(head, read(26, 16, 3, 700, 100));
    }

    @Test
    void acceptsLegalHeaders() {
        assertEquals(SumHead.EMPTY, read(31, 16, 0, 0, 0, 0));
        assertEquals(new SumHead(0, 700, 2, 0), read(31, 16, 0, 700, 2, 0)); // an empty basis file
        assertEquals(new SumHead(1, 131072, 16, 131072), read(31, 16, 1, 131072, 16, 131072));
        assertEquals(new SumHead(2, 1 << 20, 8, 0), read(29, 8, 2, 1 << 20, 8, 0));
        assertEquals(new SumHead(5, 700, 0, 0), read(31, 16, 5, 700, 0, 0));
        assertEquals(new SumHead(5, 700, 20, 0), read(31, 20, 5, 700, 20, 0));
        assertEquals(0, SumHead.EMPTY.basisLength());
    }

    @Test
    void rejectsHostileHeaders() {
        assertThrows(ProtocolException.class, () -> read(31, 16, -1, 700, 2, 0), "negative count");
        assertThrows(ProtocolException.class, () -> read(31, 16, 1, -700, 2, 0), "negative block length");
        assertThrows(ProtocolException.class, () -> read(31, 16, 1, 131073, 2, 0), "block above MAX_BLOCK_SIZE");
        assertThrows(ProtocolException.class, () -> read(29, 16, 1, (1 << 29) + 1, 2, 0), "block above OLD_MAX_BLOCK_SIZE");
        assertThrows(ProtocolException.class, () -> read(29, 16, 1, 1 << 28, 2, 0), "block above our memory cap");
        assertThrows(ProtocolException.class, () -> read(31, 16, 5, 0, 2, 0), "CVE-2026-53792: blocks of length 0");
        assertThrows(ProtocolException.class, () -> read(31, 16, 5, 700, 17, 0), "CVE-2024-12084: s2length above the digest");
        assertThrows(ProtocolException.class, () -> read(31, 8, 5, 700, 16, 0), "16-byte sums with xxh64");
        assertThrows(ProtocolException.class, () -> read(31, 16, 5, 700, 64, 0), "MAX_DIGEST_LEN is not enough");
        assertThrows(ProtocolException.class, () -> read(31, 16, 5, 700, -1, 0), "negative s2length");
        assertThrows(ProtocolException.class, () -> read(31, 16, 5, 700, 2, 701), "remainder above block length");
        assertThrows(ProtocolException.class, () -> read(31, 16, 5, 700, 2, -1), "negative remainder");
        assertThrows(ProtocolException.class, () -> read(31, 16, 0, 0, 2, 1), "remainder with no blocks");
        assertThrows(ProtocolException.class, () -> read(31, 16, 20_000_000, 700, 16, 0), "400 MB of sums");
        assertThrows(ProtocolException.class, () -> read(31, 16, Integer.MAX_VALUE, 131072, 2, 0), "2^31 sums");
    }

    @Test
    void memoryLimitBoundary() {
        int atLimit = (int) (SumHead.MAX_SIGNATURE_BYTES / 20);
        assertEquals(atLimit, read(31, 16, atLimit, 700, 16, 0).count());
        assertThrows(ProtocolException.class, () -> read(31, 16, atLimit + 1, 700, 16, 0));
    }
}
