package dev.jrsync.bench;

import dev.jrsync.delta.token.CompressionType;
import dev.jrsync.delta.token.TokenCodecs;
import dev.jrsync.delta.token.TokenReader;
import dev.jrsync.delta.token.TokenWriter;
import dev.jrsync.wire.ProtocolInput;
import dev.jrsync.wire.ProtocolOutput;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Encoding and decoding the delta of a 1 MiB file against a 1 MiB basis with each token codec. About
 * three quarters of the 1 KiB blocks match, in runs, as an edited file's would; the rest is literal
 * data of the chosen kind. Throughput counts the file's bytes (literal and matched: zlib feeds matched
 * blocks through its history too).
 *
 * <p>Every invocation is a one-file session with a new writer or reader, as a session's zstd stream
 * carries history from file to file: reusing one writer would let zstd find the previous invocation's
 * literals and flatter it. The codec's set-up cost is therefore included.
 */
@State(Scope.Thread)
public class TokenCodecBench extends BenchDefaults {
    private static final int SIZE = 1 << 20;
    private static final int BLOCK = 1024;
    private static final int PROTOCOL = 31;

    @Param({"NONE", "ZSTD", "LZ4", "ZLIBX", "ZLIB"})
    public CompressionType codec;

    @Param
    public DataKind data;

    private byte[] basis;
    /** The new file: basis blocks where {@link #matched}, fresh data elsewhere. */
    private byte[] file;
    private boolean[] matched;
    private byte[] encoded;
    private final ByteArrayOutputStream sink = new ByteArrayOutputStream(SIZE + SIZE / 8);
    private final byte[] rebuilt = new byte[SIZE];

    @Setup
    public void setup() {
        basis = data.generate(7, SIZE);
        file = data.generate(8, SIZE);
        matched = new boolean[SIZE / BLOCK];
        // A two-state chain: matched runs average 10 blocks, literal runs about 3, 75% matched overall.
        Random r = new Random(9);
        boolean match = true;
        for (int i = 0; i < matched.length; i++) {
            match = match ? r.nextInt(10) != 0 : r.nextInt(10) < 3;
            matched[i] = match;
            if (match) {
                System.arraycopy(basis, i * BLOCK, file, i * BLOCK, BLOCK);
            }
        }
        encode(new ByteCounter());
        encoded = sink.toByteArray();
        decode(new ByteCounter());
        if (!Arrays.equals(rebuilt, file)) {
            throw new IllegalStateException(codec + " did not rebuild the file");
        }
    }

    @Benchmark
    public int encode(ByteCounter counter) {
        sink.reset();
        ProtocolOutput out = new ProtocolOutput(sink, PROTOCOL);
        TokenWriter w = TokenCodecs.writer(codec, CompressionType.LEVEL_NOT_SPECIFIED, 0, out, PROTOCOL);
        // Like the matcher, literal blocks in a row go out as one run.
        int literalStart = -1;
        for (int i = 0; i < matched.length; i++) {
            if (!matched[i]) {
                literalStart = literalStart < 0 ? i * BLOCK : literalStart;
                continue;
            }
            if (literalStart >= 0) {
                w.literal(file, literalStart, i * BLOCK - literalStart);
                literalStart = -1;
            }
            w.match(i, basis, i * BLOCK, BLOCK);
        }
        if (literalStart >= 0) {
            w.literal(file, literalStart, SIZE - literalStart);
        }
        w.endFile();
        counter.bytes += SIZE;
        return sink.size();
    }

    /** Rebuilds the file as the receiver does, showing each matched block to the reader. */
    @Benchmark
    public byte[] decode(ByteCounter counter) {
        ProtocolInput in = new ProtocolInput(new ByteArrayInputStream(encoded), PROTOCOL);
        TokenReader r = TokenCodecs.reader(codec, in, PROTOCOL);
        int pos = 0;
        int t;
        while ((t = r.next()) != 0) {
            if (t > 0) {
                System.arraycopy(r.literalBuffer(), r.literalOffset(), rebuilt, pos, t);
                pos += t;
            } else {
                int off = -(t + 1) * BLOCK;
                System.arraycopy(basis, off, rebuilt, pos, BLOCK);
                r.matched(basis, off, BLOCK);
                pos += BLOCK;
            }
        }
        counter.bytes += SIZE;
        return rebuilt;
    }
}
