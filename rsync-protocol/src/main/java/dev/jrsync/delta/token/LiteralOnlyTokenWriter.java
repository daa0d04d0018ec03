package dev.jrsync.delta.token;

/**
 * Sends matched blocks as literal data: the zlib fallback when {@link DeflateHistory} finds that
 * history cannot be inserted, since a stream without block tokens never needs history insertion.
 */
final class LiteralOnlyTokenWriter implements TokenWriter {
    private final TokenWriter delegate;

    LiteralOnlyTokenWriter(TokenWriter delegate) {
        this.delegate = delegate;
    }

    @Override
    public void literal(byte[] buf, int off, int len) {
        delegate.literal(buf, off, len);
    }

    @Override
    public void match(int blockIndex, byte[] buf, int off, int len) {
        delegate.literal(buf, off, len);
    }

    @Override
    public void endFile() {
        delegate.endFile();
    }
}
