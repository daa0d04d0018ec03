package dev.jrsync.delta.token;

import dev.jrsync.wire.ProtocolException;
import dev.jrsync.wire.ProtocolInput;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * lz4 receiver ({@code rsync/token.c:recv_compressed_token}): each frame decodes on its own into a
 * buffer of rsync's receive size (the LZ4 bound of a 32 KiB chunk); a block that would decode to more
 * is rejected by the bounds-checked decompressor.
 */
final class Lz4TokenReader extends CompressedTokenReader {
    private final LZ4SafeDecompressor decompressor = LZ4Factory.fastestInstance().safeDecompressor();
    private final byte[] literal = new byte[Math.max(
            LZ4Factory.fastestInstance().fastCompressor().maxCompressedLength(TokenFlags.CHUNK_SIZE),
            TokenFlags.MAX_DATA_COUNT + 2)];
    private int decoded;

    Lz4TokenReader(ProtocolInput in) {
        super(in);
    }

    @Override
    public byte[] literalBuffer() {
        return literal;
    }

    @Override
    void acceptFrame(byte[] frame, int len) {
        try {
            decoded = decompressor.decompress(frame, 0, len, literal, 0, literal.length);
        } catch (LZ4Exception e) {
            throw new ProtocolException("lz4 block in token stream is malformed or too large: " + e.getMessage(), e);
        }
    }

    /** The whole block comes out at once; an empty one yields nothing rather than a false end marker. */
    @Override
    int decodeMore() {
        int n = decoded;
        decoded = 0;
        return n;
    }
}
