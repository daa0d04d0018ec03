package dev.jrsync.delta;

import dev.jrsync.checksum.FileDigest;
import dev.jrsync.delta.token.TokenReader;
import dev.jrsync.wire.MaxAlloc;
import dev.jrsync.wire.ProtocolException;
import dev.jrsync.wire.ProtocolInput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;

/**
 * The receiver's side of a delta ({@code rsync/receiver.c:receive_data}): rebuilds the file from literal
 * data and basis blocks, digests what it writes, and compares that with the sender's whole-file
 * checksum. One instance per receiving thread; it reuses its digest and block buffer.
 */
public final class Patcher {
    private final FileDigest fileDigest;
    private final byte[] localSum;
    private final byte[] senderSum;
    private final MaxAlloc alloc;
    private byte[] block = new byte[0];

    /**
     * What one file's delta produced. {@code verified} is false when the rebuilt data's checksum differs
     * from the sender's (the caller then retries the file in the redo pass or reports it); it is true
     * for a discarded delta, which is never checked.
     */
    public record Result(boolean verified, long literalBytes, long matchedBytes, long size) {}

    /**
     * {@code fileDigest} is the session's transfer digest ({@code StrongChecksum.newFileDigest()}); {@code alloc}
     * is charged for the block buffer, as long as the peer's {@code --block-size} makes it (held until the
     * session ends).
     */
    public Patcher(FileDigest fileDigest, MaxAlloc alloc) {
        this.fileDigest = fileDigest;
        this.alloc = alloc;
        this.localSum = new byte[fileDigest.digestLength()];
        this.senderSum = new byte[fileDigest.digestLength()];
    }

    /**
     * Applies the tokens from {@code tokens} for a file whose (echoed) sum head is {@code head}, copying
     * matched blocks from {@code basis} and writing the result to {@code out}, then reads the sender's
     * checksum from {@code in}. With {@code out == null} the delta is drained and discarded
     * ({@code rsync/receiver.c:discard_receive_data}); {@code basis} may then be null too.
     *
     * @throws ProtocolException for a block index outside the head, or a block token with no basis
     * @throws IOException when reading the basis or writing the output fails
     */
    public Result receive(TokenReader tokens, SumHead head, FileChannel basis, WritableByteChannel out, ProtocolInput in)
            throws IOException {
        long offset = 0;
        long literal = 0;
        long matched = 0;
        for (int t = tokens.next(); t != 0; t = tokens.next()) {
            if (t > 0) {
                byte[] data = tokens.literalBuffer();
                int off = tokens.literalOffset();
                fileDigest.update(data, off, t);
                write(out, data, off, t);
                literal += t;
                offset += t;
                continue;
            }
            int i = -(t + 1);
            if (i >= head.count()) {
                throw new ProtocolException("Invalid block index " + i + " (count=" + head.count() + ")");
            }
            int len = head.lengthOfBlock(i);
            matched += len;
            offset += len;
            if (basis == null) {
                if (out != null) {
                    throw new ProtocolException("got a block match with no basis file (block " + i + ")");
                }
                continue;
            }
            byte[] b = blockBuffer(head.blockLength());
            readBlock(basis, (long) i * head.blockLength(), b, len);
            tokens.matched(b, 0, len);
            fileDigest.update(b, 0, len);
            write(out, b, 0, len);
        }
        fileDigest.finish(localSum, 0);
        in.readFully(senderSum, 0, senderSum.length);
        boolean verified = out == null || Arrays.equals(localSum, senderSum);
        return new Result(verified, literal, matched, offset);
    }

    /** A copy of the whole-file checksum the sender sent after the last file's data ({@code sender_file_sum}). */
    public byte[] senderSum() {
        return senderSum.clone();
    }

    /**
     * Feeds the first {@code length} bytes of {@code existing} into the whole-file digest before the
     * next {@link #receive}: {@code --append-verify} checks the kept prefix too
     * ({@code rsync/receiver.c:receive_data} with {@code append_mode == 2}). Bytes missing from a short
     * file count as zeros, so the check then fails.
     */
    public void digestPrefix(FileChannel existing, long length) throws IOException {
        byte[] buf = new byte[64 << 10];
        long pos = 0;
        while (pos < length) {
            int n = (int) Math.min(buf.length, length - pos);
            ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
            while (bb.hasRemaining()) {
                if (existing.read(bb, pos + bb.position()) < 0) {
                    Arrays.fill(buf, bb.position(), n, (byte) 0);
                    break;
                }
            }
            fileDigest.update(buf, 0, n);
            pos += n;
        }
    }

    private byte[] blockBuffer(int blength) {
        if (block.length < blength) {
            alloc.grow(block.length, blength, "receiver", "block buffer");
            block = new byte[blength];
        }
        return block;
    }

    /**
     * Block {@code i} as it is in the basis now. A basis that got shorter since the generator summed it
     * reads as zeros, as rsync's {@code map_ptr} does; the whole-file checksum then fails.
     */
    private static void readBlock(FileChannel basis, long position, byte[] dst, int len) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(dst, 0, len);
        while (bb.hasRemaining()) {
            if (basis.read(bb, position + bb.position()) < 0) {
                Arrays.fill(dst, bb.position(), len, (byte) 0);
                return;
            }
        }
    }

    private static void write(WritableByteChannel out, byte[] data, int off, int len) throws IOException {
        if (out == null) {
            return;
        }
        ByteBuffer bb = ByteBuffer.wrap(data, off, len);
        while (bb.hasRemaining()) {
            out.write(bb);
        }
    }
}
