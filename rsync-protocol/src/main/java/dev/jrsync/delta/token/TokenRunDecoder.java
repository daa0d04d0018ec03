package dev.jrsync.delta.token;

import dev.jrsync.wire.ProtocolException;
import dev.jrsync.wire.ProtocolInput;

/**
 * Receiver half of the compressed stream's block-token coding ({@code rsync/token.c:
 * recv_compressed_token_num} and {@code recv_compressed_token_run}). Every index and run length is
 * bounded so that no arithmetic on peer values can overflow (CVE-2026-43618); whether an index is
 * below the file's block count is the caller's check.
 */
final class TokenRunDecoder {
    private int token;
    private int runRemaining;

    /** Per file: relative indexes start from block 0. */
    void reset() {
        token = 0;
        runRemaining = 0;
    }

    boolean inRun() {
        return runRemaining > 0;
    }

    /** Decodes the block token introduced by {@code flag}; returns it in {@link TokenReader#next()} form. */
    int decode(int flag, ProtocolInput in) {
        boolean run;
        if ((flag & TokenFlags.TOKEN_REL) != 0) {
            int increment = flag & 0x3F;
            if (token > TokenFlags.MAX_TOKEN_INDEX - increment) {
                throw invalid("relative block index overflows");
            }
            token += increment;
            run = (flag & 0x40) != 0;
        } else if (flag == TokenFlags.TOKEN_LONG || flag == TokenFlags.TOKENRUN_LONG) {
            int absolute = in.readInt();
            if (absolute < 0 || absolute > TokenFlags.MAX_TOKEN_INDEX) {
                throw invalid("block index " + absolute + " out of range");
            }
            token = absolute;
            run = flag == TokenFlags.TOKENRUN_LONG;
        } else {
            throw invalid(String.format("unknown flag byte 0x%02x", flag));
        }
        if (run) {
            int count = in.readUnsignedShort();
            if (count == 0 || token > TokenFlags.MAX_TOKEN_INDEX - count) {
                throw invalid("bad run length " + count + " after block " + token);
            }
            runRemaining = count;
        }
        return -1 - token;
    }

    /** The next block of the current run. */
    int nextInRun() {
        runRemaining--;
        token++;
        return -1 - token;
    }

    private static ProtocolException invalid(String why) {
        return new ProtocolException("invalid token number in compressed stream: " + why);
    }
}
