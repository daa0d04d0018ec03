package dev.jrsync.delta.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.wire.ProtocolException;
import dev.jrsync.wire.ProtocolInput;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import net.jpountz.lz4.LZ4Factory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Peer data that must be refused with a ProtocolException (CVE-2026-43618 class and malformed payloads). */
class HostileTokenStreamTest {
    private static final HexFormat HEX = HexFormat.of();

    @ParameterizedTest
    @ValueSource(strings = {
        "20ffffffff",            // TOKEN_LONG -1
        "20ffffff7f",            // TOKEN_LONG 0x7FFFFFFF, beyond MAX_TOKEN_INDEX
        "c10000",                // run of zero extra blocks
        "21feffff7f0100",        // run past MAX_TOKEN_INDEX
        "20f0ffff7fc0ffff",      // REL run overflowing from 0x7FFFFFF0
        "20feffff7f81",          // REL +1 after the largest index
        "01", "22", "3f",        // flag bytes no sender produces
        "4000",                  // empty data frame
    })
    void invalidTokenNumbersAndFlags(String hex) {
        for (CompressionType type : new CompressionType[] {CompressionType.ZLIB, CompressionType.ZLIBX,
                CompressionType.LZ4, CompressionType.ZSTD}) {
            TokenReader reader = reader(type, HEX.parseHex(hex));
            ProtocolException e = assertThrows(ProtocolException.class, () -> {
                while (reader.next() != 0) {
                    // consume until the bad token
                }
            }, type + " " + hex);
            assertTrue(e.getMessage().contains("compressed"), e.getMessage());
        }
    }

    @Test
    void runTokensAreBoundedByTheirCount() {
        TokenReader reader = reader(CompressionType.ZLIBX, HEX.parseHex("21fdffff7f0100" + "00"));
        assertEquals(-1 - 0x7FFFFFFD, reader.next());
        assertEquals(-1 - 0x7FFFFFFE, reader.next());
        assertEquals(0, reader.next());
    }

    @ParameterizedTest
    @EnumSource(names = {"ZLIB", "ZLIBX", "LZ4", "ZSTD"})
    void garbagePayloadIsRejected(CompressionType type) {
        TokenReader reader = reader(type, HEX.parseHex("4008" + "ffffffffffffffff" + "00"));
        assertThrows(ProtocolException.class, () -> {
            while (reader.next() != 0) {
                // decode until the failure
            }
        });
    }

    /** A stored block of 4 bytes would swallow the re-inserted 00 00 FF FF as data: the stream was not at a sync point. */
    @Test
    void deflateDataNotEndingAtSyncFlushLosesSync() {
        TokenReader reader = reader(CompressionType.ZLIBX, HEX.parseHex("4005" + "000400fbff" + "00"));
        ProtocolException e = assertThrows(ProtocolException.class, () -> {
            while (reader.next() != 0) {
                // decode until the failure
            }
        });
        assertTrue(e.getMessage().contains("lost sync"), e.getMessage());
    }

    /** A final deflate block inside the session-long token stream is not something rsync produces. */
    @Test
    void finalDeflateBlockIsRejected() {
        java.util.zip.Deflater d = new java.util.zip.Deflater(6, true);
        d.setInput("hello".getBytes());
        d.finish();
        byte[] out = new byte[64];
        int n = d.deflate(out);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.write(0x40);
        wire.write(n);
        wire.write(out, 0, n);
        wire.write(0);
        TokenReader reader = reader(CompressionType.ZLIB, wire.toByteArray());
        assertThrows(ProtocolException.class, reader::next);
    }

    /** An lz4 block may not decode to more than rsync's receive buffer (the LZ4 bound of 32 KiB). */
    @Test
    void oversizedLz4BlockIsRejected() {
        byte[] zeros = new byte[40_000];
        byte[] block = LZ4Factory.safeInstance().fastCompressor().compress(zeros);
        assertTrue(block.length < 16383);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.write(0x40 | block.length >> 8);
        wire.write(block.length);
        wire.writeBytes(block);
        wire.write(0);
        TokenReader reader = reader(CompressionType.LZ4, wire.toByteArray());
        assertThrows(ProtocolException.class, reader::next);
    }

    /** A zstd frame may expand enormously; it is handed out in bounded pieces, never buffered whole. */
    @Test
    void zstdExpansionIsStreamedInBoundedPieces() {
        byte[] zeros = new byte[5_000_000];
        byte[] frame = com.github.luben.zstd.Zstd.compress(zeros, 19);
        assertTrue(frame.length < 16383);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.write(0x40 | frame.length >> 8);
        wire.write(frame.length);
        wire.writeBytes(frame);
        wire.write(0);
        TokenReader reader = reader(CompressionType.ZSTD, wire.toByteArray());
        long total = 0;
        int t;
        while ((t = reader.next()) != 0) {
            assertTrue(t > 0 && t <= 256 * 1024, "piece " + t);
            total += t;
        }
        assertEquals(zeros.length, total);
    }

    private static TokenReader reader(CompressionType type, byte[] wire) {
        return TokenCodecs.reader(type, new ProtocolInput(new ByteArrayInputStream(wire), 32), 32);
    }
}
