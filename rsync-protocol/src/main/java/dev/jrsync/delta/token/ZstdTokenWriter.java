package dev.jrsync.delta.token;

import com.github.luben.zstd.EndDirective;
import com.github.luben.zstd.ZstdCompressCtx;
import dev.jrsync.wire.ProtocolOutput;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;

/**
 * zstd sender ({@code rsync/token.c:send_zstd_token}): one zstd stream for the whole session, never
 * ended; each literal run that precedes a block token or the end marker is completed with a flush,
 * and the stream's bytes travel in DEFLATED_DATA frames as they come out of the compressor.
 */
final class ZstdTokenWriter extends CompressedTokenWriter {
    private final ZstdCompressCtx ctx;
    private final Cleaner.Cleanable release;
    private final ByteBuffer input = ByteBuffer.allocateDirect(TokenFlags.CHUNK_SIZE);
    private final ByteBuffer output = ByteBuffer.allocateDirect(TokenFlags.MAX_DATA_COUNT);
    private final byte[] frame = new byte[TokenFlags.MAX_DATA_COUNT];

    ZstdTokenWriter(ProtocolOutput out, int level, int workers) {
        super(out);
        ZstdContexts.Compressor compressor = ZstdContexts.compressor(this, level, workers);
        this.ctx = compressor.ctx();
        this.release = compressor.release();
    }

    /** Ends the session's stream: the compressor's memory and worker threads go now. */
    @Override
    public void close() {
        release.clean();
    }

    @Override
    void compress(byte[] buf, int off, int len) {
        while (len > 0) {
            int n = Math.min(len, input.capacity());
            input.clear();
            input.put(buf, off, n).flip();
            while (input.hasRemaining()) {
                output.clear();
                ctx.compressDirectByteBufferStream(output, input, EndDirective.CONTINUE);
                sendOutput();
            }
            off += n;
            len -= n;
        }
    }

    @Override
    void flushLiteral() {
        input.clear().flip();
        boolean flushed;
        do {
            output.clear();
            flushed = ctx.compressDirectByteBufferStream(output, input, EndDirective.FLUSH);
            sendOutput();
        } while (!flushed);
    }

    private void sendOutput() {
        int n = output.position();
        if (n > 0) {
            output.flip().get(frame, 0, n);
            writeFrame(frame, 0, n);
        }
    }
}
