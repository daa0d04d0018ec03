package dev.jrsync.delta.token;

/**
 * Sender side of a file's delta: literal data and matched blocks, then the end marker
 * ({@code rsync/token.c:send_token}). One writer per session and direction; it keeps whatever state
 * the negotiated compression carries across files.
 */
public interface TokenWriter extends AutoCloseable {
    /** Literal bytes (any length; the writer splits them into legal chunks). */
    void literal(byte[] buf, int off, int len);

    /** Basis block {@code blockIndex} matched; {@code buf[off..off+len)} holds its bytes (zlib keeps them as history). */
    void match(int blockIndex, byte[] buf, int off, int len);

    /** End of this file's tokens (writes the end marker); the whole-file checksum follows separately. */
    void endFile();

    /** After the session's last file: releases what the codec holds beyond the heap (zstd's context). */
    @Override
    default void close() {
    }
}
