package dev.jrsync.delta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.checksum.ChecksumType;
import dev.jrsync.checksum.FileDigest;
import dev.jrsync.checksum.StrongChecksum;
import dev.jrsync.wire.MaxAlloc;
import dev.jrsync.wire.ProtocolException;
import dev.jrsync.wire.ProtocolInput;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PatcherTest {
    private static final StrongChecksum XXH64 = new StrongChecksum(ChecksumType.XXH64, 77, true);

    @TempDir
    Path tmp;

    private static ProtocolInput checksumOf(byte[] data) {
        FileDigest d = XXH64.newFileDigest();
        d.update(data, 0, data.length);
        return new ProtocolInput(new ByteArrayInputStream(d.finish()), 31);
    }

    private FileChannel basis(byte[] data) throws IOException {
        return FileChannel.open(Files.write(tmp.resolve("basis"), data));
    }

    @Test
    void copiesBlocksAndLiteralsAndVerifies() throws IOException {
        byte[] basis = new byte[1500];
        Arrays.fill(basis, 0, 700, (byte) 'a');
        Arrays.fill(basis, 700, 1400, (byte) 'b');
        Arrays.fill(basis, 1400, 1500, (byte) 'c');
        TokenTape tape = new TokenTape();
        tape.match(2, basis, 1400, 100);
        tape.literal(new byte[] {'x', 'y'}, 0, 2);
        tape.match(0, basis, 0, 700);
        byte[] expected = new byte[802];
        Arrays.fill(expected, 0, 100, (byte) 'c');
        expected[100] = 'x';
        expected[101] = 'y';
        Arrays.fill(expected, 102, 802, (byte) 'a');
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (FileChannel ch = basis(basis)) {
            Patcher.Result r = new Patcher(XXH64.newFileDigest(), MaxAlloc.standard()).receive(tape, new SumHead(3, 700, 8, 100), ch,
                    Channels.newChannel(out), checksumOf(expected));
            assertTrue(r.verified());
            assertEquals(new Patcher.Result(true, 2, 800, 802), r);
        }
        assertArrayEquals(expected, out.toByteArray());
        assertEquals(100, tape.seenByReader.get(0).length);
    }

    @Test
    void wrongChecksumIsReported() throws IOException {
        TokenTape tape = new TokenTape();
        tape.literal(new byte[] {1, 2, 3}, 0, 3);
        Patcher.Result r = new Patcher(XXH64.newFileDigest(), MaxAlloc.standard()).receive(tape, SumHead.EMPTY, null,
                Channels.newChannel(new ByteArrayOutputStream()), checksumOf(new byte[] {1, 2, 4}));
        assertFalse(r.verified());
    }

    @Test
    void rejectsBlockIndexOutsideTheHead() throws IOException {
        TokenTape tape = new TokenTape();
        tape.match(3, new byte[700], 0, 700);
        try (FileChannel ch = basis(new byte[2100])) {
            assertThrows(ProtocolException.class, () -> new Patcher(XXH64.newFileDigest(), MaxAlloc.standard()).receive(tape, new SumHead(3, 700, 8, 0), ch,
                    Channels.newChannel(new ByteArrayOutputStream()), checksumOf(new byte[0])));
        }
    }

    @Test
    void rejectsBlockTokensWhenThereIsNoBasis() {
        TokenTape tape = new TokenTape();
        tape.match(0, new byte[700], 0, 700);
        assertThrows(ProtocolException.class, () -> new Patcher(XXH64.newFileDigest(), MaxAlloc.standard()).receive(tape, SumHead.EMPTY, null,
                Channels.newChannel(new ByteArrayOutputStream()), checksumOf(new byte[0])));
    }

    @Test
    void discardModeDrainsEverythingIncludingTheChecksum() throws IOException {
        TokenTape tape = new TokenTape();
        tape.literal(new byte[] {1, 2, 3}, 0, 3);
        tape.match(1, new byte[700], 0, 700);
        ByteArrayInputStream wire = new ByteArrayInputStream(new byte[8 + 1]);
        Patcher.Result r = new Patcher(XXH64.newFileDigest(), MaxAlloc.standard()).receive(tape, new SumHead(2, 700, 8, 0), null, null,
                new ProtocolInput(wire, 31));
        assertTrue(r.verified());
        assertEquals(703, r.size());
        assertEquals(1, wire.available(), "exactly the 8 checksum bytes were read");
    }

    @Test
    void shrunkenBasisReadsAsZeros() throws IOException {
        TokenTape tape = new TokenTape();
        tape.match(1, new byte[700], 0, 700);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] shrunk = new byte[1000];
        Arrays.fill(shrunk, (byte) 9);
        try (FileChannel ch = basis(shrunk)) {
            new Patcher(XXH64.newFileDigest(), MaxAlloc.standard()).receive(tape, new SumHead(2, 700, 8, 0), ch, Channels.newChannel(out),
                    checksumOf(new byte[0]));
        }
        byte[] expected = new byte[700];
        Arrays.fill(expected, 0, 300, (byte) 9);
        assertArrayEquals(expected, out.toByteArray());
    }
}
