package dev.jrsync.delta;

import dev.jrsync.checksum.BlockHasher;
import dev.jrsync.checksum.RollingChecksum;
import dev.jrsync.wire.MaxAlloc;
import dev.jrsync.wire.ProtocolInput;
import dev.jrsync.wire.ProtocolOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Arrays;

/**
 * A basis file's signature: the {@link SumHead} and, per block, the weak sum1 and the first s2length
 * bytes of the strong sum. The strong sums are packed back to back in one array, so a signature costs
 * {@code 4 + s2length} bytes per block and no object per block.
 *
 * <p>Sums read from a peer hold a charge on the connection's {@link MaxAlloc} until {@link #close()}.
 */
public final class BlockSums implements AutoCloseable {
    /** Bytes the generator reads from the basis at a time (rounded down to whole blocks). */
    private static final int READ_SIZE = 256 * 1024;
    /** Blocks the arrays first hold when reading; they double as sums arrive, up to the header's count. */
    static final int FIRST_CAPACITY = 1024;

    private final SumHead head;
    private final int[] sum1;
    private final byte[] sum2;
    private final MaxAlloc charged;
    private long chargedBytes;

    private BlockSums(SumHead head, int[] sum1, byte[] sum2, MaxAlloc charged, long chargedBytes) {
        this.head = head;
        this.sum1 = sum1;
        this.sum2 = sum2;
        this.charged = charged;
        this.chargedBytes = chargedBytes;
    }

    public SumHead head() {
        return head;
    }

    public int count() {
        return head.count();
    }

    public int sum1(int block) {
        return sum1[block];
    }

    /** A copy of block {@code block}'s s2length strong-sum bytes. */
    public byte[] sum2(int block) {
        int s2 = head.s2Length();
        return Arrays.copyOfRange(sum2, block * s2, block * s2 + s2);
    }

    /**
     * Whether {@code digest[off..off+s2length)} equals block {@code block}'s strong sum: exactly s2length
     * bytes are compared, of a digest the caller computed in full (CVE-2024-12085).
     */
    public boolean sum2Matches(int block, byte[] digest, int off) {
        int s2 = head.s2Length();
        return Arrays.equals(sum2, block * s2, block * s2 + s2, digest, off, off + s2);
    }

    /**
     * Reads a header and its sums from the generator ({@code rsync/sender.c:receive_sums}). The header's
     * count is checked against {@code --max-alloc} as rsync does, but storage grows only as the sums
     * arrive: a peer that announces millions of blocks and sends a few costs a few kilobytes.
     */
    public static BlockSums read(ProtocolInput in, int protocol, int maxDigestLength) {
        SumHead head = SumHead.read(in, protocol, maxDigestLength);
        int count = head.count();
        int s2 = head.s2Length();
        long perBlock = 4 + s2;
        MaxAlloc alloc = in.maxAlloc();
        alloc.check(count * perBlock, "sender", "block sums");
        int capacity = Math.min(count, FIRST_CAPACITY);
        alloc.grow(0, capacity * perBlock, "sender", "block sums");
        int[] sum1 = new int[capacity];
        byte[] sum2 = new byte[capacity * s2];
        try {
            for (int i = 0; i < count; i++) {
                if (i == sum1.length) {
                    int grown = (int) Math.min(count, 2L * i);
                    alloc.grow(i * perBlock, grown * perBlock, "sender", "block sums");
                    sum1 = Arrays.copyOf(sum1, grown);
                    sum2 = Arrays.copyOf(sum2, grown * s2); // bounded by SumHead.MAX_SIGNATURE_BYTES
                }
                sum1[i] = in.readInt();
                in.readFully(sum2, i * s2, s2);
            }
        } catch (RuntimeException e) {
            alloc.release(sum1.length * perBlock);
            throw e;
        }
        return new BlockSums(head, sum1, sum2, alloc, count * perBlock);
    }

