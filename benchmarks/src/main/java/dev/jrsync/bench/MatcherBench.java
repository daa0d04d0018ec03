package dev.jrsync.bench;

import dev.jrsync.checksum.BlockSizing;
import dev.jrsync.checksum.ChecksumType;
import dev.jrsync.checksum.StrongChecksum;
import dev.jrsync.delta.BlockSums;
import dev.jrsync.delta.Matcher;
import dev.jrsync.delta.SumHead;
import dev.jrsync.delta.token.CompressionType;
import dev.jrsync.delta.token.TokenCodecs;
import dev.jrsync.delta.token.TokenWriter;
import dev.jrsync.wire.MaxAlloc;
import dev.jrsync.wire.ProtocolOutput;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The sender's block search ({@link Matcher#sendFile}) of a 1 MiB source against the sums of a 1 MiB
 * basis (1 KiB blocks, xxh128 as rsync 3.2+ negotiates, the s2length rsync derives), tokens written
 * uncompressed to nowhere so that only the search and the whole-file sum are measured.
 */
@State(Scope.Thread)
public class MatcherBench extends BenchDefaults {
    private static final int SIZE = 1 << 20;
    private static final int PROTOCOL = 31;
    private static final StrongChecksum CHECKSUM = new StrongChecksum(ChecksumType.XXH128, 0x5eed1234, true);

    /** How the source relates to the basis. */
    public enum Change {
        /** Unrelated content: every offset is rolled and looked up, nothing matches. */
        NO_MATCH,
        /** Identical: each block matches at once, the window jumps a block at a time. */
        ALL_MATCH,
        /** Seven bytes inserted near the start: the search must roll to the new alignment, then all blocks match. */
        SHIFTED
    }

    @Param
    public DataKind data;

    @Param
    public Change change;

    private byte[] source;
    private BlockSums sums;
    private Matcher matcher;
    private TokenWriter writer;
    private ProtocolOutput out;

    @Setup
    public void setup() throws IOException {
        byte[] basis = data.generate(4, SIZE);
        source = switch (change) {
            case NO_MATCH -> data.generate(5, SIZE);
            case ALL_MATCH -> basis;
            case SHIFTED -> insert(basis, 1000, data.generate(6, 7));
        };
        SumHead head = SumHead.forBasis(SIZE, PROTOCOL, 0, BlockSizing.SHORT_SUM_LENGTH, CHECKSUM.digestLength());
        sums = BlockSums.generate(channel(basis), head, CHECKSUM.newBlockHasher());
        matcher = new Matcher(CHECKSUM, MaxAlloc.standard());
        out = new ProtocolOutput(OutputStream.nullOutputStream(), PROTOCOL);
        writer = TokenCodecs.writer(CompressionType.NONE, CompressionType.LEVEL_NOT_SPECIFIED, 0, out, PROTOCOL);
    }

    @Benchmark
    public Matcher.Result sendFile(ByteCounter counter) {
        counter.bytes += source.length;
        return matcher.sendFile(channel(source), source.length, sums, writer, out);
    }

    private static ReadableByteChannel channel(byte[] data) {
        return Channels.newChannel(new ByteArrayInputStream(data));
    }

    private static byte[] insert(byte[] data, int at, byte[] inserted) {
        byte[] out = new byte[data.length + inserted.length];
        System.arraycopy(data, 0, out, 0, at);
        System.arraycopy(inserted, 0, out, at, inserted.length);
        System.arraycopy(data, at, out, at + inserted.length, data.length - at);
        return out;
    }
}
