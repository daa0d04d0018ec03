package dev.jrsync.delta.token;

import dev.jrsync.wire.ProtocolInput;

/**
 * Uncompressed tokens ({@code rsync/token.c:simple_recv_token}). Like rsync 3.5.0 it accepts literal
 * runs of any positive length, because it hands them out 32 KiB at a time from a fixed buffer:
 * nothing is allocated from the peer's length.
 */
final class PlainTokenReader implements TokenReader {
    private final ProtocolInput in;
    private final byte[] buffer = new byte[TokenFlags.CHUNK_SIZE];
    private int residue;

    PlainTokenReader(ProtocolInput in) {
        this.in = in;
    }

    @Override
    public int next() {
        if (residue == 0) {
            int token = in.readInt();
            if (token <= 0) {
                return token;
            }
            residue = token;
        }
        int n = Math.min(residue, buffer.length);
        in.readFully(buffer, 0, n);
        residue -= n;
        return n;
    }

    @Override
    public byte[] literalBuffer() {
        return buffer;
    }

    @Override
    public int literalOffset() {
        return 0;
    }

    @Override
    public void matched(byte[] buf, int off, int len) {
        // Nothing keeps history in the uncompressed format.
    }
}
