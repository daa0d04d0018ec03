package dev.jrsync.delta.token;

/**
 * Receiver side of a file's delta ({@code rsync/token.c:recv_token}). One reader per session and
 * direction; it keeps whatever state the negotiated compression carries across files.
 */
public interface TokenReader {
    /** Next token: > 0 = that many literal bytes are in literalBuffer() from literalOffset(); < 0 = copy block -(t+1); 0 = end of file. */
    int next();

    byte[] literalBuffer();

    int literalOffset();

    /** The receiver copied a matched block; compressors that keep history (zlib) must see its bytes. */
    void matched(byte[] buf, int off, int len);
}
