package dev.jrsync.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jrsync.core.ExitCode;
import dev.jrsync.core.RsyncException;
import dev.jrsync.wire.ProtocolInput;
import dev.jrsync.wire.ProtocolOutput;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class BatchHeaderTest {
    private static byte[] encode(BatchHeader h) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        h.write(new ProtocolOutput(b, h.protocol()));
        return b.toByteArray();
    }

    private static BatchHeader decode(byte[] bytes) {
        return BatchHeader.read(new ProtocolInput(new ByteArrayInputStream(bytes), 0), 27, 32);
    }

    @Test
    void fromProtocol30TheCompatFlagsFollowAsAVarint() {
        // the first 14 bytes rsync 3.5.0 and 3.2.7 write for "rsync -a --checksum-seed=305419896 --write-batch=B
        // src/ dest/": -a's flags (recurse, owner, group, links, devices, dirs), protocol 32, compat flags 0x1ff
        // (two varint bytes), the seed
        BatchHeader h = new BatchHeader(0x9f, 32, 0x1ff, 0x12345678);
        byte[] expected = {
            (byte) 0x9f, 0, 0, 0,
            32, 0, 0, 0,
            (byte) 0x81, (byte) 0xff,
            0x78, 0x56, 0x34, 0x12};
        assertArrayEquals(expected, encode(h));
        assertEquals(h, decode(expected));
    }

    @Test
    void protocol29HasNoCompatFlags() {
        BatchHeader h = new BatchHeader(0x81, 29, 0, 7);
        byte[] expected = {(byte) 0x81, 0, 0, 0, 29, 0, 0, 0, 7, 0, 0, 0};
        assertArrayEquals(expected, encode(h));
        assertEquals(h, decode(expected));
    }

    @Test
    void aNewerProtocolIsRefusedAsRsyncRefusesIt() {
        byte[] fromTheFuture = {0, 0, 0, 0, 33, 0, 0, 0, 0, 0, 0, 0, 0};
        RsyncException e = assertThrows(RsyncException.class, () -> decode(fromTheFuture));
        assertEquals(ExitCode.PROTOCOL_INCOMPATIBLE, e.exitCode());
        assertEquals("The protocol version in the batch file is too new (33 > 32).", e.getMessage());
    }

    @Test
    void aNumberNoRsyncWritesIsNotABatch() {
        byte[] text = "#!/bin/sh\n echo".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        RsyncException e = assertThrows(RsyncException.class, () -> decode(text));
        assertEquals(ExitCode.PROTOCOL_INCOMPATIBLE, e.exitCode());
    }
}
