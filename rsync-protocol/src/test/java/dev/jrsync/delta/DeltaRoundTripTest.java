package dev.jrsync.delta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jrsync.checksum.BlockSizing;
import dev.jrsync.checksum.ChecksumType;
import dev.jrsync.checksum.StrongChecksum;
import dev.jrsync.wire.MaxAlloc;
import dev.jrsync.wire.ProtocolInput;
import dev.jrsync.wire.ProtocolOutput;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Generator sums, sender search and receiver rebuild together, as the three roles run them. */
class DeltaRoundTripTest {
    private static final int PROTOCOL = 31;
    private static final StrongChecksum MD5 = new StrongChecksum(ChecksumType.MD5, 0x6b0ef103, true);

    @TempDir
    Path tmp;

    record Outcome(byte[] rebuilt, TokenTape tape, Matcher.Result sent, Patcher.Result received, BlockSums sums) {}

    private static byte[] random(int len, long seed) {
        byte[] b = new byte[len];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] splice(byte[] a, int at, int remove, byte[] insert) {
        byte[] out = new byte[a.length - remove + insert.length];
        System.arraycopy(a, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(a, at + remove, out, at + insert.length, a.length - at - remove);
        return out;
    }

    /** A channel that returns at most {@code max} bytes per read, like a socket or pipe. */
    private static ReadableByteChannel trickle(byte[] data, int max) {
        ReadableByteChannel in = Channels.newChannel(new ByteArrayInputStream(data));
        return new ReadableByteChannel() {
            @Override
            public int read(ByteBuffer dst) throws IOException {
                ByteBuffer slice = dst.slice(dst.position(), Math.min(dst.remaining(), max));
                int n = in.read(slice);
                if (n > 0) {
                    dst.position(dst.position() + n);
                }
                return n;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {}
        };
    }

    private Outcome roundTrip(byte[] basis, byte[] source, StrongChecksum checksum, int blockSize) throws IOException {
        return roundTrip(basis, Channels.newChannel(new ByteArrayInputStream(source)), source.length, checksum, blockSize);
    }

    private Outcome roundTrip(byte[] basis, ReadableByteChannel source, long length, StrongChecksum checksum, int blockSize)
            throws IOException {
        return roundTrip(new Matcher(checksum, MaxAlloc.standard()), basis, source, length, checksum, blockSize);
    }

    private Outcome roundTrip(Matcher matcher, byte[] basis, ReadableByteChannel source, long length,
                              StrongChecksum checksum, int blockSize) throws IOException {
        // Generator: sums of the basis, over the wire.
        SumHead head = basis == null ? SumHead.EMPTY
                : SumHead.forBasis(basis.length, PROTOCOL, blockSize, BlockSizing.SHORT_SUM_LENGTH, checksum.digestLength());
        ByteArrayOutputStream sumWire = new ByteArrayOutputStream();
        BlockSums.generateAndSend(Channels.newChannel(new ByteArrayInputStream(basis == null ? new byte[0] : basis)), head,
                checksum.newBlockHasher(), new ProtocolOutput(sumWire, PROTOCOL), PROTOCOL, MaxAlloc.standard());
        BlockSums sums = BlockSums.read(new ProtocolInput(new ByteArrayInputStream(sumWire.toByteArray()), PROTOCOL), PROTOCOL,
                checksum.digestLength());

        // Sender.
        TokenTape tape = new TokenTape();
        ByteArrayOutputStream sumOut = new ByteArrayOutputStream();
        Matcher.Result sent = matcher.sendFile(source, length, sums, tape, new ProtocolOutput(sumOut, PROTOCOL));
        assertTrue(tape.ended, "endFile() called");
        assertArrayEquals(sent.fileSum(), sumOut.toByteArray());

        // Receiver.
        Path basisFile = Files.write(tmp.resolve("basis"), basis == null ? new byte[0] : basis);
        ByteArrayOutputStream rebuilt = new ByteArrayOutputStream();
        Patcher.Result received;
        try (FileChannel ch = FileChannel.open(basisFile)) {
            received = new Patcher(checksum.newFileDigest(), MaxAlloc.standard()).receive(tape, head, basis == null ? null : ch,
                    Channels.newChannel(rebuilt), new ProtocolInput(new ByteArrayInputStream(sumOut.toByteArray()), PROTOCOL));
        }
        // Every block the sender matched really is that basis block, and the receiver showed it to the reader.
        for (TokenTape.Token t : tape.tokens) {
            if (t.data() == null) {
                int off = t.block() * head.blockLength();
                assertArrayEquals(Arrays.copyOfRange(basis, off, off + head.lengthOfBlock(t.block())), t.blockBytes());
            }
        }
        assertEquals(tape.blocks().size(), tape.seenByReader.size());
        assertEquals(sent.literalBytes(), received.literalBytes());
        assertEquals(sent.matchedBytes(), received.matchedBytes());
        return new Outcome(rebuilt.toByteArray(), tape, sent, received, sums);
    }

    private Outcome roundTrip(byte[] basis, byte[] source) throws IOException {
        Outcome o = roundTrip(basis, source, MD5, 0);
        assertArrayEquals(source, o.rebuilt());
        assertTrue(o.received().verified());
        assertEquals(source.length, o.received().size());
        return o;
    }

    @Test
    void identicalFileIsAllBlocks() throws IOException {
        byte[] data = random(100_000, 1);
        Outcome o = roundTrip(data, data);
        assertEquals(0, o.sent().literalBytes());
        assertEquals(IntStream.range(0, 143).boxed().toList(), o.tape().blocks());
        assertEquals(100_000, o.sent().matchedBytes());
    }

    @Test
    void noBasisIsAllLiteral() throws IOException {
        byte[] data = random(100_000, 2);
        Outcome o = roundTrip(null, data);
        assertEquals(100_000, o.sent().literalBytes());
        assertEquals(List.of(), o.tape().blocks());
    }

    @Test
    void oneChangedByteCostsOneBlock() throws IOException {
        // Reference §17.1 [captured]: blocks 0-70, a 700-byte literal, blocks 72-142.
        byte[] basis = random(100_000, 3);
        byte[] source = basis.clone();
        source[50_000] ^= 1;
        Outcome o = roundTrip(basis, source);
        List<String> expected = new ArrayList<>();
        IntStream.range(0, 71).forEach(i -> expected.add("b" + i));
        expected.add("L700");
        IntStream.range(72, 143).forEach(i -> expected.add("b" + i));
        assertEquals(expected, o.tape().shape());
    }

    @Test
    void insertedAndDeletedBytesAreFoundAgain() throws IOException {
        byte[] basis = random(100_000, 4);
        byte[] source = splice(basis, 0, 0, random(10, 5)); // shift everything by 10
        source = splice(source, 40_010, 333, new byte[0]); // and cut 333 bytes out of the middle
        Outcome o = roundTrip(basis, source);
        assertTrue(o.sent().literalBytes() <= 10 + 700, "literal " + o.sent().literalBytes());
        assertTrue(o.tape().blocks().size() >= 141, "blocks " + o.tape().blocks().size());
        // The short last block (600 bytes) is found at its shifted position.
        assertEquals(142, o.tape().blocks().getLast());
    }

    @Test
    void shortLastBlockMatchesOnlyAtTheEnd() throws IOException {
        byte[] basis = random(1_000, 6); // blocks of 700 and 300
        assertEquals(List.of("b0", "L3", "b1"), roundTrip(basis, splice(basis, 700, 0, random(3, 7))).tape().shape());
        // Three bytes into the last block: the 300-byte window never reappears.
        assertEquals(List.of("b0", "L303"), roundTrip(basis, splice(basis, 800, 0, random(3, 7))).tape().shape());
    }

    @Test
    void emptySourceAndEmptyBasis() throws IOException {
        Outcome o = roundTrip(random(5_000, 8), new byte[0]);
        assertEquals(List.of(), o.tape().tokens);
        o = roundTrip(new byte[0], random(5_000, 9)); // an empty basis: header 0/700/2/0
        assertEquals(new SumHead(0, 700, 2, 0), o.sums().head());
        assertEquals(5_000, o.sent().literalBytes());
        roundTrip(null, new byte[0]);
    }

    @Test
    void sourceShorterThanOneBlock() throws IOException {
        byte[] basis = random(10_000, 10);
        Outcome o = roundTrip(basis, Arrays.copyOfRange(basis, 0, 699));
        assertEquals(699, o.sent().literalBytes());
        o = roundTrip(basis, Arrays.copyOfRange(basis, 700, 1400));
        assertEquals(List.of("b1"), o.tape().shape());
    }

    @Test
    void repeatedBlocksComeOutInOrder() throws IOException {
        // Twenty identical blocks: each weak hit has twenty candidates; the one after the last match wins.
        byte[] zeros = new byte[700 * 20];
        Outcome o = roundTrip(zeros, zeros);
        assertEquals(IntStream.range(0, 20).boxed().toList(), o.tape().blocks());
    }

    @Test
    void multiMegabyteFileStreamsThroughTheBuffer() throws IOException {
        byte[] basis = random(6_000_000, 11);
        byte[] source = splice(basis, 10, 0, random(1234, 12));
        source = splice(source, 2_500_000, 5000, random(77, 13));
        source = splice(source, 5_000_000, 0, Arrays.copyOfRange(basis, 100_000, 400_000)); // a copied region
        Outcome o = roundTrip(basis, trickle(source, 10_000), source.length, MD5, 0);
        assertArrayEquals(source, o.rebuilt());
        assertTrue(o.received().verified());
        int blength = o.sums().head().blockLength();
        assertEquals(2448, blength);
        assertTrue(o.sent().literalBytes() < 1234 + 77 + 4 * blength, "literal " + o.sent().literalBytes());
    }

    @Test
    void oneSenderServesSmallFilesThenLargeOnesThenSmallAgain() throws IOException {
        // A sender's window starts at the size of its first, small file and grows with the files it meets.
        Matcher matcher = new Matcher(MD5, MaxAlloc.standard());
        byte[] big = random(3_000_000, 21);
        byte[][][] files = {
            {null, random(3000, 22)},
            {random(9000, 23), splice(random(9000, 23), 4000, 10, random(5, 24))},
            {big, splice(big, 2_000_000, 100, random(300, 25))},
            {null, random(1_500_000, 26)},
            {random(700, 27), random(700, 27)},
        };
        for (byte[][] f : files) {
            byte[] source = f[1];
            Outcome o = roundTrip(matcher, f[0], trickle(source, 50_000), source.length, MD5, 0);
            assertArrayEquals(source, o.rebuilt(), source.length + " bytes");
            assertTrue(o.received().verified());
        }
    }

    @Test
    void largeBlocks() throws IOException {
        byte[] basis = random(3_000_000, 14);
        byte[] source = splice(basis, 1_500_000, 1, new byte[] {1, 2});
        Outcome o = roundTrip(basis, source, MD5, 1 << 17);
        assertArrayEquals(source, o.rebuilt());
        assertEquals(1 << 17, o.sums().head().blockLength());
        // Block 11 holds the edit: its 131072 bytes plus the one inserted byte go literal, the other 22 match.
        assertEquals((1 << 17) + 1, o.sent().literalBytes());
        assertEquals(22, o.tape().blocks().size());
    }

    @ParameterizedTest
    @EnumSource(value = ChecksumType.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void everyChecksumAndSeed(ChecksumType type) throws IOException {
        byte[] basis = random(50_000, 15);
        byte[] source = splice(basis, 20_000, 10, random(20, 16));
        for (int seed : new int[] {0, 1, -1, 0x6b0ef103}) {
            for (boolean fix : new boolean[] {true, false}) {
                Outcome o = roundTrip(basis, source, new StrongChecksum(type, seed, fix), 0);
                assertArrayEquals(source, o.rebuilt(), type + " seed " + seed);
                assertTrue(o.received().verified());
                assertTrue(o.sent().literalBytes() < 2 * 700, type + " literal " + o.sent().literalBytes());
            }
        }
    }

    @Test
    void sourceEndingEarlySendsABadChecksum() throws IOException {
        byte[] basis = random(20_000, 17);
        byte[] source = basis.clone();
        source[100] ^= 1;
        // The file list said 30,000 bytes but only 20,000 arrive: the rest is zeros and the sum is spoiled.
        Outcome o = roundTrip(basis, Channels.newChannel(new ByteArrayInputStream(source)), 30_000, MD5, 0);
        assertTrue(o.sent().failed());
        assertArrayEquals(new byte[16], o.sent().fileSum());
        assertFalse(o.received().verified());
        assertEquals(30_000, o.rebuilt().length);
    }

    @Test
    void sumsOfEqualWeakChecksumsDoNotMakeTheSearchQuadratic() throws IOException {
        // CVE-2026-70453: a hostile generator sends 5000 blocks whose weak sums all equal the sum of a
        // zero window and whose strong sums never match.
        int count = 5_000;
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        ProtocolOutput w = new ProtocolOutput(wire, PROTOCOL);
        new SumHead(count, 700, 2, 0).write(w, PROTOCOL);
        for (int i = 0; i < count; i++) {
            w.writeInt(0);
            w.writeShort(0xFFFF);
        }
        BlockSums sums = BlockSums.read(new ProtocolInput(new ByteArrayInputStream(wire.toByteArray()), PROTOCOL), PROTOCOL, 16);
        byte[] source = new byte[50_000];
        TokenTape tape = new TokenTape();
        Matcher.Result r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> new Matcher(MD5, MaxAlloc.standard()).sendFile(
                Channels.newChannel(new ByteArrayInputStream(source)), source.length, sums, tape,
                new ProtocolOutput(new ByteArrayOutputStream(), PROTOCOL)));
        long offsets = source.length - 700 + 1;
        assertEquals(Matcher.MAX_CHAIN_LEN * offsets, r.falseAlarms());
        assertEquals(source.length, r.literalBytes());
    }
}
