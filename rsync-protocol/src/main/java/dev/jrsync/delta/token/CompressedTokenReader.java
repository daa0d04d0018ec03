package dev.jrsync.delta.token;

import dev.jrsync.wire.ProtocolException;
import dev.jrsync.wire.ProtocolInput;

/**
 * The flag-byte framing every compressed format shares ({@code rsync/token.c:recv_deflated_token},
 * {@code recv_zstd_token}, {@code recv_compressed_token}): DEFLATED_DATA frames go to the
 * decompressor, whose output is handed out before the next flag byte is read; block tokens and runs
 * are decoded by {@link TokenRunDecoder}; END_FLAG ends the file. Subclasses supply the
 * decompressor and its output buffer.
 */
abstract class CompressedTokenReader implements TokenReader {
    private final ProtocolInput in;
    private final TokenRunDecoder tokens = new TokenRunDecoder();
    private final byte[] frame = new byte[TokenFlags.MAX_DATA_COUNT];
    private boolean fileStart = true;
    private boolean decoding;

    CompressedTokenReader(ProtocolInput in) {
        this.in = in;
    }

    @Override
    public final int next() {
        if (fileStart) {
            startFile();
            tokens.reset();
            fileStart = false;
        }
        while (true) {
            if (tokens.inRun()) {
                return tokens.nextInRun();
            }
            if (decoding) {
                int n = decodeMore();
                if (n > 0) {
                    return n;
                }
                decoding = false;
                continue;
            }
            int flag = in.readUnsignedByte();
            if ((flag & 0xC0) == TokenFlags.DEFLATED_DATA) {
                int len = (flag & 0x3F) << 8 | in.readUnsignedByte();
                if (len == 0) {
                    throw new ProtocolException("empty compressed data frame in token stream");
                }
                in.readFully(frame, 0, len);
                acceptFrame(frame, len);
                decoding = true;
                continue;
            }
            beforeToken();
            if (flag == TokenFlags.END_FLAG) {
                fileStart = true;
                return 0;
            }
            return tokens.decode(flag, in);
        }
    }

    @Override
    public int literalOffset() {
        return 0;
    }

    @Override
    public void matched(byte[] buf, int off, int len) {
    }

    /** Called before the first token of each file. */
    void startFile() {
    }

    /** A compressed frame arrived; {@code frame} is reused after {@link #decodeMore()} returns 0. */
    abstract void acceptFrame(byte[] frame, int len);

    /** Next piece of decompressed literal data into {@link #literalBuffer()}; 0 once the frame is used up. */
    abstract int decodeMore();

    /** A non-data flag byte follows the data frames read so far. */
    void beforeToken() {
    }
}
