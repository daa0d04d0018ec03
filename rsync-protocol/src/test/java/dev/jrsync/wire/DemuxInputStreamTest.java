package dev.jrsync.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemuxInputStreamTest {
    private final List<String> messages = new ArrayList<>();

    /** A frame as rsync writes it: a little-endian header of (code + 7) << 24 | length, then the payload. */
    private static byte[] frame(MsgCode code, byte[] payload) {
        int word = (code.code + MsgCode.MPLEX_BASE) << 24 | payload.length;
        byte[] f = Arrays.copyOf(new byte[] {(byte) word, (byte) (word >> 8), (byte) (word >> 16), (byte) (word >>> 24)},
                4 + payload.length);
        System.arraycopy(payload, 0, f, 4, payload.length);
        return f;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    private DemuxInputStream demux(InputStream raw) {
        DemuxInputStream d = new DemuxInputStream(new BufferedInputStream(raw), (code, payload) ->
                messages.add(code + ":" + new String(payload, java.nio.charset.StandardCharsets.US_ASCII)));
        d.startMultiplex();
        return d;
    }

    @Test
    void availableCountsDataBehindCompleteMessagesAndHandlesThemAsAReadWould() throws IOException {
        byte[] wire = concat(frame(MsgCode.INFO, "hi\n".getBytes()), frame(MsgCode.DATA, new byte[0]),
                frame(MsgCode.DATA, new byte[] {1, 2, 3}));
        DemuxInputStream d = demux(new ByteArrayInputStream(wire));
        assertEquals(3, d.available());
        assertEquals(List.of("INFO:hi\n"), messages);
        byte[] got = new byte[3];
        assertEquals(3, d.read(got, 0, 3));
        assertArrayEquals(new byte[] {1, 2, 3}, got);
        assertEquals(0, d.available());
    }

    /** Bytes that have arrived only in part: a header, or a message without all of its payload. */
    @Test
    void aFrameStillOnItsWayCountsAsNothingAndIsReadWholeLater() throws IOException {
        byte[] wire = concat(frame(MsgCode.WARNING, "careful\n".getBytes()), frame(MsgCode.DATA, new byte[] {9}));
        Trickle raw = new Trickle(wire);
        DemuxInputStream d = demux(raw);
        for (int arrived : new int[] {0, 3, 4, 10}) {
            raw.arrived = arrived;
            assertEquals(0, d.available(), "with " + arrived + " bytes here");
        }
        assertEquals(List.of(), messages);
        raw.arrived = 12; // the message whole, the data frame's header not
        assertEquals(0, d.available());
        assertEquals(List.of("WARNING:careful\n"), messages);
        raw.arrived = wire.length;
        assertEquals(1, d.available());
        assertEquals(9, d.read());
        assertEquals(List.of("WARNING:careful\n"), messages);
    }

    /** A stream whose bytes arrive over time: reads and available() see only those that have. */
    private static final class Trickle extends InputStream {
        private final byte[] all;
        private int pos;
        int arrived;

        Trickle(byte[] all) {
            this.all = all;
        }

        @Override
        public int read() {
            return pos < arrived ? all[pos++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            int n = Math.min(len, arrived - pos);
            if (n <= 0) {
                return -1;
            }
            System.arraycopy(all, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public int available() {
            return arrived - pos;
        }
    }

    /** A header announcing a 16 MiB message: nothing is allocated for it, and the read refuses it. */
    @Test
    void anAnnouncedHugeMessageIsNeitherCountedNorAllocated() throws IOException {
        byte[] wire = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) (MsgCode.INFO.code + MsgCode.MPLEX_BASE), 'x'};
        DemuxInputStream d = demux(new ByteArrayInputStream(wire));
        assertEquals(0, d.available());
        ProtocolException e = org.junit.jupiter.api.Assertions.assertThrows(ProtocolException.class, d::read);
        assertTrue(e.getMessage().contains("multiplexing overflow"), e.getMessage());
        assertEquals(List.of(), messages);
    }
}
