package dev.jrsync.delta.token;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jrsync.testing.HostileInput;
import dev.jrsync.wire.ProtocolInput;
import java.io.ByteArrayInputStream;
import java.util.Random;

/**
 * A sender's delta tokens as the receiver reads them ({@code rsync/token.c:recv_token} and each codec's
 * reader: simple, deflated for zlib and zlibx, zstd, lz4), file after file on one reader as in a
 * session, feeding each matched block back to the codec as the receiver does. Input: one byte choosing
 * the codec and protocol, then the token stream.
 */
class TokenFuzzTest {
    /** A stand-in basis block: what the receiver copies for a match, and zlib adds to its history. */
    private static final byte[] BLOCK = new byte[700];
    /** Matched blocks a run token can announce are many; the work per input stays bounded. */
    private static final int MAX_TOKENS = 20_000;
    private static final int MAX_FILES = 16;

    static {
        new Random(700).nextBytes(BLOCK);
    }

    @FuzzTest(maxDuration = "3s")
    void tokens(byte[] data) {
        if (data.length == 0) {
            return;
        }
        CompressionType type = CompressionType.values()[(data[0] & 0x7) % CompressionType.values().length];
        int protocol = 29 + ((data[0] >> 3) & 3);
        HostileInput.decode(data, d -> {
            ProtocolInput in = new ProtocolInput(new ByteArrayInputStream(d, 1, d.length - 1), protocol);
            TokenReader reader = TokenCodecs.reader(type, in, protocol);
            int tokens = 0;
            for (int file = 0; file < MAX_FILES; file++) {
                int t;
                while ((t = reader.next()) != 0) {
                    if (++tokens > MAX_TOKENS) {
                        return;
                    }
                    if (t < 0) {
                        reader.matched(BLOCK, 0, BLOCK.length);
                    }
                }
            }
        });
    }
}
