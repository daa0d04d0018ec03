package dev.jrsync.delta.token;

import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import java.lang.ref.Cleaner;

/**
 * Creates the session-long zstd contexts. Their native memory (and a compressor's worker threads) is released
 * when the codec that owns them becomes unreachable, because the token reader has no close method; the writer
 * releases its compressor at the end of the transfer, so worker threads do not wait for a garbage collection.
 */
final class ZstdContexts {
    private static final Cleaner CLEANER = Cleaner.create();

    private ZstdContexts() {
    }

    /** A compressor and what releases it: at once when asked, else when its owner becomes unreachable. */
    record Compressor(ZstdCompressCtx ctx, Cleaner.Cleanable release) {}

    /** @param workers zstd's worker threads ({@code ZSTD_c_nbWorkers}); 0 compresses on the caller's thread */
    static Compressor compressor(Object owner, int level, int workers) {
        ZstdCompressCtx ctx = new ZstdCompressCtx().setLevel(level);
        if (workers > 0) {
            ctx.setWorkers(workers);
        }
        return new Compressor(ctx, CLEANER.register(owner, ctx::close));
    }

    static ZstdDecompressCtx decompressor(Object owner) {
        ZstdDecompressCtx ctx = new ZstdDecompressCtx();
        CLEANER.register(owner, ctx::close);
        return ctx;
    }
}
