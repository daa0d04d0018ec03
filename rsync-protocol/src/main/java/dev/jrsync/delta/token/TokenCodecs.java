package dev.jrsync.delta.token;

import dev.jrsync.wire.ProtocolInput;
import dev.jrsync.wire.ProtocolOutput;

/**
 * Creates the token codec for the negotiated compression ({@code rsync/token.c:send_token} and
 * {@code recv_token} dispatch). Create one writer and one reader per session and direction: zstd's
 * stream spans the whole session, zlib/zlibx reset themselves at each file's end marker.
 */
public final class TokenCodecs {
    private TokenCodecs() {
    }

    /**
     * @param level    a {@code --compress-level} value or {@link CompressionType#LEVEL_NOT_SPECIFIED};
     *                 resolved and clamped as rsync does (the caller handles "level 0 turns zlib off")
     * @param threads  {@code --compress-threads}: zstd's worker threads (0: none); the other codecs have none
     * @param protocol the session's protocol version (zlib history differs below 31)
     */
    public static TokenWriter writer(CompressionType type, int level, int threads, ProtocolOutput out, int protocol) {
        int resolved = type.resolveLevel(level);
        return switch (type) {
            case NONE -> new PlainTokenWriter(out);
            case ZLIBX -> new DeflatedTokenWriter(out, resolved, false, protocol);
            case ZLIB -> DeflateHistory.insertWorks()
                    ? new DeflatedTokenWriter(out, resolved, true, protocol)
                    : new LiteralOnlyTokenWriter(new DeflatedTokenWriter(out, resolved, true, protocol));
            case ZSTD -> new ZstdTokenWriter(out, resolved, threads);
            case LZ4 -> new Lz4TokenWriter(out);
        };
    }

    /** @param protocol the session's protocol version (zlib history differs below 31) */
    public static TokenReader reader(CompressionType type, ProtocolInput in, int protocol) {
        return switch (type) {
            case NONE -> new PlainTokenReader(in);
            case ZLIBX -> new DeflatedTokenReader(in, false, protocol);
            case ZLIB -> new DeflatedTokenReader(in, true, protocol);
            case ZSTD -> new ZstdTokenReader(in);
            case LZ4 -> new Lz4TokenReader(in);
        };
    }
}