    /**
     * A header without sums, as a generator sends it under {@code --append} ({@code rsync/sender.c:receive_sums}
     * with {@code append_mode}): it tells how much of its copy the receiver keeps ({@link SumHead#basisLength}).
     */
    public static BlockSums headOnly(ProtocolInput in, int protocol, int maxDigestLength) {
        return new BlockSums(SumHead.read(in, protocol, maxDigestLength), new int[0], new byte[0], null, 0);
    }

    /** Gives back the charge of sums read from a peer; the sums must not be used afterwards. */
    @Override
    public void close() {
        if (charged != null) {
            charged.release(chargedBytes);
            chargedBytes = 0;
        }
    }

    /** Writes the header and the sums, as {@code rsync/generator.c:generate_and_send_sums} does. */
    public void write(ProtocolOutput out, int protocol) {
        head.write(out, protocol);
        int s2 = head.s2Length();
        for (int i = 0; i < head.count(); i++) {
            out.writeInt(sum1[i]);
            out.write(sum2, i * s2, s2);
        }
    }

    /**
     * Computes the signature of {@code head.basisLength()} bytes read from {@code basis}
     * ({@code rsync/generator.c:generate_and_send_sums}). A basis that ends early reads as zeros, as
     * rsync's {@code map_ptr} does: the sums stay consistent with the header, and the receiver's
     * whole-file check catches any damage.
     */
    public static BlockSums generate(ReadableByteChannel basis, SumHead head, BlockHasher hasher) throws IOException {
        int count = head.count();
        int s2 = head.s2Length();
        int[] sum1 = new int[count];
        byte[] sum2 = new byte[Math.multiplyExact(count, s2)];
        forEachBlock(basis, head, hasher, MaxAlloc.standard(), (i, weak, strong) -> {
            sum1[i] = weak;
            System.arraycopy(strong, 0, sum2, i * s2, s2);
        });
        return new BlockSums(head, sum1, sum2, null, 0);
    }

    /**
     * Like {@link #generate} followed by {@link #write}, but streams each block's sums to {@code out} as it
     * is computed, so a signature of any size needs no memory.
     */
    public static void generateAndSend(ReadableByteChannel basis, SumHead head, BlockHasher hasher, ProtocolOutput out, int protocol,
                                       MaxAlloc alloc) throws IOException {
        head.write(out, protocol);
        int s2 = head.s2Length();
        forEachBlock(basis, head, hasher, alloc, (i, weak, strong) -> {
            out.writeInt(weak);
            out.write(strong, 0, s2);
        });
    }

    private interface BlockSink {
        void accept(int block, int sum1, byte[] strong);
    }

    /**
     * {@code alloc} is charged for the read buffer while it lives: it is a block long when blocks pass
     * {@link #READ_SIZE}, and the block length can be the peer's {@code --block-size}.
     */
    private static void forEachBlock(ReadableByteChannel basis, SumHead head, BlockHasher hasher, MaxAlloc alloc,
                                     BlockSink sink) throws IOException {
        int count = head.count();
        if (count == 0) {
            return;
        }
        int blength = head.blockLength();
        int perRead = Math.max(1, READ_SIZE / blength);
        int bufSize = Math.multiplyExact(perRead, blength);
        alloc.grow(0, bufSize, "generator", "basis buffer");
        try {
            byte[] buf = new byte[bufSize];
            byte[] strong = new byte[hasher.digestLength()];
            int i = 0;
            while (i < count) {
                int blocks = Math.min(perRead, count - i);
                int bytes = (blocks - 1) * blength + head.lengthOfBlock(i + blocks - 1);
                readOrZeroFill(basis, buf, bytes);
                for (int b = 0, off = 0; b < blocks; b++, i++) {
                    int len = head.lengthOfBlock(i);
                    hasher.hash(buf, off, len, strong, 0);
                    sink.accept(i, RollingChecksum.of(buf, off, len), strong);
                    off += len;
                }
            }
        } finally {
            alloc.release(bufSize);
        }
    }

    private static void readOrZeroFill(ReadableByteChannel in, byte[] buf, int len) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(buf, 0, len);
        while (bb.hasRemaining()) {
            if (in.read(bb) < 0) {
                Arrays.fill(buf, bb.position(), len, (byte) 0);
                return;
            }
        }
    }
}
