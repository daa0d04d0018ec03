package dev.jrsync.delta.token;

import dev.jrsync.wire.ProtocolOutput;

/**
 * Uncompressed tokens ({@code rsync/token.c:simple_send_token}): int32 literal lengths followed by the
 * bytes, {@code -(index+1)} for a matched block, 0 at the end.
 */
final class PlainTokenWriter implements TokenWriter {
    private final ProtocolOutput out;

    PlainTokenWriter(ProtocolOutput out) {
        this.out = out;
    }

    /** Chunks never exceed 32 KiB: rsync 3.4.3/3.4.4 abort on longer literal tokens. */
    @Override
    public void literal(byte[] buf, int off, int len) {
        while (len > 0) {
            int n = Math.min(len, TokenFlags.CHUNK_SIZE);
            out.writeInt(n);
            out.write(buf, off, n);
            off += n;
            len -= n;
        }
    }

    @Override
    public void match(int blockIndex, byte[] buf, int off, int len) {
        if (blockIndex < 0) {
            throw new IllegalArgumentException("negative block index " + blockIndex);
        }
        out.writeInt(-(blockIndex + 1));
    }

    @Override
    public void endFile() {
        out.writeInt(0);
    }
}
