package dev.jrsync.bench;

import dev.jrsync.checksum.RollingChecksum;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The weak checksum over 1 MiB, in the two ways rsync uses it: the generator sums each block once
 * ({@link RollingChecksum#of}), the sender slides a window one byte at a time and reads the sum at every
 * offset ({@link RollingChecksum#roll}). 1 KiB is the block length rsync picks for a 1 MiB file.
 */
@State(Scope.Thread)
public class RollingChecksumBench extends BenchDefaults {
    private static final int SIZE = 1 << 20;
    private static final int BLOCK = 1024;

    @Param
    public DataKind data;

    private byte[] buf;
    private final RollingChecksum rolling = new RollingChecksum();

    @Setup
    public void setup() {
        buf = data.generate(1, SIZE);
    }

    @Benchmark
    public int blockSums(ByteCounter counter) {
        int acc = 0;
        for (int off = 0; off < SIZE; off += BLOCK) {
            acc ^= RollingChecksum.of(buf, off, BLOCK);
        }
        counter.bytes += SIZE;
        return acc;
    }

    /** Folds every offset's sum into the result, as the sender looks every one of them up. */
    @Benchmark
    public int roll(ByteCounter counter) {
        RollingChecksum r = rolling;
        r.init(buf, 0, BLOCK);
        int acc = r.value();
        for (int out = 0, in = BLOCK; in < SIZE; out++, in++) {
            r.roll(buf[out], buf[in]);
            acc ^= r.value();
        }
        counter.bytes += SIZE - BLOCK;
        return acc;
    }
}
