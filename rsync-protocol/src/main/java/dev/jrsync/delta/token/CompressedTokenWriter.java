package dev.jrsync.delta.token;

import dev.jrsync.wire.ProtocolOutput;
import java.util.Objects;

/**
 * The flag-byte framing every compressed format shares ({@code rsync/token.c:send_deflated_token},
 * {@code send_zstd_token}, {@code send_compressed_token}): a pending run of matched blocks is written
 * before the literal data that follows it, and the compressor is flushed whenever literal data is
 * followed by a block token or the end marker, so the receiver can emit every literal byte before it
 * copies the next block. Subclasses supply the compressor.
 */
abstract class CompressedTokenWriter implements TokenWriter {
    private final ProtocolOutput out;
    private final TokenRunEncoder runs = new TokenRunEncoder();
    private boolean literalPending;

    CompressedTokenWriter(ProtocolOutput out) {
        this.out = out;
    }

    @Override
    public final void literal(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len == 0) {
            return;
        }
        runs.flush(out);
        compress(buf, off, len);
        literalPending = true;
    }

    @Override
    public final void match(int blockIndex, byte[] buf, int off, int len) {
        if (blockIndex < 0 || blockIndex > TokenFlags.MAX_TOKEN_INDEX) {
            throw new IllegalArgumentException("block index out of range: " + blockIndex);
        }
        Objects.checkFromIndexSize(off, len, buf.length);
        endLiteral();
        runs.add(blockIndex, out);
        matchedBlock(buf, off, len);
    }

    @Override
    public final void endFile() {
        endLiteral();
        runs.flush(out);
        out.writeByte(TokenFlags.END_FLAG);
        runs.reset();
        fileDone();
    }

    private void endLiteral() {
        if (literalPending) {
            flushLiteral();
            literalPending = false;
        }
    }

    /** One DEFLATED_DATA frame: flag byte with the high 6 length bits, low length byte, payload. */
    final void writeFrame(byte[] payload, int off, int len) {
        if (len <= 0 || len > TokenFlags.MAX_DATA_COUNT) {
            throw new IllegalStateException("bad compressed frame length " + len);
        }
        out.writeByte(TokenFlags.DEFLATED_DATA | len >>> 8);
        out.writeByte(len);
        out.write(payload, off, len);
    }

    /** Feeds literal bytes to the compressor, writing whatever whole frames it produces. */
    abstract void compress(byte[] buf, int off, int len);

    /** Makes all literal data given so far decodable by the receiver, writing the remaining frames. */
    abstract void flushLiteral();

    /** The bytes of a matched block, for formats whose compressor keeps them as history. */
    void matchedBlock(byte[] buf, int off, int len) {
    }

    /** After the end marker: per-file compressor state is reset here. */
    void fileDone() {
    }
}
