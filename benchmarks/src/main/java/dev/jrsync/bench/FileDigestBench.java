package dev.jrsync.bench;

import dev.jrsync.checksum.ChecksumType;
import dev.jrsync.checksum.FileDigest;
import dev.jrsync.checksum.StrongChecksum;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The whole-file sum both sides stream a file through ({@link FileDigest}), over a 1 MiB file fed in
 * 32 KiB pieces, the size of a literal token chunk.
 */
@State(Scope.Thread)
public class FileDigestBench extends BenchDefaults {
    private static final int SIZE = 1 << 20;
    private static final int PIECE = 32 * 1024;

    @Param({"XXH128", "XXH3", "XXH64", "MD5", "MD4"})
    public ChecksumType type;

    private byte[] file;
    private FileDigest digest;
    private byte[] sum;

    @Setup
    public void setup() {
        file = DataKind.RANDOM.generate(3, SIZE);
        digest = new StrongChecksum(type, 0x5eed1234, true).newFileDigest();
        sum = new byte[digest.digestLength()];
    }

    @Benchmark
    public byte[] file(ByteCounter counter) {
        for (int off = 0; off < SIZE; off += PIECE) {
            digest.update(file, off, PIECE);
        }
        digest.finish(sum, 0);
        counter.bytes += SIZE;
        return sum;
    }
}
