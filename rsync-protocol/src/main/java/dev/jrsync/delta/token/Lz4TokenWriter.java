package dev.jrsync.delta.token;

import dev.jrsync.wire.ProtocolOutput;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;

/**
 * lz4 sender ({@code rsync/token.c:send_compressed_token}): every frame is an independent raw LZ4
 * block of at most 16383 input bytes; when the compressed block would not fit in a frame, the input
 * is halved until it does. Nothing is buffered, so flushing is a no-op.
 */
final class Lz4TokenWriter extends CompressedTokenWriter {
    private final LZ4Compressor compressor = LZ4Factory.fastestInstance().fastCompressor();
    private final byte[] block = new byte[compressor.maxCompressedLength(TokenFlags.MAX_DATA_COUNT)];

    Lz4TokenWriter(ProtocolOutput out) {
        super(out);
    }

    @Override
    void compress(byte[] buf, int off, int len) {
        while (len > 0) {
            int take = Math.min(len, TokenFlags.MAX_DATA_COUNT);
            int size;
            while ((size = compressor.compress(buf, off, take, block, 0, block.length)) > TokenFlags.MAX_DATA_COUNT) {
                take /= 2;
            }
            writeFrame(block, 0, size);
            off += take;
            len -= take;
        }
    }

    @Override
    void flushLiteral() {
    }
}
