package dev.jrsync.delta.token;

import dev.jrsync.wire.ProtocolOutput;

/**
 * Sender half of the compressed stream's block-token coding: consecutive matched blocks are merged
 * into runs, and each run is written relative to the end of the previous one when that fits in six
 * bits ({@code rsync/token.c:send_deflated_token}, the "output previous run" part).
 */
final class TokenRunEncoder {
    private int lastRunEnd;
    private int runStart = -1;
    private int runEnd;

    /** Block {@code index} matched: extend the pending run, or write it and start a new one. */
    void add(int index, ProtocolOutput out) {
        if (runStart >= 0 && index == runEnd + 1 && index - runStart <= TokenFlags.MAX_RUN) {
            runEnd = index;
            return;
        }
        flush(out);
        runStart = index;
        runEnd = index;
    }

    /** Writes the pending run, if any; literal data or the end marker comes next. */
    void flush(ProtocolOutput out) {
        if (runStart < 0) {
            return;
        }
        int rel = runStart - lastRunEnd;
        int extra = runEnd - runStart;
        if (rel >= 0 && rel <= 63) {
            out.writeByte((extra == 0 ? TokenFlags.TOKEN_REL : TokenFlags.TOKENRUN_REL) + rel);
        } else {
            out.writeByte(extra == 0 ? TokenFlags.TOKEN_LONG : TokenFlags.TOKENRUN_LONG);
            out.writeInt(runStart);
        }
        if (extra != 0) {
            out.writeShort(extra);
        }
        lastRunEnd = runEnd;
        runStart = -1;
    }

    /** A new file starts counting relative indexes from block 0 again. */
    void reset() {
        lastRunEnd = 0;
        runStart = -1;
    }
}
