package dev.jrsync.bench;

import dev.jrsync.checksum.BlockHasher;
import dev.jrsync.checksum.ChecksumType;
import dev.jrsync.checksum.StrongChecksum;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One seeded strong block sum ({@link BlockHasher#hash}), as the generator computes per basis block and
 * the sender per weak-sum hit. 700 B is rsync's smallest automatic block, 8 KiB the block of a 64 MiB file.
 */
@State(Scope.Thread)
public class BlockHashBench extends BenchDefaults {
    @Param({"XXH128", "XXH3", "XXH64", "MD5", "MD4"})
    public ChecksumType type;

    @Param({"700", "8192"})
    public int size;

    private byte[] block;
    private BlockHasher hasher;
    private byte[] digest;

    @Setup
    public void setup() {
        block = DataKind.RANDOM.generate(2, size);
        // A non-zero seed, as every real session has one: MD4 and MD5 then hash four more bytes.
        hasher = new StrongChecksum(type, 0x5eed1234, true).newBlockHasher();
        digest = new byte[hasher.digestLength()];
    }

    @Benchmark
    public byte[] hash(ByteCounter counter) {
        hasher.hash(block, 0, size, digest, 0);
        counter.bytes += size;
        return digest;
    }
}
