package dev.jrsync.delta.token;

import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import java.lang.ref.Cleaner;

/**
 * Creates the session-long zstd contexts. Their native memory is released when the codec that owns
 * them becomes unreachable, because the token interfaces have no close method.
 */
final class ZstdContexts {
    private static final Cleaner CLEANER = Cleaner.create();

    private ZstdContexts() {
    }

    static ZstdCompressCtx compressor(Object owner, int level) {
        ZstdCompressCtx ctx = new ZstdCompressCtx().setLevel(level);
        CLEANER.register(owner, ctx::close);
        return ctx;
    }

    static ZstdDecompressCtx decompressor(Object owner) {
        ZstdDecompressCtx ctx = new ZstdDecompressCtx();
        CLEANER.register(owner, ctx::close);
        return ctx;
    }
}
