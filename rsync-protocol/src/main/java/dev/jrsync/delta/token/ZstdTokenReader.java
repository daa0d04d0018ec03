package dev.jrsync.delta.token;

import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import dev.jrsync.wire.ProtocolException;
import dev.jrsync.wire.ProtocolInput;
import java.nio.ByteBuffer;

/**
 * zstd receiver ({@code rsync/token.c:recv_zstd_token}): one decompression stream for the whole
 * session; frames are decoded into a fixed buffer of two zstd blocks (as rsync does), so output is
 * handed out piecewise however much a frame expands.
 */
final class ZstdTokenReader extends CompressedTokenReader {
    /** {@code ZSTD_DStreamOutSize() * 2}: two maximum-size zstd blocks. */
    private static final int OUTPUT_SIZE = 2 * (128 * 1024);

    private final ZstdDecompressCtx ctx;
    private final ByteBuffer input = ByteBuffer.allocateDirect(TokenFlags.MAX_DATA_COUNT);
    private final ByteBuffer output = ByteBuffer.allocateDirect(OUTPUT_SIZE);
    private final byte[] literal = new byte[OUTPUT_SIZE];

    ZstdTokenReader(ProtocolInput in) {
        super(in);
        this.ctx = ZstdContexts.decompressor(this);
        input.flip();
    }

    @Override
    public byte[] literalBuffer() {
        return literal;
    }

    @Override
    void acceptFrame(byte[] frame, int len) {
        input.clear();
        input.put(frame, 0, len).flip();
    }

    @Override
    int decodeMore() {
        while (true) {
            int consumedBefore = input.position();
            output.clear();
            try {
                ctx.decompressDirectByteBufferStream(output, input);
            } catch (ZstdException e) {
                throw new ProtocolException("zstd decompression failed in token stream: " + e.getMessage(), e);
            }
            int n = output.position();
            if (n > 0) {
                output.flip().get(literal, 0, n);
                return n;
            }
            if (!input.hasRemaining()) {
                return 0;
            }
            if (input.position() == consumedBefore) {
                throw new ProtocolException("zstd decompression made no progress in token stream");
            }
        }
    }
}
